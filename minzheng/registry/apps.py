from django.apps import AppConfig

from minzheng.registry.permissions import GRANTS


class RegistryConfig(AppConfig):
    name = "minzheng.registry"
    label = "registry"
    verbose_name = "人口与家庭"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: jobs.py reads models, which are not loaded when apps.py is imported.
        from minzheng.registry.jobs import register_jobs

        register_jobs()  # the person export, done by the background worker
