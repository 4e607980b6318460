"""The batches of the replaced pipelines (assistance ImportJob, planning ImportBatch) copied into
exchange's ImportBatch: the mapping functions directly, then the two data migrations on a real
database (migrate back, store old batches, migrate forward)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from minzheng.exchange.legacy import (
    MIGRATED_NOTE,
    dedupe_committed_keys,
    from_assistance_job,
    from_planning_batch,
    legacy_key,
    write_batches,
)
from minzheng.accounts.permissions import Role
from minzheng.exchange.models import ImportBatch

WHEN = dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC)


def job(**over) -> dict:
    return {
        "id": 7,
        "kind": "dept_wages",
        "division_code": "500102",
        "filename": "工资.xlsx",
        "content": b"PK-file",
        "status": "committed",
        "total_rows": 3,
        "error_count": 0,
        "errors": [],
        "summary": {"matched": 2, "unmatched_count": 1, "unmatched": 1, "rows": 3, "imported": 2, "report": {"bad_rows": {}}},
        "created_by_id": 4,
        "created_at": WHEN,
        "committed_at": WHEN,
    } | over


def test_a_committed_assistance_job_keeps_its_counts_key_and_times():
    fields = from_assistance_job(job(), user_name="区民政局张三")
    assert fields | {"summary": None} == {
        "kind": "assistance_dept_wages",
        "source": "upload",
        "filename": "工资.xlsx",
        "content_key": hashlib.sha256(b"PK-file").hexdigest(),
        "division_code": "500102",
        "status": "committed",
        "mode": "all_or_nothing",
        "total_rows": 3,
        "valid_rows": 3,
        "error_rows": 0,
        "error_count": 0,
        "errors": [],
        "matched_rows": 0,
        "unmatched_rows": 1,
        "imported_rows": 2,
        "summary": None,
        "created_by_id": 4,
        "created_by_name": "区民政局张三",
        "committed_by_id": 4,
        "created_at": WHEN,
        "committed_at": WHEN,
    }
    assert fields["summary"] == {"matched": 2, "unmatched_count": 1, "unmatched": 1, "rows": 3, "imported": 2, "migrated_from": "assistance_importjob:7"}


def test_an_unconfirmed_job_with_errors_becomes_a_discarded_batch_with_its_errors():
    errors = [{"row": 4, "column": "与户主关系", "message": "“表哥”不是有效的与户主关系"}, {"row": 4, "column": "姓名", "message": "x"}, {"row": 6, "column": "", "message": "y"}]
    fields = from_assistance_job(
        job(kind="roster_dibao", status="preview", content=b"", errors=errors, error_count=3, total_rows=9,
            summary={"enrolments_planned": 2, "unmatched": [{"row": 3, "id_number": "500102********1234"}]}),
    )  # fmt: skip
    assert (fields["kind"], fields["status"], fields["mode"], fields["imported_rows"]) == ("assistance_roster_dibao", "discarded", "", 0)
    assert fields["errors"] == [[4, "与户主关系", "“表哥”不是有效的与户主关系"], [4, "姓名", "x"], [6, "", "y"]]
    assert (fields["error_count"], fields["error_rows"], fields["valid_rows"]) == (3, 2, 7)
    assert fields["content_key"] == legacy_key("assistance_importjob", 7)  # the file was already dropped
    assert fields["summary"] == {"enrolments_planned": 2, "unmatched": 1, "migrated_from": "assistance_importjob:7", "note": MIGRATED_NOTE}
    assert fields["committed_by_id"] is None


def test_a_planning_batch_maps_its_rows_and_plan():
    batch = {
        "id": 3, "plan_id": 1, "division_code": "500102", "file_name": "2024年指标.xlsx", "sha256": "ab" * 32,
        "rows": [{"row": 2}, {"row": 3}], "errors": [], "status": "committed", "created_by_id": 5,
        "created_at": WHEN, "committed_at": WHEN,
    }  # fmt: skip
    fields = from_planning_batch(batch)
    assert (fields["kind"], fields["content_key"], fields["status"], fields["total_rows"], fields["imported_rows"]) == (
        "planning_values", "ab" * 32, "committed", 2, 2,
    )
    assert fields["summary"] == {"plan_id": 1, "inserted": 2, "migrated_from": "planning_importbatch:3"}
    previewed = from_planning_batch(batch | {"status": "previewed", "errors": [{"row": 4, "column": "区划", "message": "区划“火星镇”不存在"}]})
    assert (previewed["status"], previewed["total_rows"], previewed["error_rows"], previewed["imported_rows"]) == ("discarded", 3, 1, 0)


def test_the_same_content_committed_twice_keeps_one_key():
    a = from_assistance_job(job(id=1))
    b = from_assistance_job(job(id=2))
    c = from_assistance_job(job(id=3, status="discarded"))
    out = dict(dedupe_committed_keys([("assistance_importjob", 1, a), ("assistance_importjob", 2, b), ("assistance_importjob", 3, c)], set()))
    assert out[1]["content_key"] == a["content_key"]
    assert out[2]["content_key"] == legacy_key("assistance_importjob", 2)
    assert out[3]["content_key"] == a["content_key"]  # not committed: no constraint
    taken = {("assistance_dept_wages", a["content_key"])}
    assert dict(dedupe_committed_keys([("assistance_importjob", 1, a)], taken))[1]["content_key"] == legacy_key("assistance_importjob", 1)


@pytest.mark.django_db
def test_written_batches_keep_their_upload_time(make_user):
    user = make_user(Role.DISTRICT_STAFF, "500102")
    mapping = write_batches(ImportBatch, [(7, from_assistance_job(job(created_by_id=user.pk)))])
    batch = ImportBatch.objects.get(pk=mapping[7])
    assert (batch.created_at, batch.status, batch.created_by_id, batch.imported_rows) == (WHEN, "committed", user.pk, 2)


@pytest.mark.django_db(transaction=True)
def test_the_migrations_copy_the_stored_batches_and_repoint_the_records():
    before = [("assistance", "0001_initial"), ("planning", "0001_initial")]
    after = [("assistance", "0003_drop_import_jobs"), ("planning", "0003_drop_planning_import_batches")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("accounts", "User")
    user = User.objects.create(username="old_importer", display_name="李四", password="!")
    Person = old.get_model("registry", "Person")
    person = Person.objects.create(
        id_number_encrypted="x", id_number_index="idx-1", id_number_masked="500102********0011", name="刘小芳", sex="F",
        birth_date=dt.date(1970, 1, 1), division_code="500102006001", hukou_division_code="500102006001", hukou_type="resident",
    )  # fmt: skip
    ImportJob = old.get_model("assistance", "ImportJob")
    j = ImportJob.objects.create(
        kind="dept_wages", division_code="500102", filename="工资.xlsx", content=b"PK-old", status="committed",
        total_rows=2, summary={"imported": 1, "unmatched": 1}, created_by=user, committed_at=timezone.now(),
    )  # fmt: skip
    ImportJob.objects.filter(pk=j.pk).update(created_at=WHEN)
    old.get_model("assistance", "DepartmentRecord").objects.create(
        job=j, department="dept_wages", person=person, division_code="500102006001", row_number=2, monthly_income_fen=90000
    )
    Plan = old.get_model("planning", "Plan")
    plan = Plan.objects.create(code="2021-2025", title="十四五规划", short_title="十四五", baseline_year=2020, start_year=2021, end_year=2025, midterm_year=2023)
    OldBatch = old.get_model("planning", "ImportBatch")
    b = OldBatch.objects.create(
        plan=plan, division_code="500102", file_name="指标.xlsx", sha256="cd" * 32, rows=[{"row": 2}], errors=[],
        status="committed", created_by=user,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    ImportBatch = new.get_model("exchange", "ImportBatch")
    copied = ImportBatch.objects.get(kind="assistance_dept_wages")
    assert (copied.filename, copied.status, copied.imported_rows, copied.unmatched_rows, copied.created_by_id, copied.created_by_name) == (
        "工资.xlsx", "committed", 1, 1, user.pk, "李四",
    )
    assert copied.created_at == WHEN and copied.content_key == hashlib.sha256(b"PK-old").hexdigest()
    assert new.get_model("assistance", "DepartmentRecord").objects.get().batch_id == copied.pk
    values = ImportBatch.objects.get(kind="planning_values")
    assert (values.filename, values.status, values.content_key, values.summary["migrated_from"]) == ("指标.xlsx", "committed", "cd" * 32, f"planning_importbatch:{b.pk}")
    assert not any("importjob" in t for t in connection.introspection.table_names())
    assert "planning_importbatch" not in connection.introspection.table_names()
    # Every app back at its newest migration, so the tests after this one find every table.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
