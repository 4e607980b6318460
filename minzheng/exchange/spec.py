"""Declarative import specs: what a file (or a machine client's JSON) must contain.

An ``ImportSpec`` names its columns once — Chinese header, key, type, required, length,
dictionary — and everything else is derived from it: the downloadable template (with the
填表说明 sheet and the hidden 字典 sheet feeding the dropdowns), the validation of every row
of an upload or of a JSON batch, the error report and the preview. What happens to the good
rows is the spec's ``commit`` callable, supplied by the app that owns the data.

    MEDICAL = ImportSpec(
        kind="medical_discharge", title="医保出院结算", source="区医保局",
        columns=(ID_NUMBER, NAME, Column("settlement_no", "结算单号", TEXT, required=True, max_length=40), ...),
        unique_key=("id_number", "settlement_no"),
        commit=commit_medical,
    )
    register_spec(MEDICAL)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from minzheng.accounts.permissions import Perm

if TYPE_CHECKING:
    from minzheng.accounts.actor import Actor
    from minzheng.exchange.matching import MatchedRow
    from minzheng.exchange.models import ImportBatch


class ColumnType(StrEnum):
    ID_NUMBER = "id_number"  # 公民身份号码: text only, GB 11643 check digit
    TEXT = "text"
    DATE = "date"  # not in the future unless allow_future
    MONTH = "month"  # a calendar month (2026-03) → the 1st of that month; not future unless allow_future
    DECIMAL_YUAN = "decimal_yuan"  # money in yuan, at most 2 decimals → integer fen
    INT = "int"
    CHOICE = "choice"  # one entry of the column's dictionary (label or code)


TYPE_LABELS = {
    ColumnType.ID_NUMBER: "18位身份证号码（文本格式）",
    ColumnType.TEXT: "文本",
    ColumnType.DATE: "日期，如 2026-03-05",
    ColumnType.MONTH: "年月，如 2026-03",
    ColumnType.DECIMAL_YUAN: "金额（元），最多两位小数",
    ColumnType.INT: "整数",
    ColumnType.CHOICE: "从下拉列表选择",
}


@dataclass(frozen=True, slots=True)
class Choice:
    code: str  # stored value (English identifier)
    label: str  # what the user sees and types
    aliases: tuple[str, ...] = ()  # other spellings accepted on import


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str  # Chinese, without the * of required columns
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    note: str = ""  # one line in 填表说明 and the header comment
    example: Any = None  # the grey example row of the template
    allow_future: bool = False  # dates and months only
    min_value: int | None = None  # ints only
    max_value: int | None = None

    def __post_init__(self) -> None:
        if self.type is ColumnType.CHOICE and not self.choices:
            raise ValueError(f"column {self.key}: a choice column needs choices")

    @property
    def is_text_format(self) -> bool:
        """Cells Excel must keep as text (an 18-digit number would lose its last digits)."""
        return self.type in (ColumnType.ID_NUMBER, ColumnType.TEXT, ColumnType.CHOICE, ColumnType.MONTH)


# commit(actor, batch, matched_rows, *, today) -> {"inserted": n, "skipped": m, ...}: called inside
# the import's transaction with the good rows matched to registry persons. It writes through the
# owning app's do_* actions (the same ones a row typed on a screen goes through). A row that an
# action refuses at commit time is reported by raising RowsRefused: nothing of the batch is
# written and the batch is refused with those rows in its error report.
CommitHandler = Callable[..., dict]
# check(actor, parsed, match, today): the owning app's own checks after parsing and matching
# (across rows, against its data, the importer's scope); rejects rows with parsed.reject(...).
CheckHandler = Callable[..., None]


class RowsRefused(Exception):
    """Raised by a spec's commit: these rows cannot be written; the whole batch is refused."""

    def __init__(self, errors: Sequence[tuple[int, str, str]]):
        # (row number, column key or "", Chinese reason)
        self.errors = list(errors)
        super().__init__("; ".join(f"{n} {k} {m}" for n, k, m in self.errors))


@dataclass(frozen=True)
class ImportSpec:
    kind: str  # stable English identifier, also the URL/API path segment
    title: str  # Chinese name of the feed, e.g. 医保出院结算
    source: str  # the sending department, e.g. 区医保局
    columns: tuple[Column, ...]
    commit: CommitHandler
    description: str = ""
    unique_key: tuple[str, ...] = ()  # keys identifying a duplicate row (in the file)
    id_column: str | None = "id_number"  # key of the column matched to registry persons
    name_column: str | None = "name"  # checked against the registry name (a warning)
    instructions: tuple[str, ...] = ()  # extra lines for 填表说明
    # Checks across the columns of one clean row: [(column key, Chinese reason), ...].
    row_check: Callable[[dict], list[tuple[str, str]]] | None = None
    perm: Perm = Perm.RUN_SCREENING  # who may import this feed
    max_rows: int = 200_000
    sheet_name: str = "数据"
    # What is not a department feed (an app's own files: rosters, indicator values) is not
    # listed on /exchange/; it is imported from the app's own screen, through the same pages.
    listed: bool = True
    group: str = ""  # the owning app's label: /exchange/?group=<group> lists its specs and batches
    all_or_nothing: bool = False  # the only commit mode: one bad row imports nothing
    register_unmatched: bool = False  # unmatched ID numbers are kept (person None); the commit registers them
    name_mismatch_is_error: bool = False  # a name differing from the registry refuses the row
    owner_only: bool = False  # a batch is seen and committed only by its uploader
    check: CheckHandler | None = None
    # Further refusal beyond ``perm`` (e.g. a level): raises PermissionDenied.
    authorize: Callable[[Actor], None] | None = None
    # Extra lines for 字典/填表说明 computed when the template is built (e.g. the current codes).
    template_notes: Callable[[Actor], Sequence[str]] | None = None

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"spec {self.kind}: duplicate column keys")
        for key in (*self.unique_key, *(k for k in (self.id_column, self.name_column) if k)):
            if key not in keys:
                raise ValueError(f"spec {self.kind}: unknown column {key}")

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_SPECS: dict[str, ImportSpec] = {}


def register_spec(spec: ImportSpec) -> None:
    """Apps register their specs in AppConfig.ready(); registering the same kind twice with a
    different spec is a programming error."""
    existing = _SPECS.get(spec.kind)
    if existing is not None and existing is not spec:
        raise ValueError(f"import spec {spec.kind} registered twice")
    _SPECS[spec.kind] = spec


def get_spec(kind: str) -> ImportSpec | None:
    return _SPECS.get(kind)


def all_specs(kinds: Sequence[str] | None = None) -> list[ImportSpec]:
    specs = list(_SPECS.values())
    if kinds is not None:
        specs = [s for s in specs if s.kind in kinds]
    return specs


# Columns most feeds share.
ID_NUMBER = Column(
    "id_number",
    "身份证号码",
    ColumnType.ID_NUMBER,
    required=True,
    note="18位公民身份号码；单元格须为文本格式，末位X大写",
    example="500102195201207809",
)
NAME = Column("name", "姓名", ColumnType.TEXT, required=True, max_length=50, note="与身份证一致", example="张三")

__all__ = [
    "Choice",
    "Column",
    "ColumnType",
    "ID_NUMBER",
    "ImportSpec",
    "NAME",
    "RowsRefused",
    "TYPE_LABELS",
    "all_specs",
    "get_spec",
    "register_spec",
]
