"""Loads the shipped division files into the database (idempotent)."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from minzheng.divisions.models import CodeSystem, Division, DivisionCode, Kind, Level, Zone

NBS_SOURCE = "国家统计局 统计用区划代码 2023（china-division@2.7.0）"
NBS_EDITION = "2023"
MCA_EDITION = "2025-12-31"
_SUFFIXES = ("居民委员会", "村民委员会", "委员会")


@dataclass(frozen=True)
class LoadSummary:
    districts: int
    towns: int
    villages: int
    codes: int


def _kind_and_name(level: str, full_name: str) -> tuple[str, str]:
    if level == "district":
        return Kind.DISTRICT, full_name
    if level == "town":
        for kind in (Kind.SUBDISTRICT, Kind.TOWN, Kind.TOWNSHIP):
            if full_name.endswith(kind.value):
                return kind, full_name
        raise ValueError(f"无法识别乡级区划类型：{full_name}")
    name = full_name
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if full_name.endswith("居民委员会"):
        return Kind.COMMUNITY, name if name.endswith("社区") else name + "社区"
    if full_name.endswith("村民委员会"):
        return Kind.VILLAGE, name if name.endswith("村") else name + "村"
    raise ValueError(f"无法识别村级区划类型：{full_name}")


def read_division_rows() -> list[Division]:
    rows = []
    with open(settings.DIVISIONS_DATA_DIR / "fuling_divisions.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kind, name = _kind_and_name(r["level"], r["name"])
            # 社区 urban and 村 rural by default; towns and the district take no zone.
            zone = {Kind.COMMUNITY: Zone.URBAN, Kind.VILLAGE: Zone.RURAL}.get(kind, "")
            rows.append(
                Division(
                    code=r["code"],
                    name=name,
                    full_name=r["name"],
                    level={"district": Level.DISTRICT, "town": Level.TOWN, "village": Level.VILLAGE}[r["level"]],
                    kind=kind,
                    parent_code=r["parent_code"],
                    zone=zone,
                    source=NBS_SOURCE,
                )
            )
    return rows


def read_town_code_rows() -> list[DivisionCode]:
    out = []
    with open(settings.DIVISIONS_DATA_DIR / "fuling_town_codes.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out.append(
                DivisionCode(
                    division_code=r["nbs_code"],
                    system=CodeSystem.NBS,
                    code=r["nbs_code"],
                    name_in_system=r["nbs_name"],
                    edition=NBS_EDITION,
                )
            )
            out.append(
                DivisionCode(
                    division_code=r["nbs_code"],
                    system=CodeSystem.MCA,
                    code=r["mca_code"],
                    name_in_system=r["mca_name"],
                    edition=MCA_EDITION,
                )
            )
    return out


@transaction.atomic
def load_divisions() -> LoadSummary:
    """Insert what is missing; never overwrite a division someone has changed since."""
    existing = set(Division.objects.values_list("code", flat=True))
    new = [d for d in read_division_rows() if d.code not in existing]
    Division.objects.bulk_create(new, batch_size=500)
    existing_codes = set(DivisionCode.objects.values_list("system", "edition", "code"))
    new_codes = [c for c in read_town_code_rows() if (c.system, c.edition, c.code) not in existing_codes]
    DivisionCode.objects.bulk_create(new_codes)
    cur = Division.objects.current()
    return LoadSummary(
        districts=cur.filter(level=Level.DISTRICT).count(),
        towns=cur.filter(level=Level.TOWN).count(),
        villages=cur.filter(level=Level.VILLAGE).count(),
        codes=DivisionCode.objects.count(),
    )
