from django.apps import AppConfig

from minzheng.lowincome.permissions import GRANTS


class LowIncomeConfig(AppConfig):
    name = "minzheng.lowincome"
    label = "lowincome"
    verbose_name = "低收入人口"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.lowincome import imports, parameters, steps
        from minzheng.lowincome.workflow import RECOGNITION
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_workflow(RECOGNITION)
        parameters.register()  # the district's annual figures, read by the rules engine
        register_module(Module("低收入人口", "lowincome:home", RegistryPerm.VIEW_REGISTRY))
        imports.register()  # the departments' rosters (防止返贫监测对象, 困难重点优抚对象)
        steps.register()  # 认定低收入家庭 on the registry's household page
