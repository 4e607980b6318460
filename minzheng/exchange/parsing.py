"""Reading and validating an upload (xlsx/xls via python-calamine, CSV in UTF-8 or GBK) or a
machine client's JSON rows against an ``ImportSpec``.

Nothing is written here. Every row is checked and every problem reported with the row number
the user sees in Excel (the header is row 1) and a Chinese reason: 第N行 [列名] 原因.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from minzheng.core import clock
from minzheng.core.idnumber import CHECK_CHARS, PROVINCE_PREFIXES, WEIGHTS, InvalidIdNumber, mask_id_number, parse_id_number
from minzheng.core.money import format_yuan
from minzheng.core.periods import period_of
from minzheng.exchange.spec import Column, ColumnType, ImportSpec
from python_calamine import CalamineWorkbook

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
ID_AS_NUMBER = "身份证号码被当作数字保存（末位已丢失），请将身份证号码列设置为文本格式后重新填写"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／，　", "0123456789.-/, ")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MAX_FEN = 10**13  # 1000亿元: anything above is a typing error
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_DIGIT = {str(d): d for d in range(10)}
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and WPS .et)


class FileUnreadable(ValueError):
    """The upload is not a readable xlsx/xls/csv file; the message is Chinese."""


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str  # Chinese header; "" means the whole row
    message: str

    def display(self, unit: str = "行") -> str:
        return f"第{self.row}{unit} [{self.column or '整行'}] {self.message}"

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


@dataclass(slots=True)
class Row:
    number: int  # as the user sees it: Excel row, CSV line, or 1-based JSON index
    values: dict[str, Any]


@dataclass
class ParsedImport:
    spec_kind: str
    unit: str = "行"  # 行 for files, 条 for JSON records
    rows: list[Row] = field(default_factory=list)  # the good rows, in file order
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    total_rows: int = 0  # data rows, without blank rows and the template's example row
    example_rows: int = 0
    # For the error report: the raw cells of each bad row (already masked) and the bad cells.
    bad_rows: dict[int, list[str]] = field(default_factory=dict)
    bad_cells: set[tuple[int, str]] = field(default_factory=set)

    @property
    def error_rows(self) -> int:
        return len(self.bad_rows)

    @property
    def valid_rows(self) -> int:
        return sum(1 for r in self.rows if r.number not in self.bad_rows)

    @property
    def good_rows(self) -> list[Row]:
        """The rows no check has rejected (``rows`` keeps the rows rejected after validation)."""
        return [r for r in self.rows if r.number not in self.bad_rows]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    def reject(self, spec: ImportSpec, number: int, key: str | None, message: str) -> None:
        """A check after validation (matching, a check across rows) found row ``number`` bad:
        record the error and, for a row that was good, its cells for the error report (shown
        from the clean values, ID numbers masked). The row stays in ``rows``; callers that go
        on with the good rows skip ``number in bad_rows``."""
        column = spec.column(key) if key else None
        self.errors.append(RowError(number, column.header if column else "", message))
        self.bad_cells.add((number, key or ""))
        if number not in self.bad_rows:
            row = next((r for r in self.rows if r.number == number), None)
            values = row.values if row is not None else {}
            self.bad_rows[number] = [display_value(c, values.get(c.key)) for c in spec.columns]


# ---------------------------------------------------------------------------------------------
# Cell coercion: each returns the clean value or raises _Bad with the Chinese reason
# ---------------------------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, message: str):
        self.message = message


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (value.__class__ is str and not value.strip())


def _text_of(value: Any) -> str:
    if value.__class__ is str:
        return value.replace("\u3000", " ").strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def fast_valid_id(text: str, today: dt.date) -> bool:
    """True only for a normalised 18-character number that ``parse_id_number`` accepts as is
    (same constants, same checks); anything else goes to ``parse_id_number`` for its verdict
    and its Chinese message. A 100,000-row feed spends a third of its validation here."""
    if not _ID_SHAPE.match(text) or text[:2] not in PROVINCE_PREFIXES:
        return False
    total = sum(map(int.__mul__, map(_DIGIT.__getitem__, text[:17]), WEIGHTS))
    if CHECK_CHARS[total % 11] != text[17]:
        return False
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return 1880 <= birth.year and birth <= today


def _coerce_id(column: Column, value: Any, today: dt.date) -> str:
    if value.__class__ is str and fast_valid_id(value, today):
        return value
    if isinstance(value, bool):
        raise _Bad("身份证号码格式不正确")
    if isinstance(value, (int, float)):
        raise _Bad(ID_AS_NUMBER)
    text = str(value).strip()
    if _SCIENTIFIC.match(text):
        raise _Bad(ID_AS_NUMBER)
    try:
        return parse_id_number(text, today=today).value
    except InvalidIdNumber as e:
        raise _Bad(e.message) from None


def _coerce_text(column: Column, value: Any, today: dt.date) -> str:
    text = _text_of(value)
    if column.max_length and len(text) > column.max_length:
        raise _Bad(f"不能超过{column.max_length}个字符（当前{len(text)}个）")
    return text


def _parse_date_text(text: str) -> dt.date | None:
    text = text.translate(_FULL_WIDTH).replace(" ", "")
    text = text.split("T")[0] if "T" in text else text.split(" ")[0]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise _Bad("日期不存在，请核对") from None
    return None


def _coerce_date(column: Column, value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _parse_date_text(value.strip())
        if day is None:
            raise _Bad("日期格式不正确，应为 2026-03-05 这样的日期")
    else:
        raise _Bad("日期格式不正确，应为 2026-03-05 这样的日期（请将单元格设置为日期或文本格式）")
    if day.year < 1900:
        raise _Bad("日期不合理")
    if not column.allow_future and day > today:
        raise _Bad(f"日期不能晚于今天（{today.isoformat()}）")
    return day


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def _coerce_month(column: Column, value: Any, today: dt.date) -> dt.date:
    """A calendar month → its first day. Accepts 2026-03, 2026/3, 2026.03, 2026年3月, 202603, or
    a date cell (Excel turns 2026-03 into a date)."""
    if isinstance(value, dt.datetime):
        month = value.date().replace(day=1)
    elif isinstance(value, dt.date):
        month = value.replace(day=1)
    else:
        text = _text_of(value).translate(_FULL_WIDTH).replace(" ", "")
        month = None
        for pattern in _MONTH_PATTERNS:
            m = pattern.match(text)
            if m:
                if not 1 <= int(m.group(2)) <= 12:
                    raise _Bad("月份不存在，请核对")
                month = dt.date(int(m.group(1)), int(m.group(2)), 1)
                break
        if month is None:
            raise _Bad("年月格式不正确，应为 2026-03 这样的年月")
    if month.year < 1900:
        raise _Bad("年月不合理")
    if not column.allow_future and month > today.replace(day=1):
        raise _Bad(f"年月不能晚于本月（{today:%Y-%m}）")
    return month


def _coerce_yuan(column: Column, value: Any, today: dt.date) -> int:
    """Yuan with at most two decimals → integer fen, exactly."""
    if isinstance(value, bool):
        raise _Bad("金额格式不正确")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if 0 <= value < 1e9:
            # Excel arithmetic leaves binary noise (3000.0000000000005): within a thousandth of
            # a fen it is that fen (below 10^9 yuan the noise is < 10^-5 fen); anything else
            # really has a third decimal.
            fen = value * 100
            whole = round(fen)
            if abs(fen - whole) > 1e-3:
                raise _Bad("金额最多保留两位小数")
            return int(whole)
        amount = Decimal(repr(value))
        if not amount.is_finite():
            raise _Bad("金额格式不正确，应为数字（元），如 1234.50")
    else:
        text = str(value).translate(_FULL_WIDTH).strip()
        for token in ("元", "￥", "¥", ",", " "):
            text = text.replace(token, "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _Bad("金额格式不正确，应为数字（元），如 1234.50") from None
        if not amount.is_finite():
            raise _Bad("金额格式不正确，应为数字（元），如 1234.50")
    if amount < 0:
        raise _Bad("金额不能为负数")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise _Bad("金额最多保留两位小数")
    if fen > _MAX_FEN:
        raise _Bad("金额过大，请核对")
    return int(fen)


def _coerce_int(column: Column, value: Any, today: dt.date) -> int:
    if isinstance(value, bool):
        raise _Bad("应为整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise _Bad("应为整数")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).translate(_FULL_WIDTH).strip()
        if not re.fullmatch(r"-?\d+", text):
            raise _Bad("应为整数")
        number = int(text)
    if column.min_value is not None and number < column.min_value:
        raise _Bad(f"不能小于{column.min_value}")
    if column.max_value is not None and number > column.max_value:
        raise _Bad(f"不能大于{column.max_value}")
    return number


def _choice_coercer(column: Column) -> Callable[[Column, Any, dt.date], str]:
    lookup: dict[str, str] = {}
    for choice in column.choices:
        for spelling in (choice.code, choice.label, *choice.aliases):
            lookup[spelling.strip().lower()] = choice.code

    def coerce(column: Column, value: Any, today: dt.date) -> str:
        text = _text_of(value)
        code = lookup.get(text.lower())
        if code is None:
            shown = text if len(text) <= 20 else text[:20] + "…"
            raise _Bad(f"“{shown}”不是有效的{column.header}，请从下拉列表中选择")
        return code

    return coerce


_COERCERS: dict[ColumnType, Callable[[Column, Any, dt.date], Any]] = {
    ColumnType.ID_NUMBER: _coerce_id,
    ColumnType.TEXT: _coerce_text,
    ColumnType.DATE: _coerce_date,
    ColumnType.MONTH: _coerce_month,
    ColumnType.DECIMAL_YUAN: _coerce_yuan,
    ColumnType.INT: _coerce_int,
}


def _coercer(column: Column):
    if column.type is ColumnType.CHOICE:
        return _choice_coercer(column)
    return _COERCERS[column.type]


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


def _normalise_header(text: Any) -> str:
    text = _text_of(text) if text is not None else ""
    for a, b in (("（", "("), ("）", ")"), ("*", ""), ("＊", ""), (" ", ""), ("\n", "")):
        text = text.replace(a, b)
    return text.lower()


def detect_format(content: bytes, filename: str = "") -> str:
    if content.startswith(_XLSX_MAGIC):
        return "xlsx"
    if content.startswith(_OLE_MAGIC):
        return "xls"
    return "csv"


def _decode_csv(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileUnreadable("CSV 文件编码无法识别，请另存为 UTF-8 或 GBK 编码")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _xlsx_declared_rows(content: bytes) -> int | None:
    """The most rows any worksheet declares in its ``<dimension ref="A1:G1500001">`` (read from
    the first 4 KB of each sheet, decompressed as a stream); None when unreadable or absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            most = None
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as sheet:
                    head = sheet.read(4096)
                match = _DIMENSION.search(head)
                if match:
                    rows = int(match.group(1) or 1)
                    most = rows if most is None else max(most, rows)
            return most
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return None


