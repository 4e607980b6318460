from django.apps import AppConfig

from minzheng.adoption.permissions import GRANTS


class AdoptionConfig(AppConfig):
    name = "minzheng.adoption"
    label = "adoption"
    verbose_name = "收养登记"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.adoption import file_section, task_source
        from minzheng.adoption.permissions import AdoptionPerm
        from minzheng.adoption.workflow import ADOPTION
        from minzheng.cases.registry import register_workflow
        from minzheng.web.navigation import Module, register_module

        register_workflow(ADOPTION)  # the case steps on the workbench's task feed
        task_source.register()  # 回访 due, on the workbench
        file_section.register()  # the child's adoptions on the children line's file
        register_module(Module("收养登记", "adoption:home", AdoptionPerm.VIEW_ADOPTION))
