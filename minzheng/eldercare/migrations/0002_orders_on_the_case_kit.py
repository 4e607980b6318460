"""Home-care orders move onto the case kit (minzheng/cases): the order gets the kit's case
fields, and the order history that exists is copied into cases.CaseEvent (workflow
"eldercare.order").

Where the history was: every action on an order wrote an audit row (object type
``eldercare.order``: 新增 on the request, 流程流转 with the new status on each step, the reason
of a cancellation in its summary); the settlement of a provider's month wrote one audit row for
the settlement, and the order keeps its ``settlement`` (who and when on the settlement row).
Orders created in bulk by the demo seeder have no audit rows: their own dated fields
(created, dispatched, checked in, completed) are the history, by 系统.

Each order gets one CaseEvent per step, in order, with the actor and time of the audit row
(the name: the user's name, else the username, else 系统), and ``step_started_on`` = the day
it entered its current state. Reversible: backwards deletes the copied events (the audit rows
were never touched)."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

WORKFLOW = "eldercare.order"
BATCH = 2000

# status reached → (action, label) of the step that reached it
STEPS = {
    "requested": ("create", "服务申请"),
    "dispatched": ("dispatch", "派单"),
    "in_service": ("check_in", "上门签到"),
    "completed": ("complete", "签退并完成"),
    "settled": ("settle", "结算"),
    "cancelled": ("cancel", "取消工单"),
}
# The summary prefix of each audit row; what follows it is kept as the event's reason.
PREFIXES = ("取消工单：", "派单：", "服务签退并完成：")


def _name(user, username="", system=False) -> str:
    if user is not None:
        return (user.display_name or user.username or "系统")[:150]
    if system or not username:
        return "系统"
    return username[:150]


def _reason(summary: str) -> str:
    for prefix in PREFIXES:
        if summary.startswith(prefix):
            return summary[len(prefix):]
    return ""


def _event(CaseEvent, order, to_status, from_status, at, user_id, name, reason=""):
    action, label = STEPS[to_status]
    return CaseEvent(
        workflow=WORKFLOW, case_id=order.pk, division_code=order.division_code, action=action, label=label,
        from_status=from_status, to_status=to_status, reason=reason, actor_id=user_id, actor_name=name, occurred_at=at,
    )  # fmt: skip


def _from_audit(CaseEvent, order, rows):
    events, status = [], ""
    for row in rows:
        to_status = "requested" if row.action == "create" else (row.extra or {}).get("status", "")
        if to_status not in STEPS or to_status == status:
            continue
        name = _name(row.user, row.username, row.actor_kind == "system")
        events.append(_event(CaseEvent, order, to_status, status, row.occurred_at, row.user_id, name, _reason(row.summary)))
        status = to_status
    return events, status


def _from_fields(CaseEvent, order):
    """A bulk-created order: its dated fields, by 系统 (or the user who created it)."""
    creator = _name(order.created_by)
    events, status = [_event(CaseEvent, order, "requested", "", order.created_at, order.created_by_id, creator)], "requested"
    for to_status, at in (("dispatched", order.dispatched_at), ("in_service", order.check_in_at), ("completed", order.completed_at)):
        if at is not None:
            events.append(_event(CaseEvent, order, to_status, status, at, None, "系统"))
            status = to_status
    if order.status == "cancelled":
        events.append(_event(CaseEvent, order, "cancelled", status, events[-1].occurred_at, None, "系统"))
        status = "cancelled"
    return events, status


def forward(apps, schema_editor):
    CareOrder = apps.get_model("eldercare", "CareOrder")
    AuditEvent = apps.get_model("core", "AuditEvent")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    batch: list = []
    started: dict[int, object] = {}
    orders = CareOrder.objects.select_related("created_by", "settlement__created_by").order_by("id")
    for order in orders.iterator(chunk_size=BATCH):
        rows = list(
            AuditEvent.objects.filter(object_type="eldercare.order", object_id=str(order.pk))
            .select_related("user").order_by("id")
        )  # fmt: skip
        events, status = _from_audit(CaseEvent, order, rows) if rows else _from_fields(CaseEvent, order)
        if order.status == "settled" and order.settlement_id and status != "settled":
            s = order.settlement
            events.append(_event(CaseEvent, order, "settled", status, s.created_at, s.created_by_id, _name(s.created_by), s.month))
        batch.extend(events)
        if events:
            started[order.pk] = timezone.localtime(events[-1].occurred_at).date()
        if len(batch) >= BATCH:
            CaseEvent.objects.bulk_create(batch)
            batch = []
    CaseEvent.objects.bulk_create(batch)
    for pk, day in started.items():
        CareOrder.objects.filter(pk=pk).update(step_started_on=day)


def backward(apps, schema_editor):
    apps.get_model("cases", "CaseEvent").objects.filter(workflow=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("eldercare", "0001_initial"),
        ("cases", "0001_case_events_and_calendar"),
        ("core", "0002_audit_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="careorder",
            name="clock_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="时限起算日期"),
        ),
        migrations.AddField(
            model_name="careorder",
            name="deadline_extended",
            field=models.BooleanField(default=False, verbose_name="已延期"),
        ),
        migrations.AddField(
            model_name="careorder",
            name="deadline_on",
            field=models.DateField(blank=True, null=True, verbose_name="办理时限"),
        ),
        migrations.AddField(
            model_name="careorder",
            name="step_deadline_on",
            field=models.DateField(blank=True, null=True, verbose_name="本环节时限"),
        ),
        migrations.AddField(
            model_name="careorder",
            name="step_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="本环节开始日期"),
        ),
        migrations.AlterField(
            model_name="careorder",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="版本"),
        ),
        migrations.AddIndex(
            model_name="careorder",
            index=models.Index(fields=["status", "division_code"], name="ec_order_status_idx"),
        ),
        migrations.RunPython(forward, backward),
    ]
