"""The registry's long work, done by the background worker (minzheng/jobs): exporting the
person list (the whole district is ~1.1 million people) and 重新统计 (every statistics snapshot
of the platform: core.snapshots)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.snapshots import refresh_snapshots, registered_snapshots
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind
from minzheng.registry.exports import persons_xlsx
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import search_persons

PERSON_EXPORT = "registry.person_export"
STATISTICS_REFRESH = "registry.refresh_statistics"


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


def refresh_statistics_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    actor.require(RegistryPerm.REFRESH_STATISTICS)
    written = refresh_snapshots(progress=progress)
    labels = registered_snapshots()
    lines = [f"已重新统计{labels[kind].label}（{n:,} 个区划）。" for kind, n in written.items()]
    return JobOutput(lines=lines, links=[("查看区划统计", reverse("registry:division-detail"))])


def register_jobs() -> None:
    register_job_kind(JobKind(PERSON_EXPORT, "导出人员名单", person_export_job, perm=RegistryPerm.EXPORT_REGISTRY))
    register_job_kind(JobKind(STATISTICS_REFRESH, "重新统计", refresh_statistics_job, perm=RegistryPerm.REFRESH_STATISTICS))
