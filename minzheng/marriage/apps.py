from django.apps import AppConfig

from minzheng.marriage.permissions import GRANTS


class MarriageConfig(AppConfig):
    name = "minzheng.marriage"
    label = "marriage"
    verbose_name = "婚姻登记"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.marriage import panels, task_source
        from minzheng.marriage.indicators import register_indicators
        from minzheng.marriage.permissions import MarriagePerm
        from minzheng.marriage.workflow import AMENDMENT, DIVORCE, MARRIAGE
        from minzheng.web.navigation import Module, register_module

        register_workflow(MARRIAGE)
        register_workflow(DIVORCE)
        register_workflow(AMENDMENT)
        task_source.register()  # the divorce calendar's deadlines, on the workbench
        panels.register()  # marital status on the registry's person page
        register_indicators()  # indicator 10 and the yearly counts
        register_module(Module("婚姻登记", "marriage:home", MarriagePerm.VIEW_MARRIAGE_STATS))
