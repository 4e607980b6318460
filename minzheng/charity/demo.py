"""Demo data of the charity line (``minzheng demo``), after the social-organisation register:
twelve of the register's 公益慈善类 organisations recognised as charities, three with a public-
fundraising qualification, a year-long campaign, donations of 2025 and of 2026 to date, a
project with spending, a 慈善信托, and the 2025 disclosure duties (most done, some overdue).
Donor names and amounts are synthetic (演示). Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.charity import actions
from minzheng.charity.models import Charity, DisclosureDuty, Donation
from minzheng.core import clock
from minzheng.sociorgs.selectors import charity_candidates


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("慈善事业演示数据")
    if Charity.objects.exists():
        return {"慈善演示数据": "已存在，未重复生成"}
    rng = random.Random(seed)
    today = clock.today()
    charities = []
    for org in charity_candidates(12):
        charities.append(actions.do_recognise_charity(actor, org, applied_on=dt.date(2021, 3, 1), recognised_on=dt.date(2021, 3, 18),
                                                      decision_no=f"涪民发〔2021〕{len(charities) + 10}号（演示）"))  # fmt: skip
    if not charities:
        return {"慈善组织": 0}
    for c in charities[:3]:
        actions.do_grant_qualification(actor, c, granted_on=dt.date(2022, 6, 1), valid_until=dt.date(2027, 5, 31), certificate_no=f"渝慈募（演示）{c.pk}")
    campaign = actions.do_file_campaign(actor, charities[0], name="“慈善涪陵”助学圆梦（演示）", filed_on=dt.date(2026, 1, 2),
                                        starts_on=dt.date(2026, 1, 15), ends_on=dt.date(2026, 12, 31), target_yuan="3000000")  # fmt: skip
    n = 0
    for year, last in ((2025, dt.date(2025, 12, 31)), (2026, today)):
        day = dt.date(year, 1, 3)
        while day <= last:
            n += 1
            charity = rng.choice(charities)
            kind = rng.choices(("individual", "enterprise", "organisation", "anonymous"), (50, 30, 10, 10))[0]
            cash = rng.choice((500, 2000, 10000, 50000, 200000, 800000))
            goods = rng.choice((0, 0, 0, 30000, 120000))
            use_campaign = charity == charities[0] and campaign.starts_on <= day <= campaign.ends_on
            actions.do_record_donation(actor, charity, received_on=day, donor_kind=kind, donor_name="" if kind == "anonymous" else f"捐赠人{n:04d}（演示）",
                                       amount_yuan=str(cash), in_kind_yuan=str(goods) if goods else "", in_kind_description="米油、棉被等（演示）" if goods else "",
                                       receipt_no=f"渝财捐{year}-{n:05d}", campaign=campaign if use_campaign else None)  # fmt: skip
            day += dt.timedelta(days=rng.randrange(2, 6))
    project = actions.do_add_project(actor, charities[0], name="留守儿童助学项目（演示）", starts_on=dt.date(2026, 2, 1), budget_yuan="1500000")
    actions.do_record_spending(actor, project, spent_on=dt.date(2026, 9, 1), amount_yuan="600000", purpose="秋季学期助学金发放（演示）")
    actions.do_file_trust(actor, name="涪陵乡村振兴慈善信托（演示）", trustee="某信托公司（演示）", settlor="某企业（演示）",
                          signed_on=dt.date(2025, 8, 1), filed_on=dt.date(2025, 8, 5), property_yuan="1000000", purpose="乡村振兴帮扶（演示）")  # fmt: skip
    actions.do_open_annual_duties(actor, year=2025)
    annual = list(DisclosureDuty.objects.filter(kind__in=("annual_report", "related_parties")).order_by("id"))
    for duty in annual[:-4]:  # four left overdue
        actions.do_complete_duty(actor, duty, done_on=dt.date(2026, 5, 20))
    return {"慈善组织": len(charities), "捐赠": Donation.objects.count()}
