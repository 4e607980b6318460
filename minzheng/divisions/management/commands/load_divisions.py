from django.core.management.base import BaseCommand

from minzheng.divisions.directory import invalidate_directory
from minzheng.divisions.loader import load_divisions


class Command(BaseCommand):
    help = "载入涪陵区行政区划（统计用区划代码2023，含民政区划代码对照）"

    def handle(self, *args, **options):
        summary = load_divisions()
        invalidate_directory()
        self.stdout.write(
            f"区划已载入：区县 {summary.districts}，乡镇（街道） {summary.towns}，"
            f"村（社区） {summary.villages}，代码对照 {summary.codes}"
        )
