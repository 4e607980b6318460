"""Elderly-care parameters: YAML files under ``parameters/``, one per value, in the same
format as ``minzheng/rules/parameters`` (``description``, ``unit``, dated ``values`` with
``value``, ``reference``, ``provisional``) so the two trees can be merged.

This is a deliberately tiny loader of our own: the rules engine's loader rejects units it
does not know yet (``metres``, ``metres/minute``, ``CNY/service``). When those units are
added there, ``param()`` can delegate to ``minzheng.rules.engine.parameters``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from minzheng.core import clock

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"

UNITS = {
    "CNY": "money",
    "CNY/service": "money",
    "CNY/person/month": "money",
    "ratio": "number",
    "metres": "number",
    "metres/minute": "number",
    "months": "int",
    "days": "int",
    "years": "int",
}


class ParameterError(ValueError):
    pass


class ParameterNotSet(LookupError):
    """No value in force on that date (e.g. an allowance whose amount no document sets)."""

    def __init__(self, name: str, on: dt.date):
        super().__init__(f"参数 {name} 在 {on.isoformat()} 没有生效值")
        self.name = name
        self.on = on


class _DecimalLoader(yaml.SafeLoader):
    pass


_DecimalLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", ""))
)


@dataclass(frozen=True, slots=True)
class ParamValue:
    value: Any
    reference: str
    provisional: bool
    effective_from: dt.date

    @property
    def fen(self) -> int:
        """A money value in integer fen (money parameters are whole fen by construction)."""
        return int(Decimal(self.value) * 100)


@dataclass(frozen=True, slots=True)
class ParamInfo:
    name: str
    description: str
    unit: str
    entries: tuple[ParamValue, ...]


def _coerce(raw: Any, kind: str, where: str) -> Any:
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ParameterError(f"{where}: 应为整数")
        return raw
    value = Decimal(str(raw))
    if kind == "money" and value * 100 != int(value * 100):
        raise ParameterError(f"{where}: 金额须精确到分")
    return value


def _read(path: Path, name: str) -> ParamInfo:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DecimalLoader)  # noqa: S506 - SafeLoader subclass
    where = str(path)
    if not isinstance(data, dict) or not str(data.get("description") or "").strip():
        raise ParameterError(f"{where}: 缺少 description")
    unit = data.get("unit")
    if unit not in UNITS:
        raise ParameterError(f"{where}: 未知单位 {unit!r}")
    entries = []
    for key, entry in (data.get("values") or {}).items():
        day = key if isinstance(key, dt.date) else dt.date.fromisoformat(str(key))
        if not isinstance(entry, dict) or "value" not in entry:
            raise ParameterError(f"{where} [{day}]: 需要 value、reference、provisional")
        if not str(entry.get("reference") or "").strip() or not isinstance(entry.get("provisional"), bool):
            raise ParameterError(f"{where} [{day}]: 需要 reference 和 provisional")
        entries.append(ParamValue(_coerce(entry["value"], UNITS[unit], where), entry["reference"], entry["provisional"], day))
    entries.sort(key=lambda e: e.effective_from)
    return ParamInfo(name, data["description"].strip(), unit, tuple(entries))


class EldercareParameters:
    def __init__(self, infos: dict[str, ParamInfo]):
        self._infos = infos
        self._dates = {n: [e.effective_from for e in i.entries] for n, i in infos.items()}

    def names(self) -> list[str]:
        return sorted(self._infos)

    def info(self, name: str) -> ParamInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise KeyError(f"未知参数 {name}") from None

    def find(self, name: str, on: dt.date) -> ParamValue | None:
        info = self.info(name)
        pos = bisect.bisect_right(self._dates[name], on)
        return info.entries[pos - 1] if pos else None

    def value_at(self, name: str, on: dt.date) -> ParamValue:
        found = self.find(name, on)
        if found is None:
            raise ParameterNotSet(name, on)
        return found


def read_parameter_directory(directory: Path) -> EldercareParameters:
    infos = {}
    for path in sorted(directory.rglob("*.yaml")):
        if path.name == "index.yaml":
            continue
        name = ".".join(path.relative_to(directory).with_suffix("").parts)
        infos[name] = _read(path, name)
    return EldercareParameters(infos)


@functools.lru_cache(maxsize=1)
def load_parameters() -> EldercareParameters:
    return read_parameter_directory(PARAMETERS_DIR)


def param(name: str, on: dt.date | None = None) -> ParamValue:
    
    return load_parameters().value_at(name, on or clock.today())
