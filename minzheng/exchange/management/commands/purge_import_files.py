"""`minzheng purge_import_files --days 7`: drop uploaded files never confirmed (they hold ID
numbers, encrypted); the batches become 已放弃 and keep their error reports."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from minzheng.accounts.actor import Actor
from minzheng.exchange.actions import do_purge_stale_previews


class Command(BaseCommand):
    help = "清除超过指定天数仍未确认导入的上传文件"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **opts):
        count = do_purge_stale_previews(Actor.system("清除未确认的导入文件"), older_than_days=opts["days"])
        self.stdout.write(f"已清除 {count} 个未确认的导入文件")
