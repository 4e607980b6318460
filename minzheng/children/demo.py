"""Demo data of the child-welfare line (``minzheng demo``): protection stations in most towns
a few recognised orphans and de-facto unsupported children in the demo villages, their
儿童督导员/儿童主任 and a 强制报告 in each demo village, each
through the line's own actions (the allowance enrolled in assistance's program). Idempotent:
a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.children.actions import (
    RecognitionInput,
    StationInput,
    do_appoint_child_worker,
    do_import_recognised_child,
    do_record_training,
    do_save_station,
)
from minzheng.children.allowances import evaluate_child
from minzheng.children.enums import Category, Ground, HarmKind, Placement, ReporterKind, Source, WorkerRole
from minzheng.children.indicators import towns
from minzheng.children.models import ChildWorker, ProtectionCase, ProtectionStation, Recognition
from minzheng.children.protection import ReportInput, do_report_minor
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.core.periods import period_of
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Person

DEMO_VILLAGES = ("500102006001", "500102119001")
DEMO_TOWNS = ("500102006", "500102119")


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
    return {"stations": stations, "children": children, "workers": workers, "reports": reports}
