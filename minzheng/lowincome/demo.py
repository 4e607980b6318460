"""Demo data of the 低收入人口 line (``minzheng demo``), each through the line's own actions:

- in 敦仁街道 and 珍溪镇 (大东门社区 and 兴盛社区 first), households the current screening finds 低保边缘 (and not enrolled)
  are registered by the village worker, checked by the town and decided by the town's approver
  (two recognised, one waiting for the decision, one waiting for the check, per village);
- two departments' rosters marked 演示名单 (not a real department's list): in each demo village
  up to 6 adults as 防止返贫监测对象 (the 6th already lifted) and 2 as 困难重点优抚对象;
- this month's dynamic monitoring (the register from the enrolments and the recognitions);
- two months of price indices marked 演示数据 (not real statistics): 2026-10 over the trigger,
  with its 价格临时补贴 batch prepared (approve it as another district user), 2026-11 under it.

The district's annual figures are left for district staff to enter (no source gives Fuling's
figure: the screens show the banner). Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor, build_actor
from minzheng.accounts.models import User
from minzheng.assistance import selectors as assistance_selectors
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.lowincome import actions, monitoring
from minzheng.lowincome.models import DepartmentListing, MonitoringRun, PriceIndexMonth, Recognition
from minzheng.registry.models import Household, Person
from minzheng.screening import selectors as screening_selectors

DEMO_VILLAGES = {"500102006001": "500102006", "500102119001": "500102119"}
DEMO_SOURCE = "演示数据（非真实统计数据）"


def _actor(username: str, fallback: Actor) -> Actor:
    user = User.objects.filter(username=username).first()
    return build_actor(user) if user is not None else fallback


def _recognitions(system: Actor) -> int:
    if Recognition.objects.exists():
        return 0
    run = screening_selectors.latest_current_run()
    if run is None:
        return 0
    edge = screening_selectors.eligible_household_ids(run, ("low_income_edge",))["low_income_edge"]
    enrolled = assistance_selectors.live_enrolments().filter(program="dibao").values("household_id")
    made = 0
    for village, town in DEMO_VILLAGES.items():
        # the demo village first, then the rest of its town
        candidates = Household.objects.filter(pk__in=edge, division_code__startswith=town).exclude(pk__in=enrolled)
        households = sorted(candidates.order_by("pk")[:200], key=lambda h: (h.division_code != village, h.pk))[:4]
        officer = _actor(f"town_{town}", system)
        approver = _actor(f"approver_{town}", system)
        for index, household in enumerate(households):
            worker = _actor(f"village_{village}", system) if household.division_code == village else officer
            try:
                r = actions.do_create_recognition(
                    worker, household_id=household.pk, kind="edge", origin="discovery" if index % 2 else "application",
                    reason="家庭收入略高于低保标准，申请认定低保边缘家庭" if index % 2 == 0 else "动态监测筛查发现",
                )
                made += 1
                if index == 3:
                    continue  # waits for the economic check
                r = actions.do_check_recognition(officer, r, expected_version=r.version)
                if index == 2 or r.engine_eligible is not True:
                    continue  # waits for the town's decision
                actions.do_decide_recognition(approver, r, expected_version=r.version, outcome="approve", note="经核对符合低保边缘家庭条件")
            except DomainError:
                continue
    return made


def _rosters(system: Actor) -> int:
    if DepartmentListing.objects.exists():
        return 0
    staff = _actor("district_staff", system)
    rows: dict[str, list[actions.RosterRow]] = {"relapse": [], "youfu": []}
    for village in DEMO_VILLAGES:
        people = list(Person.objects.filter(division_code=village, is_deceased=False, birth_date__lte=dt.date(1990, 1, 1)).order_by("pk")[:8])
        for index, person in enumerate(people):
            kind = "relapse" if index < 6 else "youfu"
            listed = dt.date(2024 + index % 2, 3 + index, 1)
            ended = dt.date(2026, 9, 30) if index == 5 else None
            rows[kind].append(actions.RosterRow(row=len(rows[kind]) + 2, person_id=person.pk, listed_on=listed, ended_on=ended))
    made = 0
    for kind, kind_rows in rows.items():
        if kind_rows:
            counts = actions.do_import_department_roster(staff, kind=kind, rows=kind_rows, source_label="演示名单（非真实部门数据）")
            made += counts["listed"] + counts["history"]
    return made


def _prices(system: Actor) -> dict:
    if PriceIndexMonth.objects.exists():
        return {}
    staff = _actor("district_staff", system)
    actions.do_record_price_index(staff, period="2026-10", cpi_yoy="3.6", food_cpi_yoy="2.1", source=DEMO_SOURCE)
    actions.do_record_price_index(staff, period="2026-11", cpi_yoy="1.5", food_cpi_yoy="2.0", source=DEMO_SOURCE)
    summary = actions.do_prepare_price_subsidy_batch(staff, period="2026-10")
    return {"price_subsidy_payments": summary.payments, "price_subsidy_total_fen": summary.total_fen}


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    system = actor or Actor.system("低收入人口演示数据")
    out = {"recognitions": _recognitions(system), "department_listings": _rosters(system)}
    period = f"{clock.today():%Y-%m}"
    if not MonitoringRun.objects.filter(period=period).exists():
        run = monitoring.do_run_monitoring(system, period=period)
        out["register"] = run.counts["register"]
    out.update(_prices(system))
    return out
