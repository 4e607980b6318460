"""Every write of the exchange framework: named, atomic, audited.

    batch = do_preview_import(actor, "medical_discharge", filename=f.name, content=data)
    batch = do_commit_import(actor, batch, CommitMode.GOOD_ROWS_ONLY)

Preview parses and matches every row and keeps an error report; nothing else is written. The
good, matched rows are staged with the batch (compressed, SM4-encrypted — they hold ID numbers)
until the user commits or discards; the uploaded file itself is not kept. Commit hands exactly
the rows the preview showed, matched as the preview matched them, to the spec's ``commit``
inside ONE transaction. The same content (SHA-256) is committed at most once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import time
import zlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.bulk import sqlite_fast_load
from minzheng.core.crypto import decrypt_text, encrypt_text
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.exchange.matching import MatchedRow, MatchResult, PersonRef, match_rows
from minzheng.exchange.models import BatchSource, BatchStatus, CommitMode, ImportBatch
from minzheng.exchange.parsing import ParsedImport, RowError, display_value, parse_records, parse_upload
from minzheng.exchange.spec import ColumnType, ImportSpec, RowsRefused, get_spec
from minzheng.exchange.workbook import build_error_report

STORED_ERRORS = 2000
MAX_API_ROWS = 5000


def spec_for(actor: Actor, kind: str) -> ImportSpec:
    spec = get_spec(kind)
    if spec is None:
        raise NotFound("导入类型不存在")
    actor.require(spec.perm)
    if spec.authorize is not None:
        spec.authorize(actor)
    return spec


def _access_batch(actor: Actor, spec_kind_pk: int, *, for_update: bool = False) -> ImportBatch:
    """The batch in the actor's scope (and the actor's own, for owner-only specs), or NotFound."""
    batch = access_by_id(ImportBatch.objects.all(), actor, spec_kind_pk, for_update=for_update)
    spec = get_spec(batch.kind)
    if spec is not None and spec.owner_only and batch.created_by_id != actor.user_id:
        raise NotFound()
    return batch


def prepare_rows(actor: Actor, spec: ImportSpec, parsed: ParsedImport, today: dt.date) -> MatchResult:
    """Match the good rows to registry persons, then the owning app's own checks (which reject
    rows); the result holds only the rows still good."""
    match = match_rows(actor, spec, parsed.good_rows)
    if spec.name_mismatch_is_error and spec.name_column:
        header = spec.column(spec.name_column).header
        for m in match.matched:
            given = m.values.get(spec.name_column)
            if m.person is not None and given and given != m.person.name:
                parsed.reject(spec, m.number, spec.name_column, f"与登记姓名不一致（登记为 {m.person.name}）")
        match.warnings = [w for w in match.warnings if w.column != header]
    if spec.check is not None:
        match.summary = spec.check(actor, parsed, match, today) or {}
    match.matched = [m for m in match.matched if m.number not in parsed.bad_rows]
    return match


def _scope_code(actor: Actor) -> str:
    if not actor.scope_prefixes:
        raise PermissionDenied("账号未分配工作区划，不能导入数据")
    return min(actor.scope_prefixes, key=len)


def content_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def records_key(kind: str, records: Any) -> str:
    """The idempotency key of a JSON batch: SHA-256 of its canonical form."""
    canonical = json.dumps({"kind": kind, "rows": records}, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot stage {type(value).__name__}")


STAGE_CHUNK = 5000  # rows serialised and compressed at a time (bounded memory for 200,000 rows)
# SQLite page cache while a preview matches / a commit writes (sqlite_fast_load's default, 512 MiB,
# made the worker hold a gigabyte for a 200,000-row file; these keep it well inside 500 MB).
PREVIEW_CACHE_MIB = 32
COMMIT_CACHE_MIB = 64


def stage_rows(spec: ImportSpec, matched: list[MatchedRow], *, chunk: int = 0) -> str:
    """The matched rows as compressed, encrypted JSON, one row a line:
    [number, blind index, person id, division, household, deceased, registry name, values…].
    Serialised and compressed ``STAGE_CHUNK`` rows at a time, so no text of the whole file is
    ever built; the result is still one JSON document (older batches, on one line, read the same)."""
    keys = [c.key for c in spec.columns]
    chunk = chunk or STAGE_CHUNK
    none = (None, None, None, None, None)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_iso).encode
    compressor = zlib.compressobj(1)
    parts = [compressor.compress(('{"v":1,"columns":' + dumps(keys) + ',"rows":[\n').encode("utf-8"))]
    for start in range(0, len(matched), chunk):
        lines = [
            ("," if start or i else "") + dumps([m.number, m.id_index,
                   *((m.person.id, m.person.division_code, m.person.household_id, m.person.is_deceased, m.person.name) if m.person else none),
                   *[m.values.get(k) for k in keys]]) + "\n"
            for i, m in enumerate(matched[start : start + chunk])
        ]  # fmt: skip
        text = "".join(lines)
        parts.append(compressor.compress(text.encode("utf-8")))
    parts.append(compressor.compress(b"]}"))
    parts.append(compressor.flush())
    return encrypt_text(base64.b64encode(b"".join(parts)).decode("ascii"))


def _staged_lines(blob: bytes):
    """The staged document's lines, decompressed piece by piece."""
    decompressor = zlib.decompressobj()
    pending = b""
    for start in range(0, len(blob), 1 << 20):
        pending += decompressor.decompress(blob[start : start + (1 << 20)])
        *lines, pending = pending.split(b"\n")
        yield from lines
    pending += decompressor.flush()
    yield from pending.split(b"\n")


