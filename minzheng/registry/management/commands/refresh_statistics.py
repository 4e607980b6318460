"""`minzheng refresh_statistics [--kind registry.division]`: recount every statistics snapshot
(区划人口统计, 养老服务 dashboard …) in bulk. Run by the nightly schedule (docs/performance.md)
and by `minzheng demo` after generation; 重新统计 on the division page does the same in the
background."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from minzheng.core.snapshots import refresh_snapshots, registered_snapshots


class Command(BaseCommand):
    help = "重新统计各区划的统计快照（区划人口统计、养老服务概况等）"

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="只统计这一类（可重复）；默认全部")

    def handle(self, *args, **opts):
        kinds = registered_snapshots()
        chosen = opts["kind"] or list(kinds)
        unknown = [k for k in chosen if k not in kinds]
        if unknown:
            raise CommandError(f"没有这类统计：{'、'.join(unknown)}（可选：{'、'.join(kinds)}）")
        for kind in chosen:
            started = time.monotonic()
            n = refresh_snapshots([kind])[kind]
            self.stdout.write(f"  {kinds[kind].label}：{n} 个区划，用时 {time.monotonic() - started:.1f} 秒")
