from django.apps import AppConfig

from minzheng.registry.permissions import GRANTS


class RegistryConfig(AppConfig):
    name = "minzheng.registry"
    label = "registry"
    verbose_name = "人口与家庭"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: the steps' links are reversed from URLs, loaded after the apps.
        from minzheng.registry import steps

        steps.register()
