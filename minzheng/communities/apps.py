from django.apps import AppConfig

from minzheng.communities.permissions import GRANTS


class CommunitiesConfig(AppConfig):
    name = "minzheng.communities"
    label = "communities"
    verbose_name = "城乡社区治理"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.communities import task_source
        from minzheng.communities.indicators import register_indicators
        from minzheng.communities.workflow import ELECTION_WORKFLOW
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_workflow(ELECTION_WORKFLOW)  # 换届选举, on the workbench's task feed
        register_indicators()
        task_source.register()  # terms ending within 90 days
        register_module(Module("社区治理", "communities:home", RegistryPerm.VIEW_REGISTRY))
