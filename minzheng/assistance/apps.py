from django.apps import AppConfig

from minzheng.assistance.permissions import GRANTS


class AssistanceConfig(AppConfig):
    name = "minzheng.assistance"
    label = "assistance"
    verbose_name = "社会救助"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: the navigation registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.assistance.workflow import WORKFLOW
        from minzheng.cases.registry import register_workflow
        from minzheng.web.navigation import Module, register_module
        from minzheng.assistance import imports
        from minzheng.assistance.deaths import register as register_death_handler

        register_module(Module("社会救助", "assistance:todo", Perm.VIEW_REGISTRY))
        register_workflow(WORKFLOW)
        imports.register()  # the rosters and the economic-check data, imported through exchange
        register_death_handler()  # ADR 0004: suspend on a death report, end or resume on the check
