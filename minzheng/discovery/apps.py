from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "minzheng.discovery"
    label = "discovery"
    verbose_name = "主动发现与预警"

    def ready(self) -> None:
        # local import: the navigation registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.discovery.feeds import register_feeds
        from minzheng.discovery.jobs import register_jobs
        from minzheng.web.navigation import Module, register_module
        from minzheng.discovery.deaths import register as register_death_handler

        register_feeds()
        # local import: a task source reads models, which load after apps.py
        from minzheng.discovery import task_source

        task_source.register()  # 预警 tasks on the workbench
        register_death_handler()  # ADR 0004: the village's 死亡核实 task
        register_jobs()  # the alert export, done by the background worker
        register_module(Module("主动发现", "discovery:dashboard", Perm.VIEW_REGISTRY))
