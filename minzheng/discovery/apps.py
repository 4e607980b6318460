from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "minzheng.discovery"
    label = "discovery"
    verbose_name = "主动发现与预警"
