"""`minzheng evaluate --period YYYY-MM --input household.json`: one household through every
program, printed as JSON with each condition explained (docs/rules.md §5).

The input is the engine's household facts (docs/rules.md §4); `--input -` reads standard
input. `--period` sets (or replaces) the facts' period. Invalid input prints
`{"errors": [{"field": ..., "message": ...}, ...]}` to standard error and exits with code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.rules import FactsValidationError, evaluate_household


class Command(BaseCommand):
    help = "按户计算全部救助项目的资格和金额（逐项条件说明），以 JSON 输出"

    def add_arguments(self, parser):
        parser.add_argument("--period", help="核算期 YYYY-MM（省略时取输入中的 period）")
        parser.add_argument("--input", required=True, help="家庭事实数据 JSON 文件；“-”表示标准输入")
        parser.add_argument("--compact", action="store_true", help="不缩进，输出一行 JSON")

    def handle(self, *args, **opts):
        path = opts["input"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法读取输入文件：{exc.strerror}（{path}）", returncode=2) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail([{"field": "", "message": f"JSON格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}"}])
        if opts["period"] is not None:
            if not isinstance(data, dict):
                self._fail([{"field": "", "message": "应为JSON对象"}])
            data["period"] = opts["period"]
        try:
            answer = evaluate_household(data)
        except FactsValidationError as exc:
            self._fail(exc.errors)
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=None if opts["compact"] else 2))

    def _fail(self, errors: list[dict[str, str]]):
        self.stderr.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        raise CommandError(f"输入数据校验未通过（{len(errors)}处），见上方字段说明", returncode=2)