def too_many_rows(limit: int) -> str:
    return f"文件行数超过每次导入的上限（{limit}行，含空行），请分批导入"


def iter_table(
    content: bytes, filename: str = "", *, sheet_name: str = "", max_rows: int | None = None
) -> Iterator[tuple[int, list]]:
    """(row number as the user sees it, cells) for every row of the first data sheet, read as
    a stream. ``max_rows``: a sheet with more rows than that, blank rows included, is refused
    as soon as it is known (an xlsx from its dimensions, before any cell is read)."""
    kind = detect_format(content, filename)
    if kind == "csv":
        if b"\x00" in content[:4096]:
            raise FileUnreadable("文件格式无法识别，请上传 .xlsx、.xls 或 .csv 文件")
        if max_rows is not None and content.count(b"\n") > max_rows:
            # Lines counted on the bytes: refused before a row is split or validated.
            raise FileUnreadable(too_many_rows(max_rows - HEADER_SEARCH_ROWS))
        reader = csv.reader(io.StringIO(_decode_csv(content), newline=""))
        line = 1
        for cells in reader:
            if max_rows is not None and reader.line_num > max_rows:
                raise FileUnreadable(too_many_rows(max_rows - HEADER_SEARCH_ROWS))
            yield line, cells
            line = reader.line_num + 1
        return

    if max_rows is not None and kind == "xlsx" and (_xlsx_declared_rows(content) or 0) > max_rows:
        # Refused from the sheets' declared dimensions (the first bytes of each sheet), before
        # the workbook is loaded at all.
        raise FileUnreadable(too_many_rows(max_rows - HEADER_SEARCH_ROWS))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = list(workbook.sheet_names)
        chosen = sheet_name if sheet_name in names else None
        if chosen is None:
            visible = [m.name for m in workbook.sheets_metadata if str(m.visible).lower().endswith("visible")]
            candidates = [n for n in (visible or names) if n not in ("填表说明", "字典")]
            if not candidates:
                raise FileUnreadable("文件中没有数据工作表")
            chosen = candidates[0]
        sheet = workbook.get_sheet_by_name(chosen)
        if max_rows is not None and sheet.height > max_rows:
            # Refused before a single cell becomes a Python object (a 3 MB workbook can hold
            # 1.5 million rows: read whole, that was 2.3 GB and nearly a minute).
            raise FileUnreadable(too_many_rows(max_rows - HEADER_SEARCH_ROWS))
        rows = sheet.iter_rows()
    except FileUnreadable:
        raise
    except Exception:  # calamine raises its own error types for corrupt or encrypted files
        raise FileUnreadable("Excel 文件无法读取（文件可能已损坏或设置了密码），请另存后重新上传") from None
    for index, cells in enumerate(rows, start=1):
        if max_rows is not None and index > max_rows:
            raise FileUnreadable(too_many_rows(max_rows - HEADER_SEARCH_ROWS))
        yield index, cells


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


