from django.apps import AppConfig

from minzheng.charity.permissions import GRANTS


class CharityConfig(AppConfig):
    name = "minzheng.charity"
    label = "charity"
    verbose_name = "慈善事业"
    permission_grants = GRANTS

    def ready(self) -> None:
        # local import: these modules use models, which are not loaded when apps.py is imported.
        from minzheng.charity.indicators import register_indicators
        from minzheng.charity.permissions import CharityPerm
        from minzheng.web.navigation import Module, register_module

        register_indicators()  # indicator 8
        register_module(Module("慈善事业", "charity:home", CharityPerm.VIEW_CHARITY))
