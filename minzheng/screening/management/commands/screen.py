"""`minzheng screen --period YYYY-MM [--json] [--incremental | --partitions N]`: screen the
whole district for a period, store the results and the discrepancies against the current
enrolments (docs/screening.md). A rerun of the same period replaces that period's results;
``--incremental`` (the daily run) evaluates again only the households changed since the
period's current run (screening.refresh)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor
from minzheng.core.errors import DomainError
from minzheng.rules import BatchInputError, Period
from minzheng.rules.programs import PROGRAMS
from minzheng.screening.models import DiscrepancyKind
from minzheng.screening.refresh import do_refresh_screening
from minzheng.screening.runs import do_run_screening
from minzheng.core.money import format_yuan


def period_argument(value: str) -> str:
    try:
        return str(Period.parse(value))
    except ValueError:
        raise CommandError(f"核算期格式应为 YYYY-MM：{value}") from None


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def ljust(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def rjust(text: str, columns: int) -> str:
    return " " * max(columns - width(text), 0) + text


class Command(BaseCommand):
    help = "全区救助资格筛查：按规则计算每户每人，保存结果，并与在保名册比对找出疑点"
    # The system checks (URL conf, every view and form imported) cost ≈ 0.5 s a process; they
    # check the configuration, which `minzheng check --deploy` and the web server's start-up
    # already do, not anything a screening reads. The daily run skips them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="核算期 YYYY-MM")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--partitions", type=int, default=1,
                            help="按乡镇（街道）分成 N 个分区，交后台任务进程并行读取和计算（默认 1：本进程计算）")  # fmt: skip
        parser.add_argument("--incremental", action="store_true",
                            help="增量更新：只重新计算自本期上次筛查以来登记信息或在保名册有变化的家庭（每日运行）")  # fmt: skip

    def handle(self, *args, **opts):
        period = period_argument(opts["period"])
        quiet = opts["json"] or opts["verbosity"] == 0

        def progress(message: str) -> None:
            if not quiet:
                sys.stderr.write(f"… {message}\n")

        actor = Actor.system("命令行 screen")
        try:
            if opts["partitions"] < 1:
                raise CommandError("分区数应为正整数")
            if opts["incremental"] and opts["partitions"] > 1:
                raise CommandError("增量更新只重新计算有变化的家庭，不分区；请去掉 --partitions")
            if opts["incremental"]:
                run = do_refresh_screening(actor, period=period, progress=progress)
            else:
                run = do_run_screening(actor, period=period, progress=progress, partitions=opts["partitions"])
        except (DomainError, BatchInputError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from None
        except ValueError as exc:  # FactsValidationError: period outside the coverage
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "run_id": run.pk,
                        "period": run.period,
                        "seconds": run.seconds,
                        "timings": run.timings,
                        "provisional": run.provisional,
                        **run.counts,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        counts = run.counts
        if "refreshed_households" in counts:
            self.stdout.write(f"{run.period} 全区筛查增量更新完成（批次 {run.pk}）：重新计算 {counts['refreshed_households']:,} 户，用时 {run.seconds:.2f} 秒")
        else:
            self.stdout.write(f"{run.period} 全区筛查完成（批次 {run.pk}）：{counts['households']:,} 户、{counts['members']:,} 人，用时 {run.seconds:.1f} 秒")
        self.stdout.write("  各阶段用时（秒）：" + "，".join(f"{k} {v}" for k, v in run.timings.items()))
        header = ("符合条件", "覆盖人数", "月应发（元）", "在保", "月实发（元）")
        widths = (10, 10, 16, 8, 16)
        self.stdout.write("  " + ljust("项目", 30) + "".join(rjust(h, w) for h, w in zip(header, widths, strict=True)))
        for name, program in PROGRAMS.items():
            row = counts["programs"].get(name)
            if row is None:
                continue
            cells = (
                f"{row['eligible']:,}",
                f"{row['people']:,}",
                format_yuan(row["amount_fen"]),
                f"{row['enrolled']:,}",
                format_yuan(row["enrolled_amount_fen"]),
            )
            self.stdout.write("  " + ljust(program.label, 30) + "".join(rjust(c, w) for c, w in zip(cells, widths, strict=True)))
        self.stdout.write("  （低保的金额含其成员的分类施保增发，与在保名册的发放口径一致）")
        kinds = counts["discrepancies"]
        self.stdout.write(
            "  疑点：" + "，".join(f"{label} {kinds.get(value, 0)}" for value, label in DiscrepancyKind.choices)
        )
        if run.provisional:
            self.stdout.write("  注：本次计算用到了待确认参数（参数待确认），详见参数浏览页面。")
