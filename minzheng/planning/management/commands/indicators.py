"""`minzheng indicators --year YYYY [--json]`: every indicator with value, target, status, source."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.planning.selectors import get_plan, scorecard


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _display_width(text))


class Command(BaseCommand):
    help = "列出规划的全部指标（数值、目标、状态、来源：系统计算或手工填报）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
        parser.add_argument("--plan", default=None, help="规划编号（默认当前规划）")
        parser.add_argument("--division", default=None, help="区划代码（默认全区，可填乡镇街道9位代码）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts):
        actor = Actor.system("命令行查看规划指标")
        opts["division"] = opts["division"] or district_code()
        try:
            plan = get_plan(opts["plan"])
            rows = scorecard(actor, plan, year=opts["year"], division_code=opts["division"])
        except DomainError as e:
            raise CommandError(e.message) from e
        if opts["json"]:
            self.stdout.write(json.dumps(
                {
                    "plan": plan.code,
                    "year": opts["year"],
                    "division_code": opts["division"],
                    "indicators": [self._as_json(r) for r in rows],
                },
                ensure_ascii=False,
                indent=2,
            ))
            return
        self.stdout.write(f"{plan.title}　{opts['year']}年度　区划 {opts['division']}")
        header = ["编号", "指标", "单位", "数值", "目标", "状态", "来源", "数据截至"]
        table = [header]
        for r in rows:
            as_of = timezone.localtime(r.as_of).strftime("%Y-%m-%d %H:%M") if r.as_of else "—"
            table.append([
                r.indicator.code, r.indicator.name, r.indicator.unit, r.shown_value, r.shown_target,
                r.assessment.label, r.source_label, as_of,
            ])
        widths = [max(_display_width(row[i]) for row in table) + 2 for i in range(len(header))]
        for row in table:
            self.stdout.write("".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())

    @staticmethod
    def _as_json(r) -> dict:
        def num(d):
            return None if d is None else f"{d.normalize():f}"

        ind = r.indicator
        v = r.value
        return {
            "code": ind.code,
            "kind": ind.kind,
            "name": ind.name,
            "unit": ind.unit,
            "value": num(v.value) if v else None,
            "period": {"year": v.year, "month": v.month or None} if v else None,
            "numerator": num(v.numerator) if v else None,
            "denominator": num(v.denominator) if v else None,
            "baseline": num(ind.baseline_value),
            "target": num(ind.target_value) or ind.target_text,
            "target_rule": ind.target_rule,
            "attribute": ind.get_attribute_display() if ind.attribute else "",
            "status": r.assessment.status,
            "status_label": r.assessment.label,
            "explanation": r.assessment.explanation,
            "source": (v.source if v else ("computed" if ind.value_indicator.computation else "manual")),
            "source_label": r.source_label,
            "computation": ind.value_indicator.computation,
            "as_of": timezone.localtime(v.as_of).isoformat() if v else None,
        }
