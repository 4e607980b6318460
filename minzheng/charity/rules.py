"""The charity line's fixed periods, each with its source (shared/domain/service-lines.md §7).
The one [S] rule (progress every 3 months) is marked provisional (参数待确认) on screen."""

from __future__ import annotations

import datetime as dt

# 民政部令第74号: a charity may apply for a public-fundraising qualification after ≥1 year as a charity.
QUALIFICATION_MIN_YEARS = 1
# 民发〔2025〕57号: the fundraising plan is filed 10 days before fundraising; emergencies within 10 days after it starts.
CAMPAIGN_FILING_DAYS = 10
# 《慈善信托管理办法》: the trustee files within 7 days of signing.
TRUST_FILING_DAYS = 7
# 民政部令第81号 / 慈善法: annual work and financial reports public by 31 May of the next year; related parties by 31 May.
ANNUAL_DUE = (5, 31)
# 2018 rule [S] — 参数待确认: campaigns longer than 6 months report every 3 months; a full report within 3 months of the end.
PROGRESS_MONTHS = 3
LONG_CAMPAIGN_MONTHS = 6
FINAL_REPORT_MONTHS = 3
PROVISIONAL = {"PROGRESS_MONTHS": "募捐活动每3个月公开一次（2018年规定，参数待确认）"}


def annual_due(year: int) -> dt.date:
    """The annual disclosure deadline for reports on ``year``."""
    return dt.date(year + 1, *ANNUAL_DUE)
