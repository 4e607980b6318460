"""`minzheng generate --scale F --seed S`: the synthetic district (see registry/generate.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from minzheng.core.errors import DomainError
from minzheng.core.snapshots import refresh_snapshots
from minzheng.registry.generate import DEFAULT_REFERENCE_DATE, generate_district
from minzheng.registry.statistics import SNAPSHOT as DIVISION_SNAPSHOT
from minzheng.registry.models import Person


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "生成合成人口数据（可复现：相同规模和种子得到相同的人员、家庭和证件号码）"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="规模，1.0 约为全区户籍人口114.83万人（默认 1.0）")
        parser.add_argument("--seed", type=int, default=20201231, help="随机种子（默认 20201231）")
        parser.add_argument(
            "--reference-date",
            type=_date,
            default=DEFAULT_REFERENCE_DATE,
            help=f"计算年龄的基准日（默认 {DEFAULT_REFERENCE_DATE.isoformat()}）",
        )
        parser.add_argument("--replace", action="store_true", help="先删除现有人口数据再生成")
        parser.add_argument(
            "--if-empty", action="store_true", help="已有人口数据时跳过生成而不报错（演示环境重复运行时使用）"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出统计结果")

    def handle(self, *args, **opts):
        quiet = opts["json"] or opts["verbosity"] == 0
        if opts["if_empty"] and not opts["replace"] and (existing := Person.objects.count()):
            if connection.vendor == "sqlite":
                hint = f"要重新生成请先删除 {connection.settings_dict['NAME']}"
            else:
                hint = "要重新生成请先清空数据库"
            self.stdout.write(f"  已有 {existing:,} 人，跳过生成（{hint}）")
            return

        def progress(message: str, fraction: float) -> None:
            if not quiet:
                sys.stderr.write(f"\r[{fraction:4.0%}] {message}\033[K")
                if fraction >= 1.0:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        try:
            summary = generate_district(
                scale=opts["scale"],
                seed=opts["seed"],
                reference_date=opts["reference_date"],
                replace=opts["replace"],
                progress=progress,
            )
        except DomainError as e:
            raise CommandError(e.message) from None
        # Bulk inserts send no signal: the division counts are recounted here, in one pass.
        refresh_snapshots([DIVISION_SNAPSHOT])
        if opts["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(summary.describe_zh())
