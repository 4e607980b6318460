from django.apps import AppConfig

from minzheng.assistance.permissions import GRANTS


class AssistanceConfig(AppConfig):
    name = "minzheng.assistance"
    label = "assistance"
    verbose_name = "社会救助"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules read models (loaded after apps.py) and the navigation
        # registry resolves permissions, known once apps are loaded.
        from minzheng.accounts.permissions import Perm
        from minzheng.assistance import imports, steps, task_source
        from minzheng.assistance.deaths import register as register_death_handler
        from minzheng.assistance.jobs import register_jobs
        from minzheng.assistance.workflow import WORKFLOW
        from minzheng.cases.registry import register_workflow
        from minzheng.web.navigation import Module, QuickAction, register_module, register_quick_action

        register_module(Module("社会救助", "assistance:todo", Perm.VIEW_REGISTRY))
        register_workflow(WORKFLOW)
        task_source.register()  # review tasks on the workbench (not kit cases)
        register_quick_action(QuickAction("新建申请", "assistance:application-create", Perm.ACCEPT_APPLICATION))
        imports.register()  # the rosters and the economic-check data, imported through exchange
        register_death_handler()  # ADR 0004: suspend on a death report, end or resume on the check
        register_jobs()  # the payroll run, done by the background worker
        steps.register()  # 申请救助 on the registry's person and household pages
