from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "minzheng.exchange"
    label = "exchange"
    verbose_name = "数据交换"

    def ready(self) -> None:
        # local import: the navigation registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.web.navigation import Module, register_module

        register_module(Module("数据交换", "exchange:index", Perm.RUN_SCREENING))
