"""Issue 20 point 7: an upload is read in the background job, not in the web worker; a file
past the row limit is refused there and stages nothing; the good rows are staged a chunk at a
time (never one text of the whole file) and read back a line at a time, exactly as matched."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.accounts.models import Role
from minzheng.core.crypto import decrypt_text, encrypt_text
from minzheng.core.models import AuditEvent
from minzheng.exchange import actions
from minzheng.exchange import spec as spec_module
from minzheng.exchange.jobs import IMPORT_PREVIEW
from minzheng.exchange.matching import MatchedRow, PersonRef
from minzheng.exchange.models import BatchStatus, ImportBatch
from minzheng.exchange.tests.test_commit_job import KIND, memo_spec  # noqa: F401 — the fixture
from minzheng.exchange.tests.test_parsing import SPEC
from minzheng.jobs.models import BackgroundJob, JobStatus


def _small_limit():
    spec_module._SPECS[KIND] = dataclasses.replace(spec_module._SPECS[KIND], max_rows=5)


def test_an_oversize_upload_is_refused_by_the_job_and_stages_nothing(db, memo_spec, make_user, client):  # noqa: F811
    _small_limit()
    user = make_user(Role.DISTRICT_STAFF, "500102")
    client.force_login(user)
    body = "身份证号码,姓名\n" + "110101195001010012,王一\n" * 40
    upload = client.post(f"/exchange/feeds/{KIND}/upload/", {"file": _file("备注.csv", body.encode())})
    job = BackgroundJob.objects.get(kind=IMPORT_PREVIEW)
    batch = ImportBatch.objects.get()
    assert upload.status_code == 302 and upload["Location"] == f"/exchange/batches/{batch.pk}/"
    assert job.status == JobStatus.DONE
    assert job.result["lines"] == ["备注.csv无法导入：文件行数超过每次导入的上限（5行，含空行），请分批导入。未写入任何数据。"]
    assert job.input_content is None  # the upload is not kept once the job has read it
    assert batch.status == BatchStatus.REFUSED and batch.total_rows == 0 and batch.staged_rows_encrypted == ""
    assert batch.file_errors == ["文件行数超过每次导入的上限（5行，含空行），请分批导入"]
    assert AuditEvent.objects.filter(object_type="test_memo").count() == 0
    page = client.get(f"/exchange/batches/{batch.pk}/").content.decode()
    assert "文件行数超过每次导入的上限（5行，含空行），请分批导入" in page and 'value="all_or_nothing"' not in page


def test_the_web_request_only_saves_the_upload_the_worker_parses_it(db, memo_spec, make_user, client, settings, monkeypatch):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    parsed = []
    real = actions.parse_upload
    monkeypatch.setattr(actions, "parse_upload", lambda *a, **k: parsed.append(1) or real(*a, **k))
    user = make_user(Role.DISTRICT_STAFF, "500102")
    client.force_login(user)
    content = ("身份证号码,姓名\n" + "110101195001010012,王一\n" * 3).encode()
    upload = client.post(f"/exchange/feeds/{KIND}/upload/", {"file": _file("备注.csv", content)})
    job = BackgroundJob.objects.get(kind=IMPORT_PREVIEW)
    assert upload["Location"] == f"/jobs/{job.pk}/" and job.status == JobStatus.QUEUED
    assert parsed == [] and ImportBatch.objects.count() == 0  # not read in the web worker
    assert bytes(job.input_content) == content  # saved as received, for the worker


ROWS = [
    MatchedRow(n, {"id_number": f"11010119500101{n:03d}2", "name": f"王{n}", "on": dt.date(2026, 3, n), "amount": 1250 * n,
                   "count": n, "level": "low", "note": None}, PersonRef(100 + n, "500102006001", 7, False, f"王{n}"), f"idx{n}")
    for n in range(1, 6)
]  # fmt: skip


def test_rows_are_staged_a_chunk_at_a_time_and_read_back_exactly(monkeypatch):
    pieces = []
    real = zlib.compressobj

    class Counting:
        def __init__(self, level):
            self.inner = real(level)

        def compress(self, data):
            pieces.append(data)
            return self.inner.compress(data)

        def flush(self):
            return self.inner.flush()

    monkeypatch.setattr(actions.zlib, "compressobj", Counting)
    staged = actions.stage_rows(SPEC, ROWS, chunk=2)
    # the header, three chunks of at most two rows (2 + 2 + 1), the closing brackets
    assert [p.count(b"\n") for p in pieces] == [1, 2, 2, 1, 0]
    assert len(pieces) == 5 and pieces[-1] == b"]}"
    document = json.loads(zlib.decompress(base64.b64decode(decrypt_text(staged))))  # still one JSON document
    assert document["columns"] == ["id_number", "name", "on", "amount", "count", "level", "note"]
    assert document["rows"][0] == [1, "idx1", 101, "500102006001", 7, False, "王1", "110101195001010012", "王1", "2026-03-01", 1250, 1, "low", None]
    assert actions.unstage_rows(SPEC, staged) == ROWS


def test_a_batch_staged_before_the_line_format_still_reads():
    keys = [c.key for c in SPEC.columns]
    rows = [[m.number, m.id_index, m.person.id, m.person.division_code, m.person.household_id, m.person.is_deceased, m.person.name,
             *[m.values[k].isoformat() if isinstance(m.values[k], dt.date) else m.values[k] for k in keys]] for m in ROWS]  # fmt: skip
    raw = json.dumps({"v": 1, "columns": keys, "rows": rows}, ensure_ascii=False, separators=(",", ":"))
    staged = encrypt_text(base64.b64encode(zlib.compress(raw.encode("utf-8"), 1)).decode("ascii"))
    assert actions.unstage_rows(SPEC, staged) == ROWS


def test_no_rows_stage_and_read_back_as_none():
    assert actions.unstage_rows(SPEC, actions.stage_rows(SPEC, [])) == []


def _file(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="text/csv")
