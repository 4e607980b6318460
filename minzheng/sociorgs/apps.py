from django.apps import AppConfig

from minzheng.sociorgs.permissions import GRANTS


class SociorgsConfig(AppConfig):
    name = "minzheng.sociorgs"
    label = "sociorgs"
    verbose_name = "社会组织管理"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.sociorgs.permissions import SociorgPerm
        from minzheng.sociorgs.workflow import PENALTY_WORKFLOW, PROCEDURE_WORKFLOW
        from minzheng.web.navigation import Module, register_module

        register_workflow(PROCEDURE_WORKFLOW)  # 成立、变更、注销登记 on the workbench
        register_workflow(PENALTY_WORKFLOW)  # 行政处罚与取缔 with their deadlines
        register_module(Module("社会组织", "sociorgs:home", SociorgPerm.VIEW_SOCIORGS))
