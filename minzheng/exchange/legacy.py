"""Copying the batches of the import pipelines that exchange replaced (assistance's ImportJob,
planning's own ImportBatch) into exchange's ImportBatch, for the data migrations that drop them.

Pure functions over plain dicts, so they are tested directly; the migrations hand them the
historical rows and write what they return. A batch that was still waiting for confirmation is
kept as discarded (its staged rows were never exchange's: it must be uploaded again); a
committed one keeps its content key unless another committed batch of the same kind already
has it (the old pipelines let the same file be committed twice), in which case it gets a key
derived from its old table and id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

STATUS = {
    "preview": "discarded",
    "previewed": "discarded",
    "committed": "committed",
    "discarded": "discarded",
}
MIGRATED_NOTE = "迁移前未确认的批次，请重新上传"


def legacy_key(table: str, pk: int) -> str:
    return hashlib.sha256(f"legacy:{table}:{pk}".encode()).hexdigest()


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _error_rows(errors: list[list]) -> int:
    return len({e[0] for e in errors if e and e[0]})


def batch_fields(
    *,
    table: str,
    pk: int,
    kind: str,
    filename: str,
    content_key: str,
    division_code: str,
    status: str,
    total_rows: int,
    errors: list[list],
    summary: dict,
    imported_rows: int,
    created_by_id: int | None,
    created_by_name: str,
    created_at,
    committed_at,
) -> dict:
    """The fields of exchange's ImportBatch for one old batch (errors as [[row, column, message]])."""
    new_status = STATUS.get(status, "discarded")
    error_rows = _error_rows(errors)
    note = {"migrated_from": f"{table}:{pk}"}
    if new_status == "discarded" and status != "discarded":
        note["note"] = MIGRATED_NOTE
    return {
        "kind": kind,
        "source": "upload",
        "filename": (filename or "")[:200],
        "content_key": content_key or legacy_key(table, pk),
        "division_code": division_code,
        "status": new_status,
        "mode": "all_or_nothing" if new_status == "committed" else "",
        "total_rows": total_rows,
        "valid_rows": max(0, total_rows - error_rows),
        "error_rows": error_rows,
        "error_count": len(errors),
        "errors": errors[:2000],
        "matched_rows": 0,
        "unmatched_rows": _count(summary.get("unmatched_count", summary.get("unmatched", 0))),
        "imported_rows": imported_rows if new_status == "committed" else 0,
        "summary": {**{k: v for k, v in summary.items() if isinstance(v, (int, str)) and not isinstance(v, bool)}, **note},
        "created_by_id": created_by_id,
        "created_by_name": created_by_name or "",
        "committed_by_id": created_by_id if new_status == "committed" else None,
        "created_at": created_at,
        "committed_at": committed_at,
    }


def from_assistance_job(job: dict, *, user_name: str = "") -> dict:
    """An assistance ImportJob row (as a dict of its fields) → exchange batch fields."""
    errors = [[e.get("row", 0), e.get("column", ""), e.get("message", "")] for e in job.get("errors") or []]
    summary = dict(job.get("summary") or {})
    summary.pop("report", None)  # the old report state (masked cells); the report itself is not kept
    if isinstance(summary.get("unmatched"), list):  # masked rows of the preview: counted, not copied
        summary["unmatched"] = len(summary["unmatched"])
    content = bytes(job.get("content") or b"")
    imported = summary.get("imported", summary.get("enrolments", 0))
    return batch_fields(
        table="assistance_importjob",
        pk=job["id"],
        kind=f"assistance_{job['kind']}",
        filename=job.get("filename", ""),
        content_key=hashlib.sha256(content).hexdigest() if content else "",
        division_code=job.get("division_code", ""),
        status=job.get("status", ""),
        total_rows=job.get("total_rows", 0),
        errors=errors,
        summary=summary,
        imported_rows=imported if isinstance(imported, int) else 0,
        created_by_id=job.get("created_by_id"),
        created_by_name=user_name,
        created_at=job.get("created_at"),
        committed_at=job.get("committed_at"),
    )


def from_planning_batch(batch: dict, *, user_name: str = "") -> dict:
    """A planning ImportBatch row (as a dict of its fields) → exchange batch fields."""
    errors = [[e.get("row", 0), e.get("column", ""), e.get("message", "")] for e in batch.get("errors") or []]
    rows = batch.get("rows") or []
    return batch_fields(
        table="planning_importbatch",
        pk=batch["id"],
        kind="planning_values",
        filename=batch.get("file_name", ""),
        content_key=batch.get("sha256", ""),
        division_code=batch.get("division_code", ""),
        status=batch.get("status", ""),
        total_rows=len(rows) + len({e[0] for e in errors} - {r.get("row") for r in rows}),
        errors=errors,
        summary={"plan_id": batch.get("plan_id"), "inserted": len(rows)} if batch.get("status") == "committed" else {"plan_id": batch.get("plan_id")},
        imported_rows=len(rows),
        created_by_id=batch.get("created_by_id"),
        created_by_name=user_name,
        created_at=batch.get("created_at"),
        committed_at=batch.get("committed_at"),
    )


def dedupe_committed_keys(batches: Iterable[tuple[str, int, dict]], taken: set[tuple[str, str]]) -> list[tuple[int, dict]]:
    """[(table, old id, fields)] → [(old id, fields)] where no two committed batches of one kind
    share a content key (exchange imports the same content at most once). ``taken``: the
    (kind, key) pairs already committed in exchange; updated."""
    out = []
    for table, pk, fields in batches:
        if fields["status"] == "committed":
            pair = (fields["kind"], fields["content_key"])
            if pair in taken:
                fields = {**fields, "content_key": legacy_key(table, pk)}
                pair = (fields["kind"], fields["content_key"])
            taken.add(pair)
        out.append((pk, fields))
    return out


def write_batches(ImportBatch, batches: list[tuple[int, dict]]) -> dict[int, int]:
    """Create the exchange batches (historical model) and give them their old timestamps.
    Returns {old id: new id}."""
    mapping = {}
    for pk, fields in batches:
        created_at = fields.pop("created_at", None)
        new = ImportBatch.objects.create(**fields)
        if created_at is not None:
            ImportBatch.objects.filter(pk=new.pk).update(created_at=created_at)
        mapping[pk] = new.pk
    return mapping


__all__ = ["batch_fields", "dedupe_committed_keys", "from_assistance_job", "from_planning_batch", "legacy_key", "write_batches"]