class _Validator:
    """Validates rows of one spec; collects good rows, errors and duplicate keys."""

    def __init__(self, spec: ImportSpec, parsed: ParsedImport, today: dt.date):
        self.spec = spec
        self.parsed = parsed
        self.today = today
        self.columns = spec.columns
        self.coercers = [(c, _coercer(c)) for c in spec.columns]
        self.seen: dict[tuple, int] = {}
        self.unique = spec.unique_key
        self.example = self._example_values()

    def _example_values(self) -> tuple | None:
        if not all(c.example is not None for c in self.columns if c.required):
            return None
        return tuple(_text_of(c.example) if c.example is not None else "" for c in self.columns)

    def is_example(self, cells: Sequence[Any]) -> bool:
        if self.example is None:
            return False
        return tuple("" if _is_blank(v) else _text_of(v) for v in cells) == self.example

    def add(self, number: int, cells: Sequence[Any]) -> None:
        """cells: raw values in spec column order (None for a missing column)."""
        values: dict[str, Any] = {}
        bad: list[tuple[Column, str]] = []
        for (column, coerce), raw in zip(self.coercers, cells, strict=True):
            if _is_blank(raw):
                if column.required:
                    bad.append((column, "必填项未填写"))
                values[column.key] = None
                continue
            try:
                values[column.key] = coerce(column, raw, self.today)
            except _Bad as e:
                bad.append((column, e.message))
        if not bad and self.spec.row_check is not None:
            bad = [(self.spec.column(key), message) for key, message in self.spec.row_check(values)]
        if not bad and self.unique:
            key = tuple(values.get(k) for k in self.unique)
            if all(v is not None for v in key):
                first = self.seen.get(key)
                if first is not None:
                    self._reject(number, cells, [(None, f"与第{first}{self.parsed.unit}重复")])
                    return
                self.seen[key] = number
        if bad:
            self._reject(number, cells, bad)
            return
        self.parsed.rows.append(Row(number, values))

    def _reject(self, number: int, cells: Sequence[Any], bad: list[tuple[Column | None, str]]) -> None:
        for column, message in bad:
            self.parsed.errors.append(RowError(number, column.header if column else "", message))
            self.parsed.bad_cells.add((number, column.key if column else ""))
        self.parsed.bad_rows[number] = [_display_raw(c, v) for c, v in zip(self.columns, cells, strict=True)]


