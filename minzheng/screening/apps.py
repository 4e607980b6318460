from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "minzheng.screening"
    label = "screening"
    verbose_name = "规则与筛查"
