"""minzheng disability sync|coverage [--json]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from minzheng.accounts.actor import Actor
from minzheng.disability import selectors
from minzheng.disability.actions import end_living_subsidies_without_basis
from minzheng.disability.enums import Subsidy


class Command(BaseCommand):
    help = "残疾人两项补贴：退出低保、特困后停发生活补贴（sync）；指标3、4覆盖率（coverage）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="所在家庭已退出低保（本人不在特困）的困难残疾人生活补贴停发")
        p = sub.add_parser("coverage", help="指标3、4：两项补贴覆盖率（最新全区筛查）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action: str, **opts):
        if action == "sync":
            stopped = end_living_subsidies_without_basis()
            self.stdout.write(f"停发 {len(stopped)} 件" + (f"：{'、'.join(stopped)}" if stopped else ""))
            return
        actor = Actor.system("命令行 disability coverage")
        run = selectors.latest_run()
        rows = []
        for s in Subsidy:
            c = selectors.coverage(actor, s.value, run=run)
            rows.append({"indicator": c.indicator, "label": c.label, "period": c.period, "eligible": c.eligible, "enrolled": c.enrolled,
                         "percent": c.percent, "missed": len(c.missed), "wrongly_paid": len(c.wrongly_paid)})
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(f"指标{r['indicator']} {r['label']}覆盖率：{r['percent']}%（在保 {r['enrolled']} / 应享 {r['eligible']}，"
                              f"{r['period']} 全区筛查）；应保未保 {r['missed']}，应退未退 {r['wrongly_paid']}")
