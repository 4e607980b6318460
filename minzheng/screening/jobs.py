"""Screening's long work, done by the background worker (minzheng/jobs): the whole-district
run and reform simulation. The screens enqueue them and show their progress."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind, stepper
from minzheng.screening.models import DiscrepancyKind
from minzheng.screening.refresh import do_refresh_screening
from minzheng.screening.runs import do_run_screening
from minzheng.screening.parameters_view import UNIT_LABELS
from minzheng.screening.simulation import simulate

SCREENING_RUN = "screening.run"
SIMULATION = "screening.simulate"

# The messages do_run_screening and do_refresh_screening say, and how far along each one is.
RUN_STEPS = {"读取人口与家庭数据": 5, "读取有变化的家庭": 5, "规则计算": 20, "与在保名册比对": 65, "写入筛查结果": 80}


def run_screening_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    period = params["period"]
    steps = stepper(progress, RUN_STEPS)
    if params.get("incremental"):
        run = do_refresh_screening(actor, period=period, progress=steps)
    else:
        run = do_run_screening(actor, period=period, progress=steps)
    counts = run.counts
    kinds = counts.get("discrepancies", {})
    found = "，".join(f"{label} {kinds.get(value, 0):,} 条" for value, label in DiscrepancyKind.choices)
    query = urlencode({"period": period})
    if "refreshed_households" in counts:
        done = f"{period} 全区筛查增量更新完成（批次 {run.pk}）：重新计算有变化的 {counts['refreshed_households']:,} 户。"
    else:
        done = f"{period} 全区筛查完成（批次 {run.pk}）：{counts['households']:,} 户、{counts['members']:,} 人。"
    return JobOutput(
        lines=[done, f"疑点 {sum(kinds.values()):,} 条：{found}。"],
        links=[
            ("查看本次筛查结果", f"{reverse('screening:overview')}?{query}"),
            ("查看疑点清单", f"{reverse('screening:discrepancies')}?{query}"),
        ],
        data={"run_id": run.pk, "period": period},
    )


def simulation_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    progress(10, "按现行参数和模拟参数分别计算")
    # The form sends {name: value}; the older set=name=value form a list of lines.
    # An empty set is a valid request of the API (both evaluations under the current parameters).
    result = simulate(actor, period=params["period"], overrides=params["overrides"], allow_empty=params.get("allow_empty", False))
    for change in result["changed"]:
        change["unit_label"] = UNIT_LABELS.get(change["unit"], change["unit"])
    return JobOutput(
        lines=[f"{result['period']} 政策模拟完成：您辖区内 {result.get('households', 0):,} 户、{result.get('members', 0):,} 人。"],
        data=result,
    )


def register_jobs() -> None:
    register_job_kind(JobKind(SCREENING_RUN, "全区救助资格筛查", run_screening_job, perm=Perm.RUN_SCREENING))
    register_job_kind(
        JobKind(SIMULATION, "政策模拟", simulation_job, perm=Perm.VIEW_REGISTRY, result_template="screening/_simulation_result.html")
    )
