from django.apps import AppConfig

from minzheng.eldercare.permissions import GRANTS


class EldercareConfig(AppConfig):
    name = "minzheng.eldercare"
    label = "eldercare"
    verbose_name = "养老服务"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.core.snapshots import register_snapshot, watch_model
        from minzheng.eldercare import steps, task_source
        from minzheng.eldercare.dashboard import SNAPSHOT, compute_dashboard_snapshot
        from minzheng.eldercare.indicators import register_indicators
        from minzheng.eldercare.mapdata import MAP_SNAPSHOT, compute_map_snapshot
        from minzheng.eldercare.models import Assessment, CareOrder, Facility, VisitRecord, VisitTarget
        from minzheng.eldercare.workflow import ORDER_WORKFLOW
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_indicators()
        # 养老服务 dashboard and map of the district and the towns: precomputed (docs/performance.md);
        # a change in a village says its figures may be older than it.
        register_snapshot(SNAPSHOT, compute_dashboard_snapshot, label="养老服务概况")
        register_snapshot(MAP_SNAPSHOT, compute_map_snapshot, label="一刻钟居家养老服务圈")
        for model in (Assessment, CareOrder, Facility, VisitRecord, VisitTarget):
            watch_model(model, SNAPSHOT)
        watch_model(Facility, MAP_SNAPSHOT)  # the circle moves with the facilities
        register_workflow(ORDER_WORKFLOW)  # home-care orders: the case kit, on the workbench's task feed
        steps.register()  # 能力评估, 登记探访 on the registry's person page
        task_source.register()  # visits due on the workbench
        register_module(Module("养老服务", "eldercare:dashboard", RegistryPerm.VIEW_REGISTRY))
