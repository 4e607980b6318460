"""`minzheng simulate --period YYYY-MM --set PARAM=VALUE ... [--json]`: caseload and monthly
cost by town under changed parameters, beside the current ones (nothing is stored).

    minzheng simulate --period 2026-11 --set dibao.standard.rural=654.50
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.core.money import format_yuan
from minzheng.rules import FactsValidationError
from minzheng.screening.management.commands.screen import ljust, period_argument, rjust
from minzheng.screening.simulation import simulate


class Command(BaseCommand):
    help = "政策模拟：修改参数后各乡镇（街道）的保障对象数和月支出，与现行参数对比"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="核算期 YYYY-MM")
        parser.add_argument(
            "--set", action="append", default=[], metavar="PARAM=VALUE", help="模拟的参数值，可重复，如 dibao.standard.rural=654.50"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts):
        period = period_argument(opts["period"])
        try:
            result = simulate(Actor.system("命令行 simulate"), period=period, overrides=opts["set"])
        except FactsValidationError as exc:
            lines = "\n".join(f"  {e['field']}：{e['message']}" for e in exc.errors)
            raise CommandError(f"参数设置有误：\n{lines}", returncode=2) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{result['period']} 政策模拟（{result['households']:,} 户、{result['members']:,} 人，用时 {result['seconds']:.1f} 秒）")
        for change in result["changed"]:
            self.stdout.write(f"  {change['name']}（{change['description']}）：现行 {change['current']} → 模拟 {change['simulated']}")
        self._table("全区合计", result["totals"])
        for town in result["towns"]:
            self._table(f"{town['name']}（{town['code']}）", town["programs"])

    def _table(self, title: str, rows: list[dict]) -> None:
        self.stdout.write(f"\n{title}")
        header = ("现行对象", "模拟对象", "变化", "现行月支出（元）", "模拟月支出（元）", "变化（元）")
        widths = (10, 10, 8, 18, 18, 14)
        self.stdout.write("  " + ljust("项目", 30) + "".join(rjust(h, w) for h, w in zip(header, widths, strict=True)))
        for row in rows:
            cells = (
                f"{row['cases_current']:,}",
                f"{row['cases_simulated']:,}",
                f"{row['cases_change']:+,}",
                format_yuan(row["amount_fen_current"]),
                format_yuan(row["amount_fen_simulated"]),
                format_yuan(row["amount_fen_change"]),
            )
            self.stdout.write("  " + ljust(row["label"], 30) + "".join(rjust(c, w) for c, w in zip(cells, widths, strict=True)))
