"""A pager for lists that can hold a whole district (1.16 M people, 100,000 enrolments): it
counts at most ``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, read off an index)
instead of the whole scope on every page. Beyond the cap the pager says “超过 10,000 条” and asks
for a narrower query — a caseworker looks someone up by name, ID number or village, and never
pages through ten thousand rows."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = LIST_CAP if cap is None else cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        n = self.object_list[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)
