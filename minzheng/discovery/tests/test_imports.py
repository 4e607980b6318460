"""Feed imports: refused with a row-level report and nothing written, good rows only with the
report kept, idempotent re-import, matching by blind index in bulk, unmatched never created."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from minzheng.core.audit import AuditAction
from minzheng.core.crypto import blind_index
from minzheng.core.idnumber import check_digit
from minzheng.core.models import AuditEvent
from minzheng.core.errors import DomainError, NotFound, PermissionDenied
from minzheng.discovery import feeds
from minzheng.discovery.models import Alert, Signal
from minzheng.discovery.tests.conftest import DADONGMEN, DEATH_HEADERS, TODAY, enrol, id_of, import_rows, xlsx_file
from minzheng.exchange.actions import do_commit_import, do_discard_import, do_import_records, do_preview_import
from minzheng.exchange.matching import lookup_persons
from minzheng.exchange.models import BatchStatus, CommitMode, ImportBatch
from minzheng.registry.models import DeathReport, Person

D = dt.date


def unknown_id(seq="991", birth="19700101") -> str:
    first = "500102" + birth + seq
    return first + check_digit(first)


@pytest.fixture
def beneficiaries(make_person):
    people = [make_person(DADONGMEN, n) for n in ("甲", "乙", "丙")]
    for p in people:
        enrol("tekun", person=p, amount_fen=100100)
    return people


def death_rows(people, *, bad=False):
    rows = [[id_of(p), p.name, D(2026, 11, 3), "公安户籍注销"] for p in people]
    if bad:
        rows.insert(1, [id_of(people[0])[:-1] + "0" if id_of(people[0])[-1] != "0" else id_of(people[0])[:-1] + "1", "错号", D(2026, 11, 3), "公安户籍注销"])
        rows.append([unknown_id(), "未登记", D(2030, 1, 1), "派出所"])
    return rows


def test_a_file_with_bad_rows_is_refused_and_changes_nothing(staff, beneficiaries):
    content = xlsx_file(DEATH_HEADERS, death_rows(beneficiaries, bad=True))
    preview = do_preview_import(staff.district, "death", filename="死亡.xlsx", content=content, today=TODAY)
    batch = preview.batch
    assert batch.status == BatchStatus.PREVIEW and (batch.total_rows, batch.valid_rows, batch.error_rows) == (5, 3, 2)
    assert ["第3行 [身份证号码] 身份证号码校验位错误，请核对"] == [f"第{r}行 [{c}] {m}" for r, c, m in batch.errors if r == 3]
    assert {(r, c) for r, c, _ in batch.errors if r == 6} == {(6, "死亡日期"), (6, "信息来源")}
    batch = do_commit_import(staff.district, batch, CommitMode.ALL_OR_NOTHING, today=TODAY)
    assert batch.status == BatchStatus.REFUSED
    assert Signal.objects.count() == 0 and Alert.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="import_batch", object_id=str(batch.pk), summary__contains="被拒绝").exists()
    # The row-level report is kept with the batch.
    wb = openpyxl.load_workbook(io.BytesIO(bytes(batch.report)))
    assert sorted(r[0].value for r in wb["错误明细"].iter_rows(min_row=2)) == [3, 6]


def test_importing_only_the_good_rows_keeps_the_report(staff, beneficiaries):
    content = xlsx_file(DEATH_HEADERS, death_rows(beneficiaries, bad=True))
    batch = do_preview_import(staff.district, "death", filename="死亡.xlsx", content=content, today=TODAY).batch
    do_commit_import(staff.district, batch, CommitMode.ALL_OR_NOTHING, today=TODAY)  # refused first
    batch = do_commit_import(staff.district, batch, CommitMode.GOOD_ROWS_ONLY, today=TODAY)
    assert batch.status == BatchStatus.COMMITTED and batch.mode == CommitMode.GOOD_ROWS_ONLY
    assert (batch.imported_rows, batch.error_rows) == (3, 2) and batch.report
    assert batch.staged_rows_encrypted == ""  # the staged rows (with ID numbers) are not kept
    assert Signal.objects.count() == 3 and Alert.objects.count() == 3
    assert sorted(Signal.objects.values_list("row_number", flat=True)) == [2, 4, 5]


def test_reimporting_the_same_file_changes_nothing(staff, beneficiaries):
    content = xlsx_file(DEATH_HEADERS, death_rows(beneficiaries))
    first = import_rows(staff.district, "death", DEATH_HEADERS, death_rows(beneficiaries))
    assert first.status == BatchStatus.COMMITTED and Signal.objects.count() == 3
    counts = (Signal.objects.count(), Alert.objects.count(), ImportBatch.objects.count())
    again = do_preview_import(staff.district, "death", filename="again.xlsx", content=content, today=TODAY)
    assert again.duplicate and again.batch.pk == first.pk
    assert (Signal.objects.count(), Alert.objects.count(), ImportBatch.objects.count()) == counts


def test_the_same_rows_in_another_file_are_skipped(staff, beneficiaries, make_person):
    import_rows(staff.district, "death", DEATH_HEADERS, death_rows(beneficiaries))
    newcomer = make_person(DADONGMEN, "丁")
    enrol("tekun", person=newcomer)
    rows = death_rows([*beneficiaries, newcomer])
    rows[0][3] = "殡葬火化"  # another source reporting the same death
    batch = import_rows(staff.district, "death", DEATH_HEADERS, rows)
    # The key is (ID number, death date, source): the other department's row is kept as a signal,
    # but the death is reported once (ADR 0004: one pending report per person).
    assert (batch.imported_rows, batch.skipped_rows) == (2, 2)
    assert Signal.objects.count() == 5 and Alert.objects.count() == 4
    assert DeathReport.objects.count() == 4 and batch.summary["death_reports"] == 1


def test_unmatched_rows_are_reported_and_no_person_is_created(staff, beneficiaries):
    persons = Person.objects.count()
    rows = death_rows(beneficiaries) + [[unknown_id(), "未登记", D(2026, 11, 3), "公安户籍注销"]]
    batch = import_rows(staff.district, "death", DEATH_HEADERS, rows)
    assert (batch.matched_rows, batch.unmatched_rows, batch.imported_rows) == (3, 1, 3)
    assert Person.objects.count() == persons
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(batch.report)))["未匹配人员"]
    assert sheet["A2"].value == 5 and sheet["B2"].value == unknown_id()[:6] + "********" + unknown_id()[-4:]


def test_a_name_that_differs_from_the_registry_is_a_warning_not_an_error(staff, beneficiaries):
    rows = death_rows(beneficiaries)
    rows[0][1] = "别名"
    batch = import_rows(staff.district, "death", DEATH_HEADERS, rows)
    assert batch.warning_count == 1 and batch.imported_rows == 3
    assert Signal.objects.get(person=beneficiaries[0]).name_mismatch


def test_matching_is_one_query_per_chunk(staff, make_person, django_assert_max_num_queries):
    people = [make_person(DADONGMEN, f"人{i}") for i in range(5)]
    indexes = [blind_index(id_of(p)) for p in people] + [
        blind_index(unknown_id(f"{i % 1000:03d}", f"1971{1 + i // 1000:02d}01")) for i in range(2400)
    ]
    with django_assert_max_num_queries(2):  # 2,405 numbers, chunks of 2,000
        found = lookup_persons(staff.district, indexes)
    assert {ref.id for ref in found.values()} == {p.pk for p in people}


def test_matching_stays_within_the_importers_scope(staff, beneficiaries):
    # A town officer of another town imports nothing about 敦仁街道's people: they do not match.

    found = lookup_persons(staff.other_town, [blind_index(id_of(p)) for p in beneficiaries])
    assert found == {}


def test_only_permitted_users_import_and_see_batches(staff, beneficiaries):
    content = xlsx_file(DEATH_HEADERS, death_rows(beneficiaries))
    with pytest.raises(PermissionDenied):
        do_preview_import(staff.village, "death", filename="x.xlsx", content=content, today=TODAY)
    batch = do_preview_import(staff.district, "death", filename="x.xlsx", content=content, today=TODAY).batch
    with pytest.raises((NotFound, PermissionDenied)):
        do_commit_import(staff.town, batch, CommitMode.ALL_OR_NOTHING, today=TODAY)
    do_discard_import(staff.district, batch)
    with pytest.raises(DomainError):
        do_commit_import(staff.district, batch, CommitMode.ALL_OR_NOTHING, today=TODAY)
    assert Signal.objects.count() == 0


def test_machine_client_rows_are_idempotent(staff, beneficiaries):
    rows = [{"id_number": id_of(p), "name": p.name, "death_date": "2026-11-03", "source": "police"} for p in beneficiaries]
    first = do_import_records(staff.district, "death", rows, today=TODAY)
    assert first.batch.status == BatchStatus.COMMITTED and first.batch.imported_rows == 3
    again = do_import_records(staff.district, "death", rows, today=TODAY)
    assert again.duplicate and again.batch.pk == first.batch.pk
    assert Signal.objects.count() == 3 and ImportBatch.objects.count() == 1
    audit = AuditEvent.objects.filter(action=AuditAction.IMPORT).first()
    assert audit and not any(id_of(p) in str(audit.extra) + audit.summary for p in beneficiaries)


def test_signals_are_inserted_a_chunk_at_a_time_in_the_one_transaction(staff, beneficiaries, monkeypatch):
    """Issue 20 point 7: no frame of the whole file — INSERT_CHUNK rows per insert, all in the
    import's one transaction (the counts and alerts are those of one insert)."""
    sizes = []
    real = feeds.bulk_insert
    monkeypatch.setattr(feeds, "INSERT_CHUNK", 2)
    monkeypatch.setattr(feeds, "bulk_insert", lambda model, columns, frame: sizes.append(frame.height) or real(model, columns, frame))
    batch = import_rows(staff.district, "death", DEATH_HEADERS, death_rows(beneficiaries))
    assert sizes == [2, 1]
    assert batch.status == BatchStatus.COMMITTED and batch.imported_rows == 3
    assert Signal.objects.count() == 3 and Alert.objects.count() == 3
