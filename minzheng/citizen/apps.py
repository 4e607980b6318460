from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "minzheng.citizen"
    label = "citizen"
    verbose_name = "群众网上办"

    def ready(self) -> None:
        from minzheng.cases.actions import register_event_listener  # local import: apps are loaded only now
        from minzheng.citizen.notify import notify_family  # local import: apps are loaded only now

        from minzheng.citizen import task_source  # local import: apps are loaded only now

        register_event_listener(notify_family)
        task_source.register()
