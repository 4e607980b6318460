from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "minzheng.assistance"
    label = "assistance"
    verbose_name = "社会救助"

    def ready(self) -> None:
        from minzheng.accounts.permissions import Perm
        from minzheng.web.navigation import Module, register_module

        register_module(Module("社会救助", "assistance:todo", Perm.VIEW_REGISTRY))

        from minzheng.assistance import imports

        imports.register()  # the rosters and the economic-check data, imported through exchange
        from minzheng.assistance.deaths import register as register_death_handler

        register_death_handler()  # ADR 0004: suspend on a death report, end or resume on the check
