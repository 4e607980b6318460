from django.apps import AppConfig

from minzheng.volunteers.permissions import GRANTS


class VolunteersConfig(AppConfig):
    name = "minzheng.volunteers"
    label = "volunteers"
    verbose_name = "志愿服务"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.registry.panels import PersonPanel, register_person_panel
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.volunteers.indicators import register_indicators
        from minzheng.volunteers.panels import person_rows
        from minzheng.web.navigation import Module, register_module

        register_indicators()
        register_person_panel(PersonPanel("volunteers", "志愿服务", person_rows, RegistryPerm.VIEW_REGISTRY, order=80))
        register_module(Module("志愿服务", "volunteers:home", RegistryPerm.VIEW_REGISTRY))
