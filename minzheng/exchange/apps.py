from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "minzheng.exchange"
    label = "exchange"
    verbose_name = "数据交换"

    def ready(self) -> None:
        from minzheng.accounts.permissions import Perm
        from minzheng.exchange.jobs import register_jobs
        from minzheng.web.navigation import Module, register_module

        register_jobs()  # the preview of an uploaded file, done by the background worker
        register_module(Module("数据交换", "exchange:index", Perm.RUN_SCREENING))
