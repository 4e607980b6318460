"""Confirming an import runs as a background job (exchange.commit) with the jobs' progress
page, and stays all or nothing: a failure part-way writes no row."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.models import AuditEvent
from minzheng.core.snapshots import read_snapshot
from minzheng.exchange import spec as spec_module
from minzheng.exchange.actions import do_preview_import
from minzheng.exchange.jobs import IMPORT_COMMIT
from minzheng.exchange.models import BatchStatus, ImportBatch
from minzheng.exchange.spec import ID_NUMBER, NAME, ImportSpec, register_spec
from minzheng.jobs.models import BackgroundJob, JobStatus

KIND = "test_memo"
STATE = {"fail_at": None}


def _commit(actor, batch, rows, *, today):
    """Writes one audit row per person; fails at row STATE['fail_at'] (a crash, not a refusal)."""
    for i, row in enumerate(rows, start=1):
        if STATE["fail_at"] == i:
            raise RuntimeError("disk full")
        record_audit_event(actor, AuditAction.UPDATE, object_type="test_memo", object_id=row.person.id, summary="测试备注")
    return {"inserted": len(rows)}


@pytest.fixture
def memo_spec():
    saved = dict(spec_module._SPECS)
    register_spec(ImportSpec(kind=KIND, title="测试备注", source="测试", columns=(ID_NUMBER, NAME), commit=_commit, all_or_nothing=True))
    STATE["fail_at"] = None
    yield
    spec_module._SPECS.clear()
    spec_module._SPECS.update(saved)


@pytest.fixture
def previewed(db, memo_spec, make_user, make_person, actor_of, id_number):
    user = make_user(Role.DISTRICT_STAFF, "500102")
    numbers = [id_number("19500101", "012"), id_number("19500101", "024"), id_number("19500101", "036")]
    for n, name in zip(numbers, ("王一", "王二", "王三"), strict=True):
        make_person("500102006001", name, id_number=n)
    content = ("身份证号码,姓名\n" + "".join(f"{n},{name}\n" for n, name in zip(numbers, ("王一", "王二", "王三"), strict=True))).encode()
    batch = do_preview_import(actor_of(user), KIND, filename="备注.csv", content=content).batch
    assert batch.status == BatchStatus.PREVIEW and batch.matched_rows == 3
    return user, batch


def test_confirming_runs_as_a_job_and_says_what_was_written(previewed, client):
    user, batch = previewed
    client.force_login(user)
    response = client.post(f"/exchange/batches/{batch.pk}/", {"action": "all_or_nothing"}, follow=True)
    job = BackgroundJob.objects.get(kind=IMPORT_COMMIT)
    assert job.status == JobStatus.DONE and job.params == {"batch_id": batch.pk, "mode": "all_or_nothing"}
    assert job.label == f"确认导入测试备注（批次{batch.pk}）"
    assert job.result["lines"] == ["导入完成：写入3行。"]
    assert job.result["links"] == [["查看导入批次", f"/exchange/batches/{batch.pk}/"]]
    assert "导入完成：写入3行。" in response.content.decode()
    assert AuditEvent.objects.filter(object_type="test_memo").count() == 3
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.COMMITTED
    # after a committed import the job recounts the statistics snapshots (区划统计 …)
    assert read_snapshot("registry.division", "500102006001").data["total"] == 3
    assert not read_snapshot("registry.division", "500102006001").stale


def test_a_failure_part_way_writes_nothing_and_leaves_the_batch_open(previewed, client):
    user, batch = previewed
    STATE["fail_at"] = 3  # two rows written, then a crash
    client.force_login(user)
    response = client.post(f"/exchange/batches/{batch.pk}/", {"action": "all_or_nothing"}, follow=True)
    job = BackgroundJob.objects.get(kind=IMPORT_COMMIT)
    assert job.status == JobStatus.FAILED
    assert job.message == f"处理中出现错误，任务未完成。请稍后重试；如仍不成功，请联系系统管理员（任务编号 {job.pk}）。"
    assert job.message in response.content.decode()
    assert AuditEvent.objects.filter(object_type="test_memo").count() == 0  # all or nothing
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEW and batch.imported_rows == 0 and batch.staged_rows_encrypted
    STATE["fail_at"] = None  # the same batch can be confirmed again
    client.post(f"/exchange/batches/{batch.pk}/", {"action": "all_or_nothing"})
    assert AuditEvent.objects.filter(object_type="test_memo").count() == 3


def test_a_queued_commit_shows_its_progress_on_the_batch_page(previewed, client, settings):
    """With a real worker the confirmation goes to the job's page; the batch page shows the
    job's status (no second 确认导入 button) until the worker is done."""
    user, batch = previewed
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client.force_login(user)
    response = client.post(f"/exchange/batches/{batch.pk}/", {"action": "all_or_nothing"})
    job = BackgroundJob.objects.get(kind=IMPORT_COMMIT)
    assert job.status == JobStatus.QUEUED and response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(f"/exchange/batches/{batch.pk}/").content.decode()
    assert f'id="job-{job.pk}"' in page and "已提交，排队等待后台处理" in page and 'value="all_or_nothing"' not in page
    again = client.post(f"/exchange/batches/{batch.pk}/", {"action": "all_or_nothing"})  # a second click
    assert again["Location"] == f"/jobs/{job.pk}/" and BackgroundJob.objects.filter(kind=IMPORT_COMMIT).count() == 1
    assert AuditEvent.objects.filter(object_type="test_memo").count() == 0