def _display_raw(column: Column, value: Any) -> str:
    """The raw cell as shown in the error report: ID numbers masked, never in clear."""
    if _is_blank(value):
        return ""
    if column.type is ColumnType.ID_NUMBER:
        text = _text_of(value) if not isinstance(value, float) else repr(value)
        return mask_id_number(text.replace(" ", ""))
    text = _text_of(value)
    return text[:200]


def display_value(column: Column, value: Any) -> str:
    """A clean value as the user typed it: yuan for fen, 2026-03 for a month, the choice's label,
    ID numbers masked."""
    if value is None or value == "":
        return ""
    if column.type is ColumnType.DECIMAL_YUAN and isinstance(value, int):
        return format_yuan(value, grouping=False)
    if column.type is ColumnType.MONTH and isinstance(value, dt.date):
        return period_of(value)
    if column.type is ColumnType.CHOICE:
        return next((c.label for c in column.choices if c.code == value), str(value))
    return _display_raw(column, value)


@dataclass
class Groups:
    complete: dict[str, list[Row]] = field(default_factory=dict)  # key → its rows, all good
    incomplete: dict[str, list[int]] = field(default_factory=dict)  # key → its bad row numbers


def group_rows(spec: ImportSpec, parsed: ParsedImport, key: str) -> Groups:
    """Group the rows by the (text) column ``key`` — e.g. the members of one household under a
    户编号. A group with any bad row is incomplete and its good rows are left out of ``complete``,
    so checks across a group (one head per household) only run on whole groups. Rows without a
    key belong to no group."""
    index = [c.key for c in spec.columns].index(key)
    groups = Groups()
    for number, cells in parsed.bad_rows.items():
        value = cells[index] if index < len(cells) else ""
        if value:
            groups.incomplete.setdefault(value, []).append(number)
    for row in parsed.rows:
        value = row.values.get(key)
        if value is None or value == "" or row.number in parsed.bad_rows:
            continue
        value = str(value)
        if value not in groups.incomplete:
            groups.complete.setdefault(value, []).append(row)
    return groups


