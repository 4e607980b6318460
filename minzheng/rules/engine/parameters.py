"""Policy parameters: one YAML file per value, the file path is the name.

``parameters/dibao/standard/urban.yaml`` is the parameter ``dibao.standard.urban``. A file has
a Chinese ``description``, a ``unit`` and dated ``values``::

    description: 城市最低生活保障标准
    unit: CNY/person/month
    values:
      2024-09-01: {value: 750, reference: "渝民发〔2024〕9号", provisional: false}

A change of policy is a new dated entry, never an edit of an old one, so any month can be
recomputed as it was decided. ``index.yaml`` at the root holds the coverage (the months for
which the standards have been reviewed); other ``index.yaml`` files only document folders.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import yaml

from minzheng.core.money import MoneyFormatError, to_decimal, yuan_to_fen
from minzheng.rules.engine.periods import Period
from minzheng.rules.engine.types import ValueType

PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "parameters"
INDEX_FILE_NAME = "index.yaml"

# The unit decides the value type: money is Decimal yuan (whole fen), ratios and multiples are
# Decimal, counts of time or grades are int. An unknown unit is a load error, not a guess.
UNIT_VALUE_TYPES: dict[str, ValueType] = {
    "CNY": ValueType.MONEY,
    "CNY/person/month": ValueType.MONEY,
    "CNY/person/year": ValueType.MONEY,
    "CNY/case": ValueType.MONEY,
    "CNY/service": ValueType.MONEY,
    "ratio": ValueType.NUMBER,
    "multiple": ValueType.NUMBER,
    "percent": ValueType.NUMBER,
    "metres": ValueType.NUMBER,
    "metres/minute": ValueType.NUMBER,
    "months": ValueType.INT,
    "working_days": ValueType.INT,
    "days": ValueType.INT,
    "years": ValueType.INT,
    "persons": ValueType.INT,
    "grade": ValueType.INT,
    "persons": ValueType.INT,
}

SIMULATION_REFERENCE = "政策模拟覆盖值（非现行文件）"


class ParameterFileError(ValueError):
    """A parameter file is malformed; the message names the file."""


class UnknownParameter(KeyError):
    pass


class ParameterNotSet(LookupError):
    """No value of the parameter is in force on the date asked for."""

    def __init__(self, name: str, on: dt.date):
        super().__init__(f"parameter {name} has no value in force on {on.isoformat()}")
        self.name = name
        self.on = on


class _DecimalSafeLoader(yaml.SafeLoader):
    """Reads YAML floats as ``Decimal`` straight from their text, so ``654.50`` stays exact."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


_DecimalSafeLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def load_yaml_exact(path: Path) -> Any:
    """Load a YAML file with floats as ``Decimal`` (also used for the policy cases)."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_DecimalSafeLoader)  # noqa: S506 - SafeLoader subclass


@dataclass(frozen=True, slots=True)
class ParameterValue:
    value: Any
    reference: str
    provisional: bool
    effective_from: dt.date | None
    simulated: bool = False


@dataclass(frozen=True, slots=True)
class ParameterInfo:
    name: str
    description: str
    unit: str
    value_type: ValueType
    entries: tuple[ParameterValue, ...]
    source_file: Path | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """The months for which the loaded standards have been reviewed."""

    first: Period
    last: Period
    reference: str

    def covers(self, period: Period) -> bool:
        return self.first <= period <= self.last


@dataclass(eq=False)
class ParameterSet:
    """An immutable set of dated parameters, with per-period caches for the evaluators."""

    _infos: Mapping[str, ParameterInfo]
    coverage: Coverage
    _overrides: Mapping[str, ParameterValue] = field(default_factory=dict)
    # Backends keep their compiled programs here, keyed by (backend, period): values are fixed
    # for a period, so compilation happens once per parameter set and month.
    compiled_cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._dates = {
            name: [entry.effective_from for entry in info.entries] for name, info in self._infos.items()
        }

    # -- reading ---------------------------------------------------------------------------
    def names(self) -> list[str]:
        return sorted(self._infos)

    def info(self, name: str) -> ParameterInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise UnknownParameter(name) from None

    def value_type(self, name: str) -> ValueType:
        return self.info(name).value_type

    def find(self, name: str, on: dt.date) -> ParameterValue | None:
        """The value in force on ``on``, or ``None`` if no value is set for that date."""
        info = self.info(name)
        override = self._overrides.get(name)
        if override is not None:
            return override
        position = bisect.bisect_right(self._dates[name], on)
        return info.entries[position - 1] if position else None

    def value_at(self, name: str, on: dt.date | Period | str) -> ParameterValue:
        """The value in force on a date (a period means its first day)."""
        day = on if isinstance(on, dt.date) else Period.of(on).start
        found = self.find(name, day)
        if found is None:
            raise ParameterNotSet(name, day)
        return found

    def history(self, name: str) -> tuple[ParameterValue, ...]:
        """All dated values, oldest first (a simulation override is the only value)."""
        if name in self._overrides:
            self.info(name)
            return (self._overrides[name],)
        return self.info(name).entries

    def covers(self, period: Period | str | dt.date) -> bool:
        return self.coverage.covers(Period.of(period))

    # -- dated values entered on the platform ------------------------------------------------
    def with_entries(self, entries: Iterable[tuple[str, ParameterValue]]) -> "ParameterSet":
        """A copy with more dated values (the district's annual figures entered on the platform,
        each with its document). An entry on the date of a shipped one replaces it."""
        added: dict[str, dict[dt.date, ParameterValue]] = {}
        for name, entry in entries:
            info = self.info(name)
            if entry.effective_from is None:
                raise ParameterFileError(f"entered value of {name}: effective_from is required")
            value = _coerce_value(entry.value, info.value_type, f"entered value of {name}")
            added.setdefault(name, {})[entry.effective_from] = ParameterValue(
                value=value, reference=entry.reference, provisional=entry.provisional, effective_from=entry.effective_from
            )
        if not added:
            return self
        infos = dict(self._infos)
        for name, by_date in added.items():
            info = infos[name]
            kept = [e for e in info.entries if e.effective_from not in by_date]
            merged = tuple(sorted([*kept, *by_date.values()], key=lambda e: e.effective_from))
            infos[name] = ParameterInfo(info.name, info.description, info.unit, info.value_type, merged, info.source_file)
        return ParameterSet(infos, self.coverage, dict(self._overrides))

    # -- reform simulation -----------------------------------------------------------------
    def with_overrides(self, overrides: Mapping[str, Any]) -> "ParameterSet":
        """A copy in which each named parameter has one value for all dates (what-if runs)."""
        merged = dict(self._overrides)
        for name, raw in overrides.items():
            info = self.info(name)
            merged[name] = ParameterValue(
                value=_coerce_value(raw, info.value_type, f"override {name}"),
                reference=SIMULATION_REFERENCE,
                provisional=True,
                effective_from=None,
                simulated=True,
            )
        return ParameterSet(self._infos, self.coverage, merged)


def _coerce_value(raw: Any, value_type: ValueType, where: str) -> Any:
    if value_type is ValueType.INT:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ParameterFileError(f"{where}: value must be a whole number, got {raw!r}")
        return raw
    try:
        number = to_decimal(raw)
        if value_type is ValueType.MONEY:
            yuan_to_fen(number)  # money parameters must be whole fen
    except MoneyFormatError as exc:
        raise ParameterFileError(f"{where}: {exc}") from None
    return number


def _parse_date(key: Any, where: str) -> dt.date:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError:
        raise ParameterFileError(f"{where}: {key!r} is not a YYYY-MM-DD date") from None


def _parse_parameter_file(path: Path, name: str) -> ParameterInfo:
    data = load_yaml_exact(path)
    where = str(path)
    if not isinstance(data, dict):
        raise ParameterFileError(f"{where}: expected a mapping")
    description = data.get("description")
    unit = data.get("unit")
    values = data.get("values")
    if not isinstance(description, str) or not description.strip():
        raise ParameterFileError(f"{where}: missing description")
    if unit not in UNIT_VALUE_TYPES:
        raise ParameterFileError(f"{where}: unknown unit {unit!r}")
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ParameterFileError(f"{where}: values must be a mapping of dates")
    value_type = UNIT_VALUE_TYPES[unit]
    entries = []
    for key, entry in values.items():
        effective_from = _parse_date(key, where)
        entry_where = f"{where} [{effective_from}]"
        if not isinstance(entry, dict) or "value" not in entry:
            raise ParameterFileError(f"{entry_where}: entry needs value, reference, provisional")
        reference = entry.get("reference")
        provisional = entry.get("provisional")
        if not isinstance(reference, str) or not reference.strip():
            raise ParameterFileError(f"{entry_where}: missing reference")
        if not isinstance(provisional, bool):
            raise ParameterFileError(f"{entry_where}: provisional must be true or false")
        entries.append(
            ParameterValue(
                value=_coerce_value(entry["value"], value_type, entry_where),
                reference=reference.strip(),
                provisional=provisional,
                effective_from=effective_from,
            )
        )
    entries.sort(key=lambda entry: entry.effective_from)
    return ParameterInfo(name, description.strip(), unit, value_type, tuple(entries), path)


def _parse_coverage(path: Path) -> Coverage:
    data = load_yaml_exact(path) or {}
    coverage = data.get("coverage") if isinstance(data, dict) else None
    if not isinstance(coverage, dict):
        raise ParameterFileError(f"{path}: missing coverage")
    try:
        first = Period.parse(str(coverage["first_month"]))
        last = Period.parse(str(coverage["last_reviewed_month"]))
    except (KeyError, ValueError) as exc:
        raise ParameterFileError(f"{path}: coverage needs first_month and last_reviewed_month ({exc})") from None
    return Coverage(first, last, str(coverage.get("reference", "")))


def iter_parameter_files(directory: Path) -> Iterable[tuple[str, Path]]:
    for path in sorted(directory.rglob("*.yaml")):
        if path.name == INDEX_FILE_NAME:
            continue
        relative = path.relative_to(directory).with_suffix("")
        yield ".".join(relative.parts), path


def read_parameter_directory(directory: Path) -> ParameterSet:
    """Load a parameter tree without caching (tests use this on temporary trees)."""
    infos = {name: _parse_parameter_file(path, name) for name, path in iter_parameter_files(directory)}
    return ParameterSet(infos, _parse_coverage(directory / INDEX_FILE_NAME))


@functools.lru_cache(maxsize=4)
def _load_tree(directory: str | None = None) -> ParameterSet:
    return read_parameter_directory(Path(directory) if directory else PARAMETERS_DIR)


# Dated values entered on the platform rather than shipped in YAML (the district's annual
# figures: 人均可支配收入 …, entered by district staff with their document). The platform
# registers one supplier (the engine imports no app); it returns (name, ParameterValue) pairs,
# a small hashable tuple. The merged set is cached per distinct answer, so the evaluators'
# compiled programs survive as long as the entered values do not change.
ParameterSupplier = Callable[[], tuple[tuple[str, ParameterValue], ...]]
_supplier: ParameterSupplier | None = None
_merged: dict[tuple, ParameterSet] = {}


def register_parameter_supplier(supplier: ParameterSupplier | None) -> None:
    """Install (or, with None, remove) the source of platform-entered values."""
    global _supplier
    _supplier = supplier
    _merged.clear()


def load_parameters(directory: str | None = None) -> ParameterSet:
    """The parameter set of the shipped YAML tree (or another directory), loaded once; for the
    shipped tree, with the values entered on the platform (``register_parameter_supplier``)."""
    base = _load_tree(directory)
    if directory is not None or _supplier is None:
        return base
    entries = _supplier()
    if not entries:
        return base
    found = _merged.get(entries)
    if found is None:
        found = base.with_entries(entries)
        _merged.clear()  # keep only the current answer
        _merged[entries] = found
    return found


load_parameters.cache_clear = _load_tree.cache_clear  # type: ignore[attr-defined]
