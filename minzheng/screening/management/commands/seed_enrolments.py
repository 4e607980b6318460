"""`minzheng seed_enrolments --period YYYY-MM [--seed N] [--error-rate F] [--json]`: current
enrolments for the synthetic district, with deliberate, recorded errors (screening/seeding.py).
For demonstration and test databases only."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.core.errors import DomainError
from minzheng.screening.management.commands.screen import period_argument
from minzheng.screening.seeding import seed_enrolments


class Command(BaseCommand):
    help = "为合成人口生成在保名册（按规则全部纳入，再有意加入并记录若干差错），仅用于演示和测试"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="核算期 YYYY-MM")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--error-rate", type=float, default=0.02, help="每类差错约占符合条件对象的比例（默认 0.02）")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        period = period_argument(opts["period"])
        try:
            report = seed_enrolments(period=period, seed=opts["seed"], error_rate=opts["error_rate"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        errors = report.errors
        self.stdout.write(
            f"{period} 在保名册 {report.enrolments:,} 条，其中按规则正确 {report.correct:,} 条；预置差错："
            f"漏保 {errors['missed']}，错保 {errors['ineligible']}，金额不符 {errors['amount_differs']}，"
            f"死亡仍在保 {errors['deceased_enrolled']}（用时 {report.seconds:.1f} 秒）"
        )
