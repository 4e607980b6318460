from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "minzheng.citizen"
    label = "citizen"
    verbose_name = "群众网上办"

    def ready(self) -> None:
        from minzheng.cases.actions import register_event_listener  # local import: apps are loaded only now
        from minzheng.citizen.messages import topics_of  # local import: apps are loaded only now
        from minzheng.citizen import task_source  # local import: apps are loaded only now
        from minzheng.citizen.notify import notify_family  # local import: apps are loaded only now
        from minzheng.web.navigation import Module, register_module  # local import: apps are loaded only now

        register_event_listener(notify_family)
        task_source.register()
        # The staff's list of citizens' messages, for whoever answers a topic (the page's own rule).
        # Left out where the staff pages are not served (config.citizen).
        register_module(Module("群众留言", "citizen_staff:messages", shown_to=lambda actor: bool(topics_of(actor))))
