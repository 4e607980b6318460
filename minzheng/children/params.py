"""The line's local settings that are not policy amounts (those are the rules parameters
``children.*``). Each says where it comes from; a provisional one is shown 参数待确认.

- 公示: no rule found saying a child's recognition is publicised (service-lines §3 and
  policy-facts §5 name none), and all data of a child under 14 are sensitive personal
  information (《个人信息保护法》, service-lines §0) — so no category is publicised by default.
  A category given a number of days here goes through 公示 after the town's review, with the
  name masked, exactly like assistance's notice.
- 复核: a recognised child is reviewed once a year (the cycle assistance uses for 特困;
  no child-specific cycle found) — provisional.
"""

from __future__ import annotations

from minzheng.children.enums import Category

# Category → calendar days of 公示 after the town's review; absent: no publicity.
PUBLICITY_DAYS: dict[str, int] = {}

REVIEW_CYCLE_MONTHS = 12
REVIEW_CYCLE_PROVISIONAL = True


def publicity_days(category: str) -> int | None:
    return PUBLICITY_DAYS.get(Category(category).value)
