"""minzheng eldercare coverage|indicators|seed-demo [--json]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.eldercare.coverage import coverage_for
from minzheng.eldercare.demo import seed_demo
from minzheng.eldercare.indicators import compute_indicators


class Command(BaseCommand):
    help = "养老服务：一刻钟服务圈覆盖率（coverage）、指标16–19（indicators）、演示设施网络（seed-demo）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("coverage", "一刻钟居家养老服务圈覆盖率"), ("indicators", "指标16–19")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--json", action="store_true", help="以 JSON 输出")
            p.add_argument("--division", default="", help="只统计此区划（6/9/12位代码）")
        p = sub.add_parser("seed-demo", help="生成演示设施网络（幂等）")
        p.add_argument("--seed", type=int, default=2021)
        p.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, action: str, **opts):
        actor = Actor.system(f"命令行 eldercare {action}")
        division = opts.get("division") or None
        if division and not (division.isdigit() and len(division) in (6, 9, 12)):
            raise CommandError("区划代码应为6、9或12位数字")
        if action == "coverage":
            result = coverage_for(actor, division_code=division)
            if opts["json"]:
                self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
                return
            self._print_coverage(result)
        elif action == "indicators":
            data = compute_indicators(actor, division_code=division)
            if opts["json"]:
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
                return
            for code, ind in data.items():
                value = "—" if ind["value"] is None else ind["value"]
                extra = f"（{ind['numerator']}/{ind['denominator']}）" if "numerator" in ind else ""
                flag = " [参数待确认]" if ind.get("provisional") else ""
                self.stdout.write(f"{code} {ind['name']}：{value}{ind['unit']}{extra}{flag}")
                self.stdout.write(f"    口径：{ind['definition']}")
        elif action == "seed-demo":
            self.stdout.write(json.dumps(seed_demo(seed=opts["seed"], scale=opts["scale"], actor=actor), ensure_ascii=False, indent=2))

    def _print_coverage(self, r) -> None:
        def pct(v):
            return "—" if v is None else f"{v}%"

        s = r.settings
        flag = "（参数待确认）" if s.provisional else ""
        self.stdout.write(f"服务半径 {s.radius_m:.0f} 米（直线），步行约 {s.walking_minutes:.1f} 分钟{flag}")
        self.stdout.write(f"村（社区）覆盖：{r.villages_covered}/{r.villages_total} = {pct(r.village_share)}（指标18）")
        self.stdout.write(f"60周岁以上老年人覆盖：{r.people_covered}/{r.people_total} = {pct(r.people_share)}")
        self.stdout.write(f"参与计算的社区养老服务设施 {r.facilities_used} 个，用时 {r.elapsed_s:.2f} 秒")
        self.stdout.write("\n乡镇（街道）        村（社区）覆盖      老年人覆盖")
        for t in r.by_town:
            self.stdout.write(
                f"{t['name']:<10}  {t['villages_covered']:>4}/{t['villages']:<4} {pct(t['village_share']):>7}  "
                f"{t['people_covered']:>7}/{t['people']:<7} {pct(t['people_share']):>7}"
            )
        uncovered = r.uncovered_villages()
        self.stdout.write(f"\n服务圈外的村（社区）{len(uncovered)} 个：")
        for v in uncovered:
            d = "—" if v["distance_m"] is None else f"{v['distance_m']:.0f}米"
            self.stdout.write(f"  {v['division_code']} {v['town_name']} {v['name']}  最近设施 {d}")
