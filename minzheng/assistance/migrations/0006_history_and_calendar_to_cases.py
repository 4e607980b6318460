"""The application history and the working-day calendar move to the case kit (minzheng/cases):
every ApplicationEvent becomes a CaseEvent of workflow "assistance.application" (same time,
actor, states, reason; an empty actor name is filled from the user, or "系统"), every
CalendarDay is copied to cases.CalendarDay; then the old tables are dropped. Reversible."""

from django.db import migrations

WORKFLOW = "assistance.application"
BATCH = 2000


def _name(user) -> str:
    if user is None:
        return "系统"
    return (getattr(user, "display_name", "") or user.username or "系统")[:150]


def forward(apps, schema_editor):
    ApplicationEvent = apps.get_model("assistance", "ApplicationEvent")
    OldDay = apps.get_model("assistance", "CalendarDay")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    NewDay = apps.get_model("cases", "CalendarDay")
    batch = []
    for e in ApplicationEvent.objects.select_related("actor").order_by("id").iterator(chunk_size=BATCH):
        batch.append(
            CaseEvent(
                workflow=WORKFLOW,
                case_id=e.application_id,
                division_code=e.division_code,
                action=e.action,
                label=e.label,
                from_status=e.from_status,
                to_status=e.to_status,
                reason=e.reason,
                actor_id=e.actor_id,
                actor_name=e.actor_name or _name(e.actor),
                occurred_at=e.occurred_at,
            )
        )
        if len(batch) >= BATCH:
            CaseEvent.objects.bulk_create(batch)
            batch = []
    CaseEvent.objects.bulk_create(batch)
    existing = set(NewDay.objects.values_list("date", flat=True))
    NewDay.objects.bulk_create(
        [NewDay(date=d.date, is_workday=d.is_workday, name=d.name) for d in OldDay.objects.order_by("date") if d.date not in existing]
    )


def backward(apps, schema_editor):
    ApplicationEvent = apps.get_model("assistance", "ApplicationEvent")
    OldDay = apps.get_model("assistance", "CalendarDay")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    NewDay = apps.get_model("cases", "CalendarDay")
    for e in CaseEvent.objects.filter(workflow=WORKFLOW).order_by("id").iterator(chunk_size=BATCH):
        old = ApplicationEvent.objects.create(
            application_id=e.case_id,
            division_code=e.division_code,
            action=e.action,
            label=e.label,
            from_status=e.from_status,
            to_status=e.to_status,
            reason=e.reason,
            actor_id=e.actor_id,
            actor_name=e.actor_name,
        )
        # occurred_at is auto_now_add there: put the original time back.
        ApplicationEvent.objects.filter(pk=old.pk).update(occurred_at=e.occurred_at)
    CaseEvent.objects.filter(workflow=WORKFLOW).delete()
    OldDay.objects.bulk_create([OldDay(date=d.date, is_workday=d.is_workday, name=d.name) for d in NewDay.objects.all()])


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0005_department_kinds_without_death"),
        ("cases", "0001_case_events_and_calendar"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="applicationevent", name="actor"),
        migrations.RemoveField(model_name="applicationevent", name="application"),
        migrations.DeleteModel(name="CalendarDay"),
        migrations.DeleteModel(name="ApplicationEvent"),
    ]
