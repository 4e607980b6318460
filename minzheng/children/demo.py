"""Demo data of the child-welfare line (``minzheng demo``): protection stations in most towns
and a few recognised orphans and de-facto unsupported children in the demo villages, each
through the line's own actions (the allowance enrolled in assistance's program). Idempotent:
a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.children.actions import RecognitionInput, StationInput, do_import_recognised_child, do_save_station
from minzheng.children.allowances import evaluate_child
from minzheng.children.enums import Category, Ground, Placement, Source
from minzheng.children.indicators import towns
from minzheng.children.models import ProtectionStation, Recognition
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.core.periods import period_of
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Person

DEMO_VILLAGES = ("500102006001", "500102119001")


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
    return {"stations": stations, "children": children}
