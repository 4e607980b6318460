from django.apps import AppConfig

from minzheng.lottery.permissions import GRANTS


class LotteryConfig(AppConfig):
    name = "minzheng.lottery"
    label = "lottery"
    verbose_name = "福利彩票"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.lottery import imports
        from minzheng.lottery.indicators import register_indicators
        from minzheng.lottery.permissions import LotteryPerm
        from minzheng.lottery.workflow import INSPECTION_WORKFLOW
        from minzheng.web.navigation import Module, register_module

        register_workflow(INSPECTION_WORKFLOW)  # inspection findings with a rectification deadline
        register_indicators()
        imports.register()
        register_module(Module("福利彩票", "lottery:home", LotteryPerm.VIEW_LOTTERY))