def parse_upload(spec: ImportSpec, file: Any, *, filename: str = "", today: dt.date | None = None) -> ParsedImport:
    """Validate every row of an uploaded file (bytes, or a file object with .read())."""
    content = file if isinstance(file, (bytes, bytearray)) else file.read()
    filename = filename or getattr(file, "name", "") or ""
    today = today or clock.today()
    parsed = ParsedImport(spec.kind)
    if not content:
        parsed.file_errors.append("文件为空")
        return parsed
    if len(content) > MAX_UPLOAD_BYTES:
        parsed.file_errors.append(f"文件超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB，请分批导入")
        return parsed
    try:
        # Physical rows, blank ones included: the header search, the data rows, nothing more.
        rows = iter_table(bytes(content), filename, sheet_name=spec.sheet_name, max_rows=spec.max_rows + HEADER_SEARCH_ROWS)
        _validate_table(spec, rows, parsed, today)
    except FileUnreadable as e:
        parsed.file_errors.append(str(e))
    return parsed


def _validate_table(spec: ImportSpec, rows: Iterator[tuple[int, list]], parsed: ParsedImport, today: dt.date) -> None:
    wanted = {_normalise_header(c.header): i for i, c in enumerate(spec.columns)}
    required = {_normalise_header(c.header) for c in spec.columns if c.required}
    positions: list[int | None] | None = None
    header_row = 0
    for number, cells in rows:
        if positions is None:
            found = {_normalise_header(v): i for i, v in enumerate(cells) if not _is_blank(v)}
            if required <= set(found):
                header_row = number
                duplicates = {h for h in found if sum(1 for v in cells if _normalise_header(v) == h) > 1 and h in wanted}
                if duplicates:
                    parsed.file_errors.append(f"表头中有重复的列：{'、'.join(sorted(duplicates))}")
                    return
                positions = [found.get(h) for h in wanted]
                validator = _Validator(spec, parsed, today)
                continue
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        if all(_is_blank(v) for v in cells):
            continue
        picked = [cells[p] if p is not None and p < len(cells) else None for p in positions]
        if parsed.total_rows == 0 and parsed.example_rows == 0 and number == header_row + 1 and validator.is_example(picked):
            parsed.example_rows += 1
            continue
        parsed.total_rows += 1
        if parsed.total_rows > spec.max_rows:
            parsed.file_errors.append(f"数据超过{spec.max_rows}行，请分批导入")
            return
        validator.add(number, picked)
    if positions is None:
        missing = [c.header for c in spec.columns if c.required]
        parsed.file_errors.append(
            f"未找到表头（应包含：{'、'.join(missing)}）。请使用本页下载的模板，不要修改第一行的列名"
        )
        return
    if parsed.total_rows == 0:
        parsed.file_errors.append("文件中没有数据行")


def parse_records(spec: ImportSpec, records: Iterable[Any], *, today: dt.date | None = None) -> ParsedImport:
    """Validate JSON records from a machine client: each an object keyed by column key (or by
    Chinese header). Numbering is 1-based (第N条); an ID given as a JSON number is refused."""
    today = today or clock.today()
    parsed = ParsedImport(spec.kind, unit="条")
    validator = _Validator(spec, parsed, today)
    by_header = {c.header: c.key for c in spec.columns}
    for number, record in enumerate(records, start=1):
        parsed.total_rows += 1
        if parsed.total_rows > spec.max_rows:
            parsed.file_errors.append(f"数据超过{spec.max_rows}条，请分批提交")
            return parsed
        if not isinstance(record, dict):
            parsed.errors.append(RowError(number, "", "应为JSON对象"))
            parsed.bad_rows[number] = [""] * len(spec.columns)
            continue
        record = {by_header.get(k, k): v for k, v in record.items()}
        validator.add(number, [record.get(c.key) for c in spec.columns])
    if parsed.total_rows == 0:
        parsed.file_errors.append("没有数据")
    return parsed


__all__ = [
    "FileUnreadable",
    "ID_AS_NUMBER",
    "MAX_UPLOAD_BYTES",
    "ParsedImport",
    "Row",
    "RowError",
    "Groups",
    "detect_format",
    "display_value",
    "group_rows",
    "iter_table",
    "parse_records",
    "parse_upload",
]
