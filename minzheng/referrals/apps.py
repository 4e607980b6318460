from django.apps import AppConfig

from minzheng.referrals.permissions import GRANTS


class ReferralsConfig(AppConfig):
    name = "minzheng.referrals"
    label = "referrals"
    verbose_name = "专项救助转介与社区康复"
    permission_grants = GRANTS  # collected by accounts.permissions

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.cases.registry import register_workflow
        from minzheng.referrals.permissions import ReferralPerm
        from minzheng.referrals.steps import register_steps
        from minzheng.referrals.workflow import REFERRAL
        from minzheng.web.navigation import Module, register_module

        register_workflow(REFERRAL)  # open referrals: the case kit's task feed on the workbench
        register_steps()  # 专项救助转介 on every household and person page
        register_module(Module("专项救助转介", "referrals:list", ReferralPerm.VIEW_REFERRALS))
        register_module(Module("社区康复", "referrals:rehab-list", ReferralPerm.REHAB))
