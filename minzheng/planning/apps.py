from django.apps import AppConfig

from minzheng.planning.permissions import GRANTS


class PlanningConfig(AppConfig):
    name = "minzheng.planning"
    label = "planning"
    verbose_name = "规划监测"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: the navigation registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.web.navigation import Module, register_module

        # local import: the spec's module reads the planning models, loaded once apps are ready.
        from minzheng.planning import imports

        register_module(Module("规划监测", "planning:dashboard", Perm.VIEW_DASHBOARD))
        imports.register()  # 指标数值导入, through exchange
        # local import: a task source reads models, which load after apps.py
        from minzheng.planning import task_source

        task_source.register()  # values awaiting approval on the workbench