def unstage_rows(spec: ImportSpec, staged: str) -> list[MatchedRow]:
    """The rows exactly as the preview matched them (the person as the registry had it then; the
    foreign key still guarantees the person exists when the rows are written). Read a line (a
    row) at a time: the whole document is never held as text or as one parsed list."""
    lines = _staged_lines(base64.b64decode(decrypt_text(staged)))
    head = next(lines)
    if not head.endswith(b"["):  # a batch staged before rows were written one a line
        data = json.loads(head + b"".join(lines))
        keys, rows = data["columns"], iter(data["rows"])
    else:
        keys = json.loads(head + b"]}")["columns"]
        loads = json.loads
        rows = (loads(line.lstrip(b",")) for line in lines if line and line != b"]}")
    dates = [i for i, k in enumerate(keys) if spec.column(k).type in (ColumnType.DATE, ColumnType.MONTH)]
    parse_date = dt.date.fromisoformat
    out: list[MatchedRow] = []
    append = out.append
    for row in rows:
        values = row[7:]
        for i in dates:
            if values[i] is not None:
                values[i] = parse_date(values[i])
        person = PersonRef(row[2], row[3], row[4], row[5], row[6]) if row[2] is not None else None
        append(MatchedRow(row[0], dict(zip(keys, values)), person, row[1]))
    return out


def committed_batch(kind: str, key: str) -> ImportBatch | None:
    """The batch that already imported this content, whoever imported it (not scoped: the
    answer "already imported on <date>" reveals no personal data)."""
    return ImportBatch.objects.filter(kind=kind, content_key=key, status=BatchStatus.COMMITTED).first()


def _report(spec: ImportSpec, parsed: ParsedImport, match: MatchResult | None) -> bytes:
    unmatched = match.unmatched if match else []
    warnings = match.warnings if match else []
    if not (parsed.errors or parsed.file_errors or unmatched or warnings):
        return b""
    return build_error_report(spec, parsed, unmatched=unmatched, warnings=warnings)


def _fill_checks(batch: ImportBatch, parsed: ParsedImport, match: MatchResult | None) -> None:
    batch.total_rows = parsed.total_rows
    batch.valid_rows = parsed.valid_rows
    batch.error_rows = parsed.error_rows
    batch.error_count = len(parsed.errors)
    batch.errors = [e.as_list() for e in parsed.errors[:STORED_ERRORS]]
    batch.file_errors = list(parsed.file_errors)
    if match is not None:
        batch.matched_rows = len(match.matched)
        batch.unmatched_rows = len(match.unmatched)
        batch.warning_count = len(match.warnings)


@dataclass
class PreviewResult:
    batch: ImportBatch
    duplicate: bool = False  # True: batch is the earlier committed import of the same content


