from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The case-workflow kit every service line builds on: declared states and transitions,
    the working-day calendar, one history table, optimistic locking, one open-task feed."""

    name = "minzheng.cases"
    label = "cases"
    verbose_name = "案件办理"
