"""Read-only, cached view of the current division tree (461 rows: cheap to hold).

Divisions are public reference data, not scoped personal data, so reading them needs no
actor; what a user may *select* is still limited by their scope in the views.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from minzheng.divisions.models import Division, Level

_lock = threading.Lock()
_cache: DivisionDirectory | None = None
_generation = 0  # bumped on every invalidation, so caches keyed on it expire with the tree


@dataclass(frozen=True, slots=True)
class DivisionInfo:
    code: str
    name: str
    full_name: str
    level: str
    kind: str
    parent_code: str
    zone: str


class DivisionDirectory:
    def __init__(self, rows: list[DivisionInfo]):
        self.by_code = {r.code: r for r in rows}
        self.children: dict[str, list[DivisionInfo]] = {}
        for r in sorted(rows, key=lambda r: r.code):
            self.children.setdefault(r.parent_code, []).append(r)

    def get(self, code: str) -> DivisionInfo | None:
        return self.by_code.get(code)

    def name(self, code: str) -> str:
        info = self.by_code.get(code)
        return info.name if info else code

    def path(self, code: str) -> list[DivisionInfo]:
        out = []
        info = self.by_code.get(code)
        while info is not None:
            out.append(info)
            info = self.by_code.get(info.parent_code)
        return list(reversed(out))

    def path_name(self, code: str) -> str:
        return " / ".join(d.name for d in self.path(code)[1:]) or self.name(code)

    def town_of(self, code: str) -> DivisionInfo | None:
        return self.by_code.get(code[:9]) if len(code) >= 9 else None

    def towns(self) -> list[DivisionInfo]:
        return [r for r in self.by_code.values() if r.level == Level.TOWN]

    def villages(self, prefix: str = "") -> list[DivisionInfo]:
        return sorted(
            (r for r in self.by_code.values() if r.level == Level.VILLAGE and r.code.startswith(prefix)),
            key=lambda r: r.code,
        )


def get_directory() -> DivisionDirectory:
    global _cache
    with _lock:
        if _cache is None:
            rows = [
                DivisionInfo(d.code, d.name, d.full_name, d.level, d.kind, d.parent_code, d.zone)
                for d in Division.objects.current()
            ]
            _cache = DivisionDirectory(rows)
        return _cache


def invalidate_directory() -> None:
    global _cache, _generation
    with _lock:
        _cache = None
        _generation += 1


def directory_generation() -> int:
    return _generation
