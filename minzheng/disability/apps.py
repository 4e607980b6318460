from django.apps import AppConfig

from minzheng.disability.permissions import GRANTS


class DisabilityConfig(AppConfig):
    name = "minzheng.disability"
    label = "disability"
    verbose_name = "残疾人两项补贴"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.assistance.services import register_exit_handler
        from minzheng.cases.registry import register_workflow
        from minzheng.disability.actions import act_on_feed_rows, end_living_subsidies_on_exit
        from minzheng.discovery.services import register_feed_handler
        from minzheng.disability import deaths, imports, steps
        from minzheng.disability.indicators import register_indicators
        from minzheng.disability.workflow import APPLICATION
        from minzheng.registry.permissions import RegistryPerm
        from minzheng.web.navigation import Module, register_module

        register_workflow(APPLICATION)
        register_indicators()  # plan indicators 3 and 4
        imports.register()  # the existing subsidy lists, imported through exchange
        deaths.register()  # ADR 0004: end the approved cases on a confirmed death
        steps.register()  # 申请两项补贴 on the person page
        # a 低保/特困 exit stops the living subsidy in the same month (no sweep to run by hand)
        register_exit_handler("disability", end_living_subsidies_on_exit)
        # a 残联 row changing a subsidised person's grade (or revoking the certificate) acts by itself
        register_feed_handler("disability_certificate", "disability", act_on_feed_rows)
        register_module(Module("两项补贴", "disability:home", RegistryPerm.VIEW_REGISTRY))
