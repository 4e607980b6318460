"""Demo data of the child-welfare line (``minzheng demo``): protection stations in most towns;
a few recognised orphans and de-facto unsupported children in each demo village (one of them
机构养育, living in the 儿童福利院); their 儿童督导员/儿童主任 with training; protection cases
in each demo village at different steps (a new 强制报告 due today, one under assessment, one
under 国家临时监护 in follow-up); the 涪陵区儿童福利院 of the plan's key project (its beds and
floor area read from the plan's key-project list) with its residents. Everything through the
line's own actions (the allowance enrolled in assistance's program). Idempotent: a second run
adds nothing. Left-behind children's assessments and care plans: ``demo_care.py`` (after
discovery has registered the 三留守 children)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from pathlib import Path

from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.children.actions import (
    InstitutionInput,
    RecognitionInput,
    StationInput,
    do_admit_child,
    do_save_institution,
    do_appoint_child_worker,
    do_import_recognised_child,
    do_record_training,
    do_save_station,
)
from minzheng.children.allowances import evaluate_child
from minzheng.children.enums import Category, Ground, HarmKind, Placement, ReporterKind, Source, WorkerRole
from minzheng.children.indicators import towns
from minzheng.children.models import ChildWorker, ProtectionCase, ProtectionStation, Recognition, WelfareInstitution
from minzheng.children.protection import (
    ReportInput,
    do_accept_report,
    do_assess_case,
    do_decide_guardianship,
    do_record_follow_up,
    do_report_minor,
)
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.core.periods import period_of
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Person

DEMO_VILLAGES = ("500102006001", "500102119001")
DEMO_TOWNS = ("500102006", "500102119")

# The plan's key project (规划 重点项目 基本民生保障 2): 涪陵区儿童福利院大楼, 建筑面积3500平方米，100张床位,
# 崇义街道天子殿社区4组涪陵区社会福利院内, 2021–2023 — read from the plan's key-project list.
KEY_PROJECT = "规划重点项目：涪陵区儿童福利院大楼（2021—2023）"
KEY_PROJECTS_CSV = Path(__file__).resolve().parents[1] / "planning" / "data" / "2021-2025" / "key_projects.csv"
INSTITUTION_NAME = "涪陵区儿童福利院"
INSTITUTION_VILLAGE = "500102007010"  # 崇义街道天子殿社区


def key_project_figures() -> tuple[int, int]:
    """(beds, floor area m²) of the 儿童福利院 in the plan's key-project list."""
    with KEY_PROJECTS_CSV.open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["name"] == "涪陵区儿童福利院大楼")
    beds = re.search(r"(\d+)张床位", row["content"])
    area = re.search(r"建筑面积(\d+)平方米", row["content"])
    return int(beds.group(1)), int(area.group(1))


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("儿童福利演示数据")
    rng = random.Random(seed)
    stations = 0
    if not ProtectionStation.objects.exists():
        directory = get_directory()
        for code in towns():
            if rng.random() < 0.8:
                do_save_station(
                    actor,
                    StationInput(
                        division_code=code, name=f"{directory.name(code)}未成年人保护工作站",
                        established_on=dt.date(2021 + rng.randrange(5), rng.randrange(1, 13), 1),
                        staff_count=rng.randrange(2, 6), premises_m2=rng.randrange(30, 120),
                    ),
                )
                stations += 1
    children = 0
    if not Recognition.objects.exists():
        today = clock.today()
        cutoff = today.replace(year=today.year - 17)
        for village in DEMO_VILLAGES:
            kids = list(Person.objects.filter(division_code=village, is_deceased=False, birth_date__gt=cutoff).order_by("id")[:3])
            adults = list(Person.objects.filter(division_code=village, is_deceased=False, birth_date__lt=today.replace(year=today.year - 40)).order_by("id")[:3])
            for i, (kid, guardian) in enumerate(zip(kids, adults)):
                category = Category.ORPHAN if i % 2 == 0 else Category.DE_FACTO_UNSUPPORTED
                ground = Ground.BOTH_PARENTS_DEAD if category == Category.ORPHAN else Ground.PARENT_DETAINED
                try:
                    amount = evaluate_child(kid, category, Placement.SCATTERED, period_of(today)).amount_fen
                    do_import_recognised_child(
                        actor,
                        RecognitionInput(person_id=kid.pk, category=category, source=Source.ROSTER, grounds=[ground],
                                         guardian_id=guardian.pk, guardian_relation="祖父母"),
                        recognised_on=today.replace(day=1), start_month=today.replace(day=1), amount_fen=amount,
                        reference="演示数据",
                    )
                    children += 1
                except DomainError:
                    continue
    institution = residents = 0
    if not WelfareInstitution.objects.exists():
        beds, area = key_project_figures()
        home = do_save_institution(actor, InstitutionInput(
            name=INSTITUTION_NAME, division_code=INSTITUTION_VILLAGE, beds=beds, floor_area_m2=area,
            address="崇义街道天子殿社区4组（涪陵区社会福利院内）", opened_on=dt.date(2023, 12, 1), source=KEY_PROJECT,
        ))
        institution = 1
        today = clock.today()
        cutoff = today.replace(year=today.year - 16)
        for village in DEMO_VILLAGES:
            taken = set(Recognition.objects.values_list("person_id", flat=True))
            kid = Person.objects.filter(division_code=village, is_deceased=False, birth_date__gt=cutoff).exclude(id__in=taken).order_by("id").first()
            if kid is None:
                continue
            try:
                amount = evaluate_child(kid, Category.ORPHAN, Placement.INSTITUTIONAL, period_of(today)).amount_fen
                do_import_recognised_child(
                    actor,
                    RecognitionInput(person_id=kid.pk, category=Category.ORPHAN, source=Source.ROSTER, grounds=[Ground.BOTH_PARENTS_DEAD],
                                     placement=Placement.INSTITUTIONAL),
                    recognised_on=dt.date(2024, 3, 1), start_month=today.replace(day=1), amount_fen=amount, reference="演示数据",
                )
                do_admit_child(actor, home, person_id=kid.pk, admitted_on=dt.date(2024, 3, 1), reason="orphan",
                               note="父母双亡，无其他监护人（演示数据）")
                residents += 1
            except DomainError:
                continue
    workers = reports = 0
    if not ChildWorker.objects.exists():
        for code in DEMO_TOWNS:
            do_appoint_child_worker(actor, role=WorkerRole.SUPERVISOR, name="演示督导员", division_code=code, appointed_on=dt.date(2024, 3, 1))
            workers += 1
        for village in DEMO_VILLAGES:
            worker = do_appoint_child_worker(actor, role=WorkerRole.DIRECTOR, name="演示儿童主任", division_code=village, appointed_on=dt.date(2024, 3, 1))
            do_record_training(actor, worker, on=dt.date(clock.today().year, 3, 15), topic="困境儿童关爱服务培训", hours=8)
            workers += 1
    if not ProtectionCase.objects.exists():
        for village in DEMO_VILLAGES:
            do_report_minor(
                actor,
                ReportInput(
                    division_code=village, child_name="不详", child_description="约6岁男孩", reporter_kind=ReporterKind.PUBLIC,
                    harm_kinds=[HarmKind.ABANDONMENT], description="群众反映：儿童连续多日独自在家，无人照料（演示数据）",
                ),
            )
            reports += 1
            reports += _cases_under_way(actor, village)
    return {"stations": stations, "children": children, "workers": workers, "reports": reports,
            "institution": institution, "residents": residents}


