from django.apps import AppConfig

from minzheng.children.permissions import GRANTS


class ChildrenConfig(AppConfig):
    name = "minzheng.children"
    label = "children"
    verbose_name = "儿童福利"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.children import imports
        from minzheng.children.indicators import register_indicators
        from minzheng.children.workflow import PROTECTION, RECOGNITION
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_workflow(RECOGNITION)
        register_workflow(PROTECTION)
        register_indicators()
        imports.register()  # the existing allowance list, imported through exchange
        register_module(Module("儿童福利", "children:home", RegistryPerm.VIEW_REGISTRY))
