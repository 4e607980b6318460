"""`minzheng sweep_divorces`: the daily sweep of the divorce calendar — applications whose
cooling-off period is over move to 待双方到场登记; those whose 30 days to come together have
passed are deemed withdrawn (视为撤回). Run daily from a timer (django.tasks has no cron)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.marriage.actions import do_sweep_divorces


class Command(BaseCommand):
    help = "离婚冷静期日常处理：冷静期届满的转入待双方到场登记，逾期未到场的视为撤回"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期处理（默认今天，YYYY-MM-DD）")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        today = None
        if opts["today"]:
            try:
                today = dt.date.fromisoformat(opts["today"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD") from None
        result = do_sweep_divorces(Actor.system("离婚冷静期日常处理"), today=today)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(f"冷静期届满 {result['opened']} 件，视为撤回 {result['lapsed']} 件（{result['day']}）")
