"""The background-job kit: enqueue (audited), progress, result and file, failures in Chinese,
and only the owner sees a job. Tasks run immediately in tests (ImmediateBackend)."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.core.errors import DomainError, NotFound
from minzheng.core.models import AuditEvent
from minzheng.jobs.access import access_job_by_id
from minzheng.jobs.actions import do_enqueue_job
from minzheng.jobs.models import BackgroundJob
from minzheng.jobs.registry import JobKind, JobOutput, register_job_kind
from minzheng.jobs.runner import execute_job

pytestmark = pytest.mark.django_db

SEEN: list[tuple[int, str]] = []


def _work(actor, params, progress):
    progress(40, "读取数据")
    SEEN.append((40, "读取数据"))
    if params.get("refuse"):
        raise DomainError("核算期超出参数覆盖范围")
    if params.get("crash"):
        raise RuntimeError("internal detail /srv/app.py")
    return JobOutput(lines=[f"共 {params['n']:,} 人"], links=[("查看", "/screening/")], data={"n": params["n"]}, file=b"PK-data", file_name="名单.xlsx")


register_job_kind(JobKind("test.work", "测试导出", _work))


@pytest.fixture
def users(make_user, actor_of):
    mine = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_officer")
    other = make_user(Role.TOWN_OFFICER, "500102119", username="zhenxi_officer")
    return actor_of(mine), actor_of(other), mine, other


def test_a_job_runs_with_progress_result_and_file(users):
    me, _, user, _ = users
    job = do_enqueue_job(me, "test.work", params={"n": 12345}, scope="500102006")
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == ("done", 100, "已完成")
    assert job.result == {"lines": ["共 12,345 人"], "links": [["查看", "/screening/"]], "data": {"n": 12345}}
    assert bytes(job.file_content) == b"PK-data" and job.file_name == "名单.xlsx"
    assert job.owner_id == user.pk and job.label == "测试导出"
    event = AuditEvent.objects.get(object_type="background_job", action="create")
    assert event.summary == "提交后台任务：测试导出" and event.division_code == "500102006"
    assert execute_job(job.pk) == "skipped"  # delivered twice: done once


def test_a_refusal_is_shown_as_it_is_and_a_crash_as_plain_chinese(users):
    me = users[0]
    refused = do_enqueue_job(me, "test.work", params={"refuse": True})
    refused.refresh_from_db()
    assert (refused.status, refused.message) == ("failed", "核算期超出参数覆盖范围")
    crashed = do_enqueue_job(me, "test.work", params={"crash": True})
    crashed.refresh_from_db()
    assert crashed.status == "failed"
    assert crashed.message == f"处理中出现错误，任务未完成。请稍后重试；如仍不成功，请联系系统管理员（任务编号 {crashed.pk}）。"


def test_only_the_owner_sees_a_job(users, client):
    me, other, user, other_user = users
    job = do_enqueue_job(me, "test.work", params={"n": 3})
    assert access_job_by_id(me, job.pk).pk == job.pk
    with pytest.raises(NotFound):
        access_job_by_id(other, job.pk)
    client.force_login(other_user)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/file/"):
        assert client.get(url).status_code == 404, url
    assert "测试导出" not in client.get("/jobs/").content.decode()
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/file/")
    assert response.status_code == 200 and response.content == b"PK-data"
    assert AuditEvent.objects.filter(action="export", object_type="background_job").count() == 1
    assert "测试导出" in client.get("/jobs/").content.decode()


def test_the_status_partial_polls_until_done(users, client):
    me, _, user, _ = users
    job = BackgroundJob.objects.create(kind="test.work", label="测试导出", owner=user, params={"n": 7})
    client.force_login(user)
    html = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in html and "排队等待后台处理" in html and 'data-job-status="queued"' in html
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", progress=40, message="读取数据")
    html = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html and "读取数据（40%）" in html
    BackgroundJob.objects.filter(pk=job.pk).update(status="queued")
    assert execute_job(job.pk) == "done"
    html = client.get(f"/jobs/{job.pk}/status/", {"then": "reload"}, headers={"HX-Request": "true"})
    assert html["HX-Refresh"] == "true"
    body = html.content.decode()
    assert "hx-trigger" not in body and "共 7 人" in body and f"/jobs/{job.pk}/file/" in body and "下载 名单.xlsx" in body
    assert "Traceback" not in body


def _read_upload(actor, params, progress):
    return JobOutput(lines=[f"读到 {len(params['input_file'])} 字节"], links=[("查看导入预览", "/exchange/batches/1/")])


register_job_kind(JobKind("test.upload", "导入文件预览", _read_upload, go_to_result=True))


def test_an_upload_is_read_then_dropped_and_the_page_goes_to_the_result(users, client):
    me, _, user, _ = users
    job = do_enqueue_job(me, "test.upload", input_file=b"x" * 2048)
    job.refresh_from_db()
    assert job.result["lines"] == ["读到 2048 字节"] and job.input_content is None
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/status/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/exchange/batches/1/"
