from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "minzheng.citizen"
    label = "citizen"
    verbose_name = "群众网上办"
