from django.apps import AppConfig

from minzheng.accounts.permissions import GRANTS, collect_permissions


class AccountsConfig(AppConfig):
    name = "minzheng.accounts"
    label = "accounts"
    verbose_name = "账号与权限"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # Every app's permissions are known (and their roles checked) before any request.
        collect_permissions()
