"""`minzheng escalate_discovery_tasks`: open alert tasks past their due date go up to the town
(one UPDATE for all, one audit event). Run daily from a timer (django.tasks has no cron)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.discovery.actions import do_escalate_overdue_tasks


class Command(BaseCommand):
    help = "将超过办理期限的预警任务上报乡镇（街道）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期判断超期（默认今天，YYYY-MM-DD）")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        today = None
        if opts["today"]:
            try:
                today = dt.date.fromisoformat(opts["today"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD") from None
        result = do_escalate_overdue_tasks(Actor.system("超期预警任务上报"), today=today)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(f"已上报 {result['escalated']} 件超期任务（期限早于 {result['cutoff']}）")
