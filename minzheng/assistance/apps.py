from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "minzheng.assistance"
    label = "assistance"
    verbose_name = "社会救助"

    def ready(self) -> None:
        # Imported here: AppConfig modules load before the models, and these read them.
        from minzheng.accounts.permissions import Perm
        from minzheng.assistance.workflow import WORKFLOW
        from minzheng.cases.registry import register_workflow
        from minzheng.web.navigation import Module, register_module

        register_module(Module("社会救助", "assistance:todo", Perm.VIEW_REGISTRY))
        register_workflow(WORKFLOW)
