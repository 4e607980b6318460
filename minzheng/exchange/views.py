"""Import screens: the feeds with their templates, upload → preview → commit, the batches."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.exchange.actions import do_discard_import, spec_for
from minzheng.exchange.jobs import IMPORT_COMMIT, IMPORT_PREVIEW
from minzheng.exchange.models import CommitMode
from minzheng.exchange.parsing import MAX_UPLOAD_BYTES, RowError
from minzheng.exchange.selectors import access_batch_by_id, list_batches_for, specs_for
from minzheng.exchange.spec import all_specs, get_spec
from minzheng.exchange.workbook import build_template
from minzheng.jobs.actions import do_enqueue_job
from minzheng.jobs.models import JobStatus
from minzheng.jobs.selectors import unfinished_jobs_of
from minzheng.web.decorators import staff_view
from minzheng.web.downloads import xlsx_response

SHOWN_ERRORS = 200


class UploadForm(forms.Form):
    file = forms.FileField(label="数据文件", help_text="Excel（.xlsx/.xls）或 CSV（UTF-8 或 GBK 编码），不超过30MB")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "请选择要上传的文件"
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.csv"


# The apps whose own files (not department feeds) are imported here, with the page title their
# screens link to: /exchange/?group=<label>.
GROUP_TITLES = {"assistance": "社会救助 · 数据导入", "planning": "规划监测 · 指标数值导入"}


@staff_view()  # what the actor may import decides (specs_for); nothing → 404
def index(request):
    actor = request.actor
    group = request.GET.get("group") or None
    if group is not None and group not in GROUP_TITLES:
        raise NotFound("导入类型不存在")
    specs = specs_for(actor, group=group)
    if not specs:
        raise NotFound("没有可导入的数据类型")
    page = Paginator(list_batches_for(actor, group=group), 20).get_page(request.GET.get("page"))
    titles = {s.kind: s.title for s in all_specs()}
    return render(
        request,
        "exchange/index.html",
        {
            "title": GROUP_TITLES.get(group or "", "数据交换"),
            "group": group,
            "specs": specs,
            "page_obj": page,
            "paginator": page.paginator,
            "titles": titles,
            "query_string": f"group={group}&" if group else "",
        },
    )


@staff_view()
def template_download(request, kind: str):
    spec = spec_for(request.actor, kind)
    extra = spec.template_notes(request.actor) if spec.template_notes else ()
    return xlsx_response(build_template(spec, extra_lines=extra), f"{spec.title}导入模板.xlsx")


@staff_view()
def upload(request, kind: str):
    actor = request.actor
    spec = spec_for(actor, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            form.add_error("file", f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请分批导入")
        else:
            # Reading and matching a big file takes a while: the background worker does it and
            # the job's page follows its progress, then opens the preview by itself.
            job = do_enqueue_job(
                actor, IMPORT_PREVIEW, params={"kind": kind, "filename": f.name}, label=f"导入{spec.title}：{f.name}",
                input_file=f.read(),
            )
            job.refresh_from_db()
            if job.status == JobStatus.FAILED:
                form.add_error("file", job.message)
            elif job.status == JobStatus.DONE:  # already done (a small file, or the immediate backend)
                if job.result["data"]["duplicate"]:
                    messages.info(request, job.result["lines"][0])
                return redirect("exchange:batch", batch_id=job.result["data"]["batch_id"])
            else:
                return redirect("jobs:detail", job_id=job.pk)
    return render(request, "exchange/upload.html", {"title": f"导入{spec.title}", "spec": spec, "form": form})


@staff_view()
def batch_detail(request, batch_id: int):
    actor = request.actor
    batch = access_batch_by_id(actor, batch_id)
    spec = get_spec(batch.kind)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "discard":
                do_discard_import(actor, batch)
                messages.info(request, "已放弃本次导入，未写入任何数据。")
            elif action in CommitMode.values:
                # Writing thousands of rows takes a while: the background worker does it (one
                # transaction, all or nothing) and the job's page follows it, then comes back here.
                job = _committing(actor, batch_id) or do_enqueue_job(
                    actor, IMPORT_COMMIT, params={"batch_id": batch_id, "mode": action},
                    label=f"确认导入{spec.title}（批次{batch_id}）", scope=batch.division_code,
                )  # fmt: skip
                job.refresh_from_db()
                if job.status == JobStatus.FAILED:
                    messages.error(request, job.message)
                elif job.status == JobStatus.DONE:  # already done (a small batch, or the immediate backend)
                    (messages.error if job.result["data"]["refused"] else messages.success)(request, job.result["lines"][0])
                else:
                    return redirect("jobs:detail", job_id=job.pk)
        except (DomainError, ValidationFailed) as e:
            messages.error(request, e.message)
        return redirect("exchange:batch", batch_id=batch_id)
    errors = [RowError(*e) for e in batch.errors[:SHOWN_ERRORS]]
    committing = _committing(actor, batch.pk) if batch.is_open else None
    return render(
        request,
        "exchange/batch.html",
        {
            "title": f"{spec.title} · 导入批次 {batch.pk}",
            "batch": batch,
            "spec": spec,
            "errors": [e.display("条" if batch.source == "api" else "行") for e in errors],
            "more_errors": max(0, batch.error_count - len(errors)),
            "modes": CommitMode,
            "has_report": bool(batch.report),
            "job": committing,
        },
    )


def _committing(actor, batch_id: int):
    """This user's commit of the batch that the worker has not finished yet, if any."""
    return next((j for j in unfinished_jobs_of(actor, kind=IMPORT_COMMIT) if j.params.get("batch_id") == batch_id), None)


@staff_view()
def batch_report(request, batch_id: int):
    actor = request.actor
    batch = access_batch_by_id(actor, batch_id)
    if not batch.report:
        raise NotFound("本批次没有错误报告")
    spec = get_spec(batch.kind)
    record_audit_event(
        actor, AuditAction.EXPORT, object_type="import_batch", object_id=batch.pk, division_code=batch.division_code,
        summary=f"下载{spec.title}导入错误报告（批次{batch.pk}，脱敏）",
    )  # fmt: skip
    return xlsx_response(bytes(batch.report), f"{spec.title}错误报告-批次{batch.pk}.xlsx")