@transaction.atomic
def do_preview_import(
    actor: Actor, kind: str, *, filename: str, content: bytes, today: dt.date | None = None
) -> PreviewResult:
    """Parse, validate and match every row; keep the report. Nothing else is written."""
    spec = spec_for(actor, kind)
    scope = _scope_code(actor)
    today = today or clock.today()
    key = content_key(content)
    earlier = committed_batch(kind, key)
    if earlier is not None:
        record_audit_event(
            actor, AuditAction.IMPORT, object_type="import_batch", object_id=earlier.pk, division_code=scope,
            summary=f"重复上传{spec.title}文件（与批次{earlier.pk}相同），未做任何更改",
        )  # fmt: skip
        return PreviewResult(earlier, duplicate=True)
    parsed = parse_upload(spec, content, filename=filename, today=today)
    with sqlite_fast_load(cache_mib=PREVIEW_CACHE_MIB):
        match = prepare_rows(actor, spec, parsed, today) if not parsed.file_errors else None
    batch = ImportBatch(
        kind=kind,
        source=BatchSource.UPLOAD,
        filename=(filename or "")[:200],
        content_key=key,
        division_code=scope,
        status=BatchStatus.REFUSED if parsed.file_errors else BatchStatus.PREVIEW,
        created_by_id=actor.user_id,
        created_by_name=actor.display_name,
    )
    _fill_checks(batch, parsed, match)
    batch.report = _report(spec, parsed, match)
    if match is not None:
        batch.summary = dict(match.summary)
        batch.staged_rows_encrypted = stage_rows(spec, match.matched)
    batch.save()
    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="import_batch",
        object_id=batch.pk,
        division_code=scope,
        summary=(
            f"上传{spec.title}文件待确认：{batch.total_rows}行，错误{batch.error_rows}行，"
            f"未匹配{batch.unmatched_rows}行"
        ),
        extra={"kind": kind, "content_key": key, "file_errors": batch.file_errors[:5]},
    )
    return PreviewResult(batch)


def _commit_rows(
    actor: Actor, spec: ImportSpec, batch: ImportBatch, match: MatchResult, mode: str, today: dt.date | None
) -> None:
    started = time.perf_counter()
    with transaction.atomic():  # a RowsRefused from the commit undoes every write of it
        result = spec.commit(actor, batch, match.matched, today=today or clock.today()) or {}
    batch.status = BatchStatus.COMMITTED
    batch.mode = mode
    batch.imported_rows = int(result.get("inserted", 0))
    batch.skipped_rows = int(result.get("skipped", 0))
    batch.summary = {**batch.summary, **result}
    batch.committed_by_id = actor.user_id
    batch.committed_at = timezone.now()
    batch.staged_rows_encrypted = ""
    batch.seconds = round(batch.seconds + time.perf_counter() - started, 3)


def _refused_at_commit(spec: ImportSpec, batch: ImportBatch, matched: list[MatchedRow], refused: RowsRefused) -> None:
    """The rows an action refused at commit time join the batch's errors and its report."""
    values = {m.number: m.values for m in matched}
    parsed = ParsedImport(spec.kind, unit="条" if batch.source == BatchSource.API else "行", total_rows=batch.total_rows)
    parsed.errors = [RowError(*e) for e in batch.errors]
    for number, key, message in refused.errors:
        column = spec.column(key) if key else None
        parsed.errors.append(RowError(number, column.header if column else "", message))
        parsed.bad_cells.add((number, key or ""))
        parsed.bad_rows.setdefault(number, [display_value(c, values.get(number, {}).get(c.key)) for c in spec.columns])
    parsed.errors.sort(key=lambda e: (e.row, e.column))
    batch.errors = [e.as_list() for e in parsed.errors[:STORED_ERRORS]]
    batch.error_count = len(parsed.errors)
    batch.error_rows = len({e.row for e in parsed.errors})
    batch.report = build_error_report(spec, parsed)


def _refuse(actor: Actor, spec: ImportSpec, batch: ImportBatch, mode: str) -> ImportBatch:
    batch.status = BatchStatus.REFUSED
    batch.mode = mode
    batch.committed_by_id = actor.user_id
    batch.committed_at = timezone.now()
    batch.save()
    record_audit_event(
        actor, AuditAction.IMPORT, object_type="import_batch", object_id=batch.pk, division_code=batch.division_code,
        summary=f"{spec.title}全部导入被拒绝：{batch.error_rows}行有错误，未写入任何数据",
    )  # fmt: skip
    return batch


