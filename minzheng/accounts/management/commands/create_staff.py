import secrets

from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actions import do_create_staff_user
from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "创建工作人员账号（初始密码首次登录须修改）"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--division", action="append", required=True, help="所属区划代码，可多次指定")
        parser.add_argument("--name", default="")

    def handle(self, *args, **o):
        password = secrets.token_urlsafe(12)
        try:
            user = do_create_staff_user(
                Actor.system("命令行创建账号"),
                username=o["username"],
                password=password,
                role=o["role"],
                division_codes=o["division"],
                display_name=o["name"],
                must_change_password=True,
            )
        except ValidationFailed as e:
            raise CommandError("；".join(f"{k}：{v}" for k, v in e.errors.items())) from None
        self.stdout.write(f"已创建账号 {user.username}（{user.get_role_display()}），初始密码：{password}")
        self.stdout.write("请通过安全渠道告知本人；首次登录须修改密码。")
