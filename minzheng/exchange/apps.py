from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "minzheng.exchange"
    label = "exchange"
    verbose_name = "数据交换"

    def ready(self) -> None:
        # local import: the navigation registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.exchange.jobs import register_jobs
        from minzheng.web.navigation import Module, QuickAction, register_module, register_quick_action

        register_jobs()  # the preview of an uploaded file, done by the background worker
        register_module(Module("数据交换", "exchange:index", Perm.RUN_SCREENING))
        register_quick_action(QuickAction("导入数据", "exchange:index", Perm.RUN_SCREENING))
