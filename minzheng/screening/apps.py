from django.apps import AppConfig

from minzheng.screening.permissions import GRANTS


class ScreeningConfig(AppConfig):
    name = "minzheng.screening"
    label = "screening"
    verbose_name = "规则与筛查"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.registry.permissions import RegistryPerm as Perm
        from minzheng.screening.indicators import register_indicators
        from minzheng.screening.jobs import register_jobs
        from minzheng.screening.permissions import ScreeningPerm
        from minzheng.web.navigation import Module, QuickAction, register_module, register_quick_action

        register_indicators()
        register_jobs()
        # One entry; the sub-navigation leads to discrepancies, parameters and simulation.
        register_module(Module("规则与筛查", "screening:overview", Perm.VIEW_REGISTRY))
        # The run itself is a POST from the overview (period chosen there).
        register_quick_action(QuickAction("运行筛查", "screening:overview", ScreeningPerm.RUN_SCREENING))