@transaction.atomic
def do_commit_import(actor: Actor, batch: ImportBatch | int, mode: str, *, today: dt.date | None = None) -> ImportBatch:
    """Import the batch: all-or-nothing (refused, with the report, if any row is bad) or only the
    good rows (the report is kept). One transaction; committing twice changes nothing."""
    if mode not in CommitMode.values:
        raise ValidationFailed({"mode": "请选择导入方式"})
    pk = batch.pk if isinstance(batch, ImportBatch) else batch
    current = _access_batch(actor, pk, for_update=True)
    spec = spec_for(actor, current.kind)
    if spec.all_or_nothing:
        mode = CommitMode.ALL_OR_NOTHING
    if current.status == BatchStatus.COMMITTED:
        return current
    if current.status == BatchStatus.DISCARDED:
        raise DomainError("该批次已放弃，请重新上传文件", code="discarded")
    if current.file_errors:
        raise DomainError("文件无法导入，请按错误提示修改后重新上传", code="file_error")
    earlier = committed_batch(current.kind, current.content_key)
    if earlier is not None:
        current.status = BatchStatus.DISCARDED
        current.staged_rows_encrypted = ""
        current.summary = {**current.summary, "duplicate_of": earlier.pk}
        current.save()
        raise DomainError(f"该文件已于批次{earlier.pk}导入，本次未做任何更改", code="duplicate")
    if mode == CommitMode.ALL_OR_NOTHING and (current.error_rows or current.error_count):
        return _refuse(actor, spec, current, mode)
    started = time.perf_counter()
    with sqlite_fast_load(cache_mib=COMMIT_CACHE_MIB):  # a page cache for the lookups and the inserts (SQLite only)
        matched = unstage_rows(spec, current.staged_rows_encrypted) if current.staged_rows_encrypted else []
        current.seconds = time.perf_counter() - started
        try:
            _commit_rows(actor, spec, current, MatchResult(matched=matched), mode, today)
        except RowsRefused as refused:
            _refused_at_commit(spec, current, matched, refused)
            return _refuse(actor, spec, current, mode)
    current.save()
    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="import_batch",
        object_id=current.pk,
        division_code=current.division_code,
        summary=(
            f"导入{spec.title}（{CommitMode(mode).label}）：写入{current.imported_rows}行，"
            f"已导入过跳过{current.skipped_rows}行，错误{current.error_rows}行，未匹配{current.unmatched_rows}行"
        ),
        extra={"kind": spec.kind, "result": _audit_safe(current.summary)},
    )
    return current


@transaction.atomic
def do_discard_import(actor: Actor, batch: ImportBatch | int) -> ImportBatch:
    pk = batch.pk if isinstance(batch, ImportBatch) else batch
    current = _access_batch(actor, pk, for_update=True)
    spec = spec_for(actor, current.kind)
    if current.status == BatchStatus.COMMITTED:
        raise DomainError("已导入的批次不能放弃", code="committed")
    if current.status == BatchStatus.DISCARDED:
        return current
    current.status = BatchStatus.DISCARDED
    current.staged_rows_encrypted = ""
    current.save(update_fields=["status", "staged_rows_encrypted"])
    record_audit_event(
        actor, AuditAction.IMPORT, object_type="import_batch", object_id=current.pk,
        division_code=current.division_code, summary=f"放弃导入{spec.title}批次{current.pk}",
    )  # fmt: skip
    return current


@dataclass
class RecordsResult:
    batch: ImportBatch
    duplicate: bool = False


def do_import_records(
    actor: Actor,
    kind: str,
    records: list[Any],
    *,
    mode: str = CommitMode.ALL_OR_NOTHING,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> RecordsResult:
    """A machine client's batch: the same validation, matching and commit as an upload, in one
    call. The idempotency key (the client's, or the SHA-256 of the canonical rows) makes a
    retried request change nothing."""
    spec = spec_for(actor, kind)
    if mode not in CommitMode.values:
        raise ValidationFailed({"mode": "导入方式应为 all_or_nothing 或 good_rows_only"})
    if spec.all_or_nothing:
        mode = CommitMode.ALL_OR_NOTHING
    if not isinstance(records, list):
        raise ValidationFailed({"rows": "rows 应为数组"})
    if len(records) > MAX_API_ROWS:
        raise ValidationFailed({"rows": f"每次最多提交{MAX_API_ROWS}条，请分批提交"})
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 64):
        raise ValidationFailed({"idempotency_key": "Idempotency-Key 长度应为1至64个字符"})
    key = idempotency_key or records_key(kind, records)
    try:
        with transaction.atomic():
            return _import_records(actor, spec, records, mode, key, today)
    except IntegrityError:
        # A concurrent retry committed the same key first: that import stands, this one is a no-op.
        earlier = committed_batch(kind, key)
        if earlier is None:
            raise
        return RecordsResult(earlier, duplicate=True)


