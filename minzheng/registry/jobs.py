"""The registry's long work, done by the background worker (minzheng/jobs): exporting the
person list (the whole district is ~1.1 million people)."""

from __future__ import annotations

from typing import Any

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind
from minzheng.registry.exports import persons_xlsx
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import search_persons

PERSON_EXPORT = "registry.person_export"


def person_export_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    q, division = params.get("q", ""), params.get("division") or None
    progress(10, "查询人员")
    qs, _ = search_persons(actor, q, division_code=division)
    progress(30, "生成 Excel 文件")
    content, count = persons_xlsx(qs)
    record_audit_event(
        actor,
        AuditAction.EXPORT,
        object_type="person",
        summary=f"导出人员名单 {count} 条（脱敏）",
        extra={"q_kind": "set" if q else "all", "division": division or "", "rows": count},
    )
    return JobOutput(lines=[f"人员名单共 {count:,} 条（身份证号码已脱敏）。"], file=content, file_name="人员名单.xlsx")


def register_jobs() -> None:
    register_job_kind(JobKind(PERSON_EXPORT, "导出人员名单", person_export_job, perm=RegistryPerm.EXPORT_REGISTRY))
