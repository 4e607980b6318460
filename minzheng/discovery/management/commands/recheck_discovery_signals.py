"""`minzheng recheck_discovery_signals --kind medical_discharge --since 2026-01-01`: run a feed's
rule again over its stored signals — after a parameter change, or once the registry or the
enrolments have been corrected. Deduplication makes it raise only what is new."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.discovery.alerts import do_recheck_signals
from minzheng.discovery.enums import FeedKind


class Command(BaseCommand):
    help = "按现行参数重新核查已导入的部门信号，补充新的预警"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=FeedKind.values)
        parser.add_argument("--since", required=True, help="信号事件日期起（YYYY-MM-DD）")

    def handle(self, *args, **opts):
        try:
            since = dt.date.fromisoformat(opts["since"])
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        result = do_recheck_signals(Actor.system("重新核查部门信号"), opts["kind"], since=since)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