def _import_records(actor, spec, records, mode, key, today) -> RecordsResult:
    scope = _scope_code(actor)
    earlier = committed_batch(spec.kind, key)
    if earlier is not None:
        return RecordsResult(earlier, duplicate=True)
    started = time.perf_counter()
    today = today or clock.today()
    if not records:
        # Valid by the schema: an empty push is an empty batch (nothing written), with its id.
        batch = ImportBatch.objects.create(
            kind=spec.kind, source=BatchSource.API, filename="", content_key=key, division_code=scope,
            created_by_id=actor.user_id, created_by_name=actor.display_name,
            status=BatchStatus.COMMITTED, mode=mode, seconds=time.perf_counter() - started,
            committed_by_id=actor.user_id, committed_at=clock.now(),
        )  # fmt: skip
        record_audit_event(
            actor, AuditAction.IMPORT, object_type="import_batch", object_id=batch.pk, division_code=scope,
            summary=f"接口推送{spec.title}：没有数据，未写入任何数据",
        )  # fmt: skip
        return RecordsResult(batch)
    parsed = parse_records(spec, records, today=today)
    match = prepare_rows(actor, spec, parsed, today) if not parsed.file_errors else None
    batch = ImportBatch(
        kind=spec.kind,
        source=BatchSource.API,
        filename="",
        content_key=key,
        division_code=scope,
        created_by_id=actor.user_id,
        created_by_name=actor.display_name,
    )
    _fill_checks(batch, parsed, match)
    batch.report = _report(spec, parsed, match)
    batch.summary = dict(match.summary) if match is not None else {}
    batch.seconds = time.perf_counter() - started
    if parsed.file_errors or (mode == CommitMode.ALL_OR_NOTHING and not parsed.ok):
        batch.status = BatchStatus.REFUSED
        batch.mode = mode
        batch.save()
        record_audit_event(
            actor, AuditAction.IMPORT, object_type="import_batch", object_id=batch.pk, division_code=scope,
            summary=f"接口推送{spec.title}被拒绝：{batch.error_rows}条有错误，未写入任何数据",
        )  # fmt: skip
        return RecordsResult(batch)
    batch.save()  # the spec's commit references the batch
    with sqlite_fast_load(cache_mib=COMMIT_CACHE_MIB):
        try:
            _commit_rows(actor, spec, batch, match, mode, today)
        except RowsRefused as refused:
            _refused_at_commit(spec, batch, match.matched, refused)
            batch.status = BatchStatus.REFUSED
            batch.mode = mode
            batch.save()
            record_audit_event(
                actor, AuditAction.IMPORT, object_type="import_batch", object_id=batch.pk, division_code=scope,
                summary=f"接口推送{spec.title}被拒绝：{batch.error_rows}条有错误，未写入任何数据",
            )  # fmt: skip
            return RecordsResult(batch)
    batch.save()
    record_audit_event(
        actor,
        AuditAction.IMPORT,
        object_type="import_batch",
        object_id=batch.pk,
        division_code=scope,
        summary=(
            f"接口推送{spec.title}：写入{batch.imported_rows}条，已导入过跳过{batch.skipped_rows}条，"
            f"错误{batch.error_rows}条，未匹配{batch.unmatched_rows}条"
        ),
        extra={"kind": spec.kind, "result": _audit_safe(batch.summary)},
    )
    return RecordsResult(batch)


@transaction.atomic
def do_purge_stale_previews(actor: Actor, *, older_than_days: int = 7) -> int:
    """Staged rows wait (encrypted) for a commit; after N days unconfirmed, they are dropped and
    the batch discarded — its report stays. One UPDATE, one audit event."""
    if not actor.is_system:
        raise PermissionDenied()
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    stale = ImportBatch.objects.filter(status__in=(BatchStatus.PREVIEW, BatchStatus.REFUSED), created_at__lt=cutoff)
    count = stale.update(status=BatchStatus.DISCARDED, staged_rows_encrypted="")
    record_audit_event(
        actor, AuditAction.SYSTEM, object_type="import_batch",
        summary=f"清除{older_than_days}天未确认的导入文件{count}个（批次标记为已放弃，错误报告保留）",
    )  # fmt: skip
    return count


def _audit_safe(summary: dict) -> dict:
    """Counts only: the audit trail never carries row contents."""
    return {k: v for k, v in summary.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)}


__all__ = [
    "PreviewResult",
    "RecordsResult",
    "committed_batch",
    "content_key",
    "do_commit_import",
    "do_discard_import",
    "do_import_records",
    "do_preview_import",
    "do_purge_stale_previews",
    "prepare_rows",
    "records_key",
    "spec_for",
]
