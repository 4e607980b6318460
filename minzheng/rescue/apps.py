from django.apps import AppConfig

from minzheng.rescue.permissions import GRANTS


class RescueConfig(AppConfig):
    name = "minzheng.rescue"
    label = "rescue"
    verbose_name = "救助管理"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.registry.panels import PersonPanel, register_person_panel
        from minzheng.rescue import task_source
        from minzheng.rescue.indicators import register_indicators
        from minzheng.rescue.panels import person_panel
        from minzheng.rescue.permissions import RescuePerm
        from minzheng.rescue.workflow import CASE_WORKFLOW
        from minzheng.web.navigation import Module, register_module

        register_workflow(CASE_WORKFLOW)  # station cases: the case kit, on the workbench's task feed
        register_indicators()
        task_source.register()  # 超期在站 (station), 易流浪走失人员核查 (villages)
        register_person_panel(PersonPanel("rescue", "救助管理", person_panel, perm=RescuePerm.FOLLOW_UP_RETURNEES))
        register_module(Module("救助管理", "rescue:home", RescuePerm.FOLLOW_UP_RETURNEES))
        # The leaders' read-only figures (no names): a module of its own, Module takes one permission.
        register_module(Module("救助统计", "rescue:stats", RescuePerm.VIEW_RESCUE))
