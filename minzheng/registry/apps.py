from django.apps import AppConfig

from minzheng.registry.permissions import GRANTS


class RegistryConfig(AppConfig):
    name = "minzheng.registry"
    label = "registry"
    verbose_name = "人口与家庭"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: jobs.py reads models, and the steps' links are reversed from URLs —
        # neither is loaded when apps.py is imported.
        from minzheng.registry import steps
        from minzheng.registry.jobs import register_jobs

        register_jobs()  # the person export, done by the background worker
        steps.register()
