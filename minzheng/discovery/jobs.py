"""Discovery's long work, done by the background worker (minzheng/jobs): exporting the alert
list (tens of thousands of rows)."""

from __future__ import annotations

from typing import Any

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.xlsx import write_table
from minzheng.discovery.selectors import list_alerts_for
from minzheng.divisions.directory import get_directory
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind

ALERT_EXPORT = "discovery.alert_export"
EXPORT_MAX = 50_000
HEADERS = ["编号", "预警日期", "预警类型", "事项", "姓名", "身份证号码（脱敏）", "村（社区）", "预警原因", "状态", "任务", "办理期限", "办理结果", "情况说明"]


def alert_export_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    division = params.get("division") or None
    filters = {k: params.get(k, "") for k in ("kind", "status", "program")}
    progress(10, "查询预警")
    qs = list_alerts_for(actor, division_code=division, **filters)[:EXPORT_MAX]
    directory = get_directory()
    rows = (
        (
            a.pk, a.created_at.astimezone().strftime("%Y-%m-%d"), a.get_kind_display(), a.get_program_display(),
            a.person.name, a.person.id_number_masked, directory.path_name(a.division_code), a.reason,
            a.get_status_display(), a.task.get_kind_display(), a.task.due_on.isoformat(),
            a.task.get_outcome_display() if a.task.outcome else "", a.task.outcome_note,
        )  # fmt: skip
        for a in qs
    )
    progress(30, "生成 Excel 文件")
    content, count = write_table(HEADERS, rows, sheet_name="预警清单", text_columns=(5,))
    record_audit_event(
        actor,
        AuditAction.EXPORT,
        object_type="discovery_alert",
        summary=f"导出预警清单 {count} 条（脱敏）",
        extra={**filters, "division": division or "", "rows": count},
    )
    return JobOutput(lines=[f"预警清单共 {count:,} 条（身份证号码已脱敏）。"], file=content, file_name="预警清单.xlsx")


def register_jobs() -> None:
    register_job_kind(JobKind(ALERT_EXPORT, "导出预警清单", alert_export_job, perm=Perm.EXPORT_REGISTRY))
