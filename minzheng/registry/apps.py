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
        from minzheng.core.snapshots import register_snapshot, watch_model
        from minzheng.registry import steps
        from minzheng.registry.jobs import register_jobs
        from minzheng.registry.models import Household, Person
        from minzheng.registry.statistics import SNAPSHOT, compute_division_snapshot

        register_jobs()  # the person export and 重新统计, done by the background worker
        register_snapshot(SNAPSHOT, compute_division_snapshot, label="区划人口统计")
        watch_model(Person, SNAPSHOT)  # a registration, an edit, a death: the counts say so
        watch_model(Household, SNAPSHOT)
        steps.register()
