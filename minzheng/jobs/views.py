"""A job's page, its self-updating status partial (HTMX polls it every 2 s until the job is
finished), its result file, and the list of the user's jobs."""

from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import NotFound
from minzheng.jobs.access import access_job_by_id
from minzheng.jobs.models import BackgroundJob, JobStatus
from minzheng.jobs.registry import registered_job_kinds
from minzheng.jobs.selectors import jobs_of
from minzheng.web.decorators import staff_view


def status_context(job: BackgroundJob) -> dict:
    kind = registered_job_kinds().get(job.kind)
    return {"job": job, "result_template": kind.result_template if kind else ""}


@staff_view()
def job_detail(request, job_id: int):
    job = access_job_by_id(request.actor, job_id)
    return render(request, "jobs/job_detail.html", {"title": job.label, **status_context(job)})


@staff_view()
def job_status(request, job_id: int):
    job = access_job_by_id(request.actor, job_id)
    reload_when_done = request.GET.get("then") == "reload"
    response = render(request, "jobs/_status.html", {**status_context(job), "reload_when_done": reload_when_done})
    kind = registered_job_kinds().get(job.kind)
    if request.htmx and job.status == JobStatus.DONE and kind is not None and kind.go_to_result and job.result.get("links"):
        response["HX-Redirect"] = job.result["links"][0][1]  # e.g. the import's preview page
    elif reload_when_done and job.is_finished and request.htmx:
        response["HX-Refresh"] = "true"  # the page around it shows the new result
    return response


@staff_view()
def job_file(request, job_id: int):
    job = access_job_by_id(request.actor, job_id)
    if not job.has_file or job.file_content is None:
        raise NotFound("该任务没有可下载的文件")
    record_audit_event(
        request.actor,
        AuditAction.EXPORT,
        object_type="background_job",
        object_id=job.pk,
        division_code=job.scope,
        summary=f"下载后台任务结果：{job.file_name}",
    )
    response = HttpResponse(bytes(job.file_content), content_type=job.file_type or "application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.file_name)}"
    return response


@staff_view()
def job_list(request):
    page = Paginator(jobs_of(request.actor), 20).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"title": "我的后台任务", "page_obj": page, "paginator": page.paginator, "query_string": ""})
