"""`minzheng payroll --period YYYY-MM [--program dibao] [--json] [--user USERNAME]`

Prepares (or re-prepares) the month's payment batch of each program from the active
enrolments. Idempotent: rerunning a month, or two runs at once, never pays anyone twice; an
approved batch is left as it is. Approval is a separate step by another user (screen).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actor import Actor, build_actor
from minzheng.accounts.models import User
from minzheng.assistance import payroll
from minzheng.assistance.enums import Program
from minzheng.core.errors import DomainError
from minzheng.core.money import format_yuan


class Command(BaseCommand):
    help = "生成月度救助金发放表（每个救助项目每月一个批次；可重复运行，不会重复发放）"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="发放月份，格式 YYYY-MM")
        parser.add_argument("--program", action="append", choices=Program.values, help="只生成指定项目（可重复）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--user", help="以该工作人员身份制表（默认：系统任务）")

    def handle(self, *args, **opts):
        if opts["user"]:
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户 {opts['user']} 不存在或已停用")
            actor = build_actor(user)
        else:
            actor = Actor.system("月度发放表（命令行）")
        try:
            summaries = payroll.run_all(actor, period=opts["period"], programs=opts["program"])
        except DomainError as e:
            raise CommandError(e.message) from None
        if opts["json"]:
            self.stdout.write(json.dumps({"period": opts["period"], "batches": [s.as_dict() for s in summaries]}, ensure_ascii=False))
            return
        for s in summaries:
            note = "（已审批，未改动）" if s.unchanged_rerun else ""
            self.stdout.write(
                f"{Program(s.program).label} {s.period}：{s.payments} 笔，{s.people} 人，"
                f"{format_yuan(s.total_fen)} 元；新增 {s.new}，金额变更 {s.changed}，停发 {s.stopped}"
                f"；用时 {s.seconds:.2f} 秒{note}"
            )
