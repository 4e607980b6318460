"""`minzheng planning load | recompute | extract-tasks | computations`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.core.errors import DomainError
from minzheng.planning.actions import do_recompute_indicators
from minzheng.planning.computations import REGISTRY
from minzheng.planning.loader import DEFAULT_PLAN_DIR, PlanDataError, extract_tasks, load_plan, write_tasks_csv
from minzheng.planning.selectors import get_plan


class Command(BaseCommand):
    help = "规划监测：载入规划数据、重新计算指标、从规划文本提取任务"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="载入规划（可重复执行，只更新不重复）")
        load.add_argument("--dir", default=None, help="规划数据目录（默认 minzheng/planning/data/2021-2025）")

        recompute = sub.add_parser("recompute", help="重新计算系统计算类指标（全区及各乡镇街道）")
        recompute.add_argument("--year", type=int, required=True)
        recompute.add_argument("--plan", default=None, help="规划编号，如 2021-2025（默认当前规划）")

        extract = sub.add_parser("extract-tasks", help="从规划文本提取章节任务，写成 tasks.csv")
        extract.add_argument("--text", required=True, help="规划全文（UTF-8 文本）")
        extract.add_argument("--out", required=True)
        extract.add_argument("--chapters", default="2,3,4,5,6", help="提取哪些章（默认 2,3,4,5,6）")

        sub.add_parser("computations", help="列出已登记的计算方法及其数据源是否可用")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "load":
            self._load(opts["dir"])
        elif action == "recompute":
            self._recompute(opts["plan"], opts["year"])
        elif action == "extract-tasks":
            self._extract(opts["text"], opts["out"], opts["chapters"])
        elif action == "computations":
            self._computations()

    def _load(self, directory):
        try:
            summary = load_plan(Path(directory) if directory else DEFAULT_PLAN_DIR)
        except (PlanDataError, FileNotFoundError) as e:
            raise CommandError(str(e)) from e
        self.stdout.write("规划已载入：" + "，".join(f"{k} {v}" for k, v in summary.as_dict().items()))
        for w in summary.warnings:
            self.stderr.write(self.style.WARNING(w))

    def _recompute(self, plan_code, year):
        try:
            plan = get_plan(plan_code)
            summary = do_recompute_indicators(Actor.system("命令行重新计算规划指标"), plan, year=year)
        except DomainError as e:
            raise CommandError(e.message) from e
        self.stdout.write(
            f"{plan.code} 规划 {year} 年度：新增 {summary.created}，更新 {summary.updated}，"
            f"未变 {summary.unchanged}，移除 {summary.removed}（用时 {summary.seconds:.2f} 秒）"
        )
        for name, seconds in summary.timings.items():
            self.stdout.write(f"  {name}：{seconds:.2f} 秒")
        for name, reason in summary.skipped.items():
            self.stdout.write(self.style.WARNING(f"  跳过 {name}：{reason}"))

    def _extract(self, text, out, chapters):
        wanted = {int(c) for c in chapters.split(",") if c.strip()}
        rows = extract_tasks(Path(text).read_text(encoding="utf-8"), wanted)
        write_tasks_csv(rows, Path(out))
        self.stdout.write(f"已提取 {len(rows)} 项任务 → {out}")

    def _computations(self):
        for c in REGISTRY.values():
            reason = c.unavailable_reason()
            state = "可用" if reason is None else f"不可用：{reason}"
            self.stdout.write(f"{c.name}  {c.title}  [{state}]")
            for m in c.measures:
                self.stdout.write(f"    {m.name}：{m.formula}")
