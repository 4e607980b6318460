"""/api/v1/exchange/ — department systems push the same feeds as the upload screens.

    POST /api/v1/exchange/feeds/{kind}
    Authorization: Bearer <token of the department's dedicated account>
    Idempotency-Key: <optional, ≤ 64 characters; default: SHA-256 of the canonical rows>
    {"mode": "all_or_nothing" | "good_rows_only", "rows": [{"id_number": "5001…", "name": "…", …}]}

Rows are keyed by column key (or by the Chinese header); ID numbers must be JSON strings.
The same validation, matching and commit as an upload; a retried request changes nothing.
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from minzheng.core.api_errors import BodyIn
from minzheng.exchange.actions import do_import_records, spec_for
from minzheng.exchange.models import BatchStatus, CommitMode, ImportBatch
from minzheng.exchange.parsing import RowError
from minzheng.exchange.selectors import access_batch_by_id, specs_for

router = Router()
RETURNED_ERRORS = 500


class FeedIn(BodyIn):
    rows: list[Any]
    mode: str = CommitMode.ALL_OR_NOTHING


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class BatchOut(Schema):
    batch_id: int
    kind: str
    status: str
    status_label: str
    duplicate: bool = False
    total: int
    valid: int
    error_rows: int
    matched: int
    unmatched: int
    imported: int
    skipped: int
    alerts: int
    errors: list[RowErrorOut]
    file_errors: list[str]
    message: str


class ChoiceOut(Schema):
    code: str
    label: str


class ColumnOut(Schema):
    key: str
    header: str
    type: str
    required: bool
    max_length: int | None = None
    choices: list[ChoiceOut] = []


class FeedOut(Schema):
    kind: str
    title: str
    source: str
    description: str
    columns: list[ColumnOut]


def batch_out(batch: ImportBatch, *, duplicate: bool = False) -> dict:
    errors = [RowError(*e) for e in batch.errors[:RETURNED_ERRORS]]
    if duplicate:
        message = f"相同数据已于批次{batch.pk}导入，本次未做任何更改"
    elif batch.status == BatchStatus.REFUSED:
        message = f"有{batch.error_rows}条数据有错误，未写入任何数据"
    elif batch.total_rows == 0:
        message = "没有数据，未写入任何数据"
    else:
        message = f"已写入{batch.imported_rows}条"
    return {
        "batch_id": batch.pk,
        "kind": batch.kind,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "duplicate": duplicate,
        "total": batch.total_rows,
        "valid": batch.valid_rows,
        "error_rows": batch.error_rows,
        "matched": batch.matched_rows,
        "unmatched": batch.unmatched_rows,
        "imported": batch.imported_rows,
        "skipped": batch.skipped_rows,
        "alerts": int((batch.summary or {}).get("alerts", 0)),
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors],
        "file_errors": list(batch.file_errors),
        "message": message,
    }


@router.get("/feeds", response=list[FeedOut])
def list_feeds(request):
    return [
        {
            "kind": s.kind,
            "title": s.title,
            "source": s.source,
            "description": s.description,
            "columns": [
                {
                    "key": c.key,
                    "header": c.header,
                    "type": c.type.value,
                    "required": c.required,
                    "max_length": c.max_length,
                    "choices": [{"code": ch.code, "label": ch.label} for ch in c.choices],
                }
                for c in s.columns
            ],
        }
        for s in specs_for(request.actor)
    ]


@router.post("/feeds/{kind}", response={200: BatchOut, 422: BatchOut})
def push_feed(request, kind: str, data: FeedIn):
    spec_for(request.actor, kind)
    key = request.headers.get("Idempotency-Key") or None
    result = do_import_records(request.actor, kind, data.rows, mode=data.mode, idempotency_key=key)
    status = 422 if result.batch.status == BatchStatus.REFUSED and not result.duplicate else 200
    return Status(status, batch_out(result.batch, duplicate=result.duplicate))


@router.get("/batches/{batch_id}", response=BatchOut)
def get_batch(request, batch_id: int):
    return batch_out(access_batch_by_id(request.actor, batch_id))
