"""Assistance's long work, done by the background worker (minzheng/jobs): generating the
month's payroll batches (every program: thousands of payments)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance import payroll
from minzheng.assistance.enums import BatchStatus, Program
from minzheng.core.money import format_yuan
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind

PAYROLL_RUN = "assistance.payroll"


def payroll_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    summaries = payroll.run_all(actor, period=params["period"], programs=params.get("programs") or None, progress=progress)
    lines, links = [], []
    for s in summaries:
        label = Program(s.program).label if s.program in Program.values else s.program
        state = "已审批，未改动" if s.unchanged_rerun else BatchStatus(s.status).label
        lines.append(f"{label} {s.period}：{s.payments:,} 笔，{s.people:,} 人，{format_yuan(s.total_fen)} 元（{state}）")
        links.append((f"{label}发放表", reverse("assistance:payroll-detail", args=[s.batch_id])))
    total = sum(s.total_fen for s in summaries)
    lines.insert(0, f"已生成 {len(summaries)} 个发放表，合计 {sum(s.payments for s in summaries):,} 笔、{format_yuan(total)} 元。")
    return JobOutput(lines=lines, links=links, data={"batches": [s.batch_id for s in summaries]})


def register_jobs() -> None:
    register_job_kind(JobKind(PAYROLL_RUN, "生成发放表", payroll_job, perm=Perm.PREPARE_PAYROLL))