def _cases_under_way(actor: Actor, village: str) -> int:
    """Two older cases of the village: a school's report of six days ago not yet accepted
    (超期 on the workbench), and one under 国家临时监护 in follow-up."""
    now = timezone.now()
    school = do_report_minor(actor, ReportInput(
        division_code=village, child_name="不详", child_description="约10岁女孩，四年级", reporter_kind=ReporterKind.SCHOOL,
        reporter_unit="辖区小学", harm_kinds=[HarmKind.DOMESTIC_VIOLENCE], description="班主任发现学生手臂多处淤青（演示数据）",
        reported_at=now - dt.timedelta(days=6),
    ))
    del school  # left 待受理: past its same-day limit, 超期 on the workbench
    hospital = do_report_minor(actor, ReportInput(
        division_code=village, child_name="不详", child_description="约3岁幼儿", reporter_kind=ReporterKind.HOSPITAL,
        reporter_unit="区人民医院", harm_kinds=[HarmKind.MALNUTRITION, HarmKind.ABANDONMENT],
        description="幼儿严重营养不良，监护人下落不明（演示数据）", reported_at=now - dt.timedelta(days=20),
    ))
    case = do_accept_report(actor, hospital, expected_version=hospital.version, emergency_measures="送医救治，临时照料（演示数据）")
    case = do_assess_case(actor, case, expected_version=case.version, risk_level="high", assessment="监护人下落不明，无其他人可以担任监护人（演示数据）")
    case = do_decide_guardianship(actor, case, expected_version=case.version, intervention="temporary", grounds=["t2"], placement="welfare",
                                  note="演示数据")
    do_record_follow_up(actor, case, expected_version=case.version, note="儿童在福利院生活稳定（演示数据）")
    return 2
