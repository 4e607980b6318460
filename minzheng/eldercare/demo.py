"""Demo elderly-care network of the synthetic district, matching the plan's figures.

Calibration (shared/plan):
- baseline_2020.csv: 养老机构 48 所, 床位 5,108 张, 与医疗机构签订合作协议的养老机构 45 家;
  indicators.csv: 护理型床位占比 2020 = 50%;
- other_targets.csv (第五章第二节): 街道养老服务中心 11, 乡镇养老服务中心 16, 社区养老服务站 110,
  行政村养老服务点 193 — the 2025 network, built by key project 养老服务业-1 (2021–2022);
- key_projects.csv: the 21 养老服务业 projects, each one facility under construction.

Everything is placed at synthetic coordinates inside the real district outline, from a seed,
so a rerun with the same seed gives the same world. Real names are used only for the
divisions and the key projects (which the plan names); every other name is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.core.ages import born_by
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.periods import add_months, month_start, period_of
from minzheng.divisions.directory import DivisionInfo, get_directory
from minzheng.eldercare.actions import price_order
from minzheng.eldercare.enums import (
    INSTITUTION_KINDS,
    AssessmentReason,
    FacilityKind,
    FacilityStatus,
    LicenceKind,
    MedicalCapability,
    OrderStatus,
    Ownership,
    RiskLevel,
    ServiceKind,
    SubsidyCategory,
    VisitGroup,
)
from minzheng.eldercare.geometry import (
    district_outline,
    haversine_m,
    random_point_inside,
    random_point_near,
    seeded_rng,
)
from minzheng.eldercare.models import (
    Assessment,
    CareOrder,
    Facility,
    FamilyCareBed,
    Provider,
    Residency,
    VillageLocation,
    VisitTarget,
)
from minzheng.eldercare.params import param
from minzheng.eldercare.scoring import ITEMS, score
from minzheng.eldercare.workflow import ORDER_WORKFLOW
from minzheng.registry.models import Person

DATA_DIR = Path(__file__).resolve().parent / "data"
SEAT = (107.3898, 29.7032)  # 区政府驻地 (seat_lonlat in the boundary file's provenance)
CENTRAL_STREETS = ("500102006", "500102007", "500102008", "500102009", "500102010", "500102014")

BASELINE_INSTITUTIONS = 48
BASELINE_BEDS = 5108
BASELINE_MEDICAL_AGREEMENTS = 45
BASELINE_NURSING_SHARE_PERCENT = 50
NETWORK_STREET_CENTRES = 11
NETWORK_TOWN_CENTRES = 16
NETWORK_COMMUNITY_STATIONS = 110
NETWORK_VILLAGE_POINTS = 193
NETWORK_PROJECT = "养老服务业-1"


# --------------------------------------------------------------------------- villages
def town_centres(seed: int) -> dict[str, tuple[float, float]]:
    """One synthetic centre per town: the central streets around the seat, the rest spread
    over the outline by best-candidate sampling."""
    outline = district_outline()
    directory = get_directory()
    towns = sorted(directory.towns(), key=lambda t: t.code)
    centres: dict[str, tuple[float, float]] = {}
    for i, code in enumerate(c for c in CENTRAL_STREETS if directory.get(c)):
        angle = 2 * math.pi * i / len(CENTRAL_STREETS)
        rng = seeded_rng(seed, "town", code)
        centres[code] = random_point_near(rng, outline, SEAT[0] + 0.02 * math.cos(angle), SEAT[1] + 0.015 * math.sin(angle), max_m=800)
    for town in towns:
        if town.code in centres:
            continue
        rng = seeded_rng(seed, "town", town.code)
        best, best_d = None, -1.0
        for _ in range(40):
            p = random_point_inside(rng, outline)
            d = min((haversine_m(*p, *c) for c in centres.values()), default=1e9)
            if d > best_d:
                best, best_d = p, d
        centres[town.code] = best
    return centres


def village_points(seed: int) -> dict[str, tuple[float, float]]:
    """A synthetic point for every village and community: communities close to the town
    centre, villages spread around it, all inside the outline."""
    outline = district_outline()
    directory = get_directory()
    centres = town_centres(seed)
    points: dict[str, tuple[float, float]] = {}
    for town_code, centre in centres.items():
        members = directory.villages(town_code)
        communities = [v for v in members if v.kind == "社区"]
        villages = [v for v in members if v.kind != "社区"]
        community_r = 500 + 130 * len(communities)
        village_r = math.sqrt(max(len(villages), 1) * 7.0e6 / math.pi)  # ≈ 7 km² a village
        placed: list[tuple[float, float]] = []
        for group, max_m, min_m, spacing in (
            (communities, community_r, 0, 350),
            (villages, village_r, community_r * 0.8, 1400),
        ):
            for v in group:
                rng = seeded_rng(seed, "village", v.code)
                p = None
                for _ in range(60):
                    cand = random_point_near(rng, outline, *centre, max_m=max_m, min_m=min_m)
                    if all(haversine_m(*cand, *q) >= spacing for q in placed):
                        p = cand
                        break
                p = p or cand
                placed.append(p)
                points[v.code] = p
    return points


@transaction.atomic
def do_seed_village_locations(actor: Actor, *, seed: int) -> int:
    """Store a synthetic point for each village that has none. Returns how many were added."""
    have = set(VillageLocation.objects.values_list("division_code", flat=True))
    rows = [
        VillageLocation(division_code=code, lon=round(lon, 6), lat=round(lat, 6), is_synthetic=True)
        for code, (lon, lat) in village_points(seed).items()
        if code not in have
    ]
    VillageLocation.objects.bulk_create(rows, batch_size=500)
    if rows:
        record_audit_event(actor, AuditAction.CREATE, object_type="eldercare.village_location",
                           summary=f"生成村（社区）模拟坐标 {len(rows)} 个", extra={"seed": seed})  # fmt: skip
    return len(rows)


# --------------------------------------------------------------------------- facilities
def _scale_to_total(raw: list[float], total: int) -> list[int]:
    """Integers proportional to raw that add up to exactly total (largest remainder)."""
    s = sum(raw)
    exact = [r * total / s for r in raw]
    out = [int(e) for e in exact]
    for i in sorted(range(len(raw)), key=lambda i: exact[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def _near(rng, point, max_m=150.0):
    return random_point_near(rng, district_outline(), *point, max_m=max_m)


def _short_name(town: DivisionInfo) -> str:
    return re.sub(r"(街道|镇|乡)$", "", town.name)


def load_key_projects() -> list[dict]:
    with (DATA_DIR / "key_projects_eldercare.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


_BEDS_RE = re.compile(r"床位约?(\d+)张|(\d+)(?:张|个)床位")


def _project_beds(text: str) -> int:
    m = _BEDS_RE.search(text)
    return int(m.group(1) or m.group(2)) if m else 0


def _project_town(project: dict, towns: list[DivisionInfo]) -> DivisionInfo:
    for text in (project["location"], project["name"], project["content"]):
        for town in towns:
            if town.name in text or _short_name(town) in text:
                return town
    return next(t for t in towns if t.code == CENTRAL_STREETS[0])


def _project_kind(project: dict) -> tuple[str, str]:
    name, funding = project["name"], project["funding"]
    ownership = Ownership.PRIVATE if "社会投资" in funding else Ownership.PUBLIC
    if "全覆盖" in name:
        return FacilityKind.STREET_CENTRE, ownership
    if "照护中心" in name:
        return FacilityKind.CARE_CENTRE, ownership
    if "特困供养" in name or "敬老院" in name:
        return FacilityKind.TEKUN_FACILITY, ownership
    return FacilityKind.INSTITUTION, ownership


def build_facilities(seed: int, villages: dict[str, tuple[float, float]]) -> list[Facility]:
    directory = get_directory()
    towns = sorted(directory.towns(), key=lambda t: t.code)
    centres = town_centres(seed)
    out: list[Facility] = []
    opened_network = dt.date(2022, 6, 30)

    def add(**kw) -> Facility:
        f = Facility(is_demo=True, **kw)
        out.append(f)
        return f

    # 1. The 2025 network: one centre per town (11 街道 + 16 乡镇), 110 stations, 193 points.
    for town in towns:
        rng = seeded_rng(seed, "centre", town.code)
        street = town.name.endswith("街道")
        beds = rng.randint(20, 40) if street else rng.randint(10, 30)
        lon, lat = _near(rng, centres[town.code], 300)
        add(
            name=f"{town.name}养老服务中心", kind=FacilityKind.STREET_CENTRE if street else FacilityKind.TOWN_CENTRE,
            ownership=Ownership.PUBLIC_PRIVATE, operator_name=f"{_short_name(town)}颐康养老服务有限公司（演示）",
            division_code=town.code, address=f"{town.name}（模拟地址）", lon=lon, lat=lat,
            beds_total=beds, beds_nursing=beds // 2, star_rating=0,
            medical_capability=(medical := MedicalCapability.AGREEMENT if rng.random() < 0.6 else MedicalCapability.NONE),
            medical_partner=f"{_short_name(town)}卫生院（演示）" if medical == MedicalCapability.AGREEMENT else "",
            has_rehab=rng.random() < 0.5,
            licence_kind=LicenceKind.FILING, licence_number=f"演示备案{town.code}",
            staff_managers=2, staff_carers=rng.randint(4, 10), staff_qualified_carers=rng.randint(2, 6),
            staff_professionals=rng.randint(1, 3), status=FacilityStatus.OPERATING,
            key_project_ref=NETWORK_PROJECT, planned_period="2021-2022", opened_on=opened_network,
        )  # fmt: skip
    villages_all = directory.villages(district_code())
    communities = [v for v in villages_all if v.kind == "社区"]
    rural = [v for v in villages_all if v.kind != "社区"]
    rng = seeded_rng(seed, "network-sample")
    with_station = sorted(rng.sample(communities, NETWORK_COMMUNITY_STATIONS), key=lambda v: v.code)
    with_point = sorted(rng.sample(rural, NETWORK_VILLAGE_POINTS), key=lambda v: v.code)
    for kind, members, label, max_jitter in (
        (FacilityKind.COMMUNITY_STATION, with_station, "社区养老服务站", 100),
        (FacilityKind.VILLAGE_POINT, with_point, "养老服务点", 150),
    ):
        for v in members:
            r = seeded_rng(seed, kind, v.code)
            lon, lat = _near(r, villages[v.code], max_jitter)
            short = re.sub(r"(社区居民委员会|村民委员会|居民委员会)$", "", v.name)
            suffix = "社区" if kind == FacilityKind.COMMUNITY_STATION else "村"
            add(
                name=f"{short}{suffix}{label}", kind=kind, ownership=Ownership.PUBLIC_PRIVATE if r.random() < 0.4 else Ownership.PUBLIC,
                division_code=v.code, address=f"{directory.path_name(v.code)}（模拟地址）", lon=lon, lat=lat,
                medical_capability=(medical := MedicalCapability.AGREEMENT if r.random() < 0.25 else MedicalCapability.NONE),
                medical_partner="村卫生室（演示）" if medical == MedicalCapability.AGREEMENT else "",
                has_rehab=r.random() < 0.1,
                licence_kind=LicenceKind.FILING, staff_managers=1, staff_carers=r.randint(1, 3),
                staff_qualified_carers=r.randint(0, 2), status=FacilityStatus.OPERATING,
                key_project_ref=NETWORK_PROJECT, planned_period="2021-2022", opened_on=opened_network,
            )  # fmt: skip

    # 2. The 48 institutions of the 2020 baseline with exactly 5,108 beds, half nursing-type,
    #    45 with a medical agreement.
    rng = seeded_rng(seed, "institutions")
    rural_towns = [t for t in towns if t.code not in CENTRAL_STREETS]
    extra_homes = [t for t in towns if _short_name(t) in ("蔺市", "新妙", "马武")]
    specs: list[dict] = [dict(name="涪陵区社会福利院", kind=FacilityKind.INSTITUTION, ownership=Ownership.PUBLIC,
                              town=next(t for t in towns if t.code == "500102007"), raw=300)]  # fmt: skip
    for i, town in enumerate(rural_towns + extra_homes):
        second = i >= len(rural_towns)
        specs.append(dict(name=f"{_short_name(town)}{'第二' if second else ''}敬老院", kind=FacilityKind.TEKUN_FACILITY,
                          ownership=Ownership.PUBLIC, town=town, raw=rng.randint(50, 160)))  # fmt: skip
    n_public_private = 5
    n_private = BASELINE_INSTITUTIONS - len(specs) - n_public_private
    for i in range(n_public_private):
        town = towns[rng.randrange(len(towns))]
        specs.append(dict(name=f"{_short_name(town)}颐养院（公建民营，演示）", kind=FacilityKind.INSTITUTION,
                          ownership=Ownership.PUBLIC_PRIVATE, town=town, raw=rng.randint(80, 150)))  # fmt: skip
    for i in range(n_private):
        town = (towns + [t for t in towns if t.code in CENTRAL_STREETS] * 2)[rng.randrange(len(towns) + 12)]
        specs.append(dict(name=f"{_short_name(town)}康乐养老院{i + 1}号（民办，演示）", kind=FacilityKind.INSTITUTION,
                          ownership=Ownership.PRIVATE, town=town, raw=rng.randint(30, 260)))  # fmt: skip
    assert len(specs) == BASELINE_INSTITUTIONS
    beds = _scale_to_total([s["raw"] for s in specs], BASELINE_BEDS)
    nursing = _scale_to_total([b * rng.uniform(0.3, 0.7) for b in beds], BASELINE_BEDS * BASELINE_NURSING_SHARE_PERCENT // 100)
    nursing = [min(n, b) for n, b in zip(nursing, beds, strict=True)]
    no_agreement = set(sorted(range(len(specs)), key=lambda i: beds[i])[: BASELINE_INSTITUTIONS - BASELINE_MEDICAL_AGREEMENTS])
    stars = {0: 3}
    for spec_i, spec in enumerate(specs):
        town = spec["town"]
        r = seeded_rng(seed, "institution", spec_i)
        lon, lat = random_point_near(r, district_outline(), *centres[town.code], max_m=2500)
        private = spec["ownership"] == Ownership.PRIVATE
        add(
            name=spec["name"], kind=spec["kind"], ownership=spec["ownership"],
            operator_name="（演示）养老服务有限公司" if spec["ownership"] != Ownership.PUBLIC else "",
            division_code=town.code, address=f"{town.name}（模拟地址）", lon=lon, lat=lat,
            beds_total=beds[spec_i], beds_nursing=nursing[spec_i],
            star_rating=stars.get(spec_i, r.choice([0, 0, 1, 1, 2])),
            medical_capability=MedicalCapability.NONE if spec_i in no_agreement else MedicalCapability.AGREEMENT,
            medical_partner="" if spec_i in no_agreement else f"{_short_name(town)}卫生院（演示）",
            has_rehab=r.random() < 0.3, licence_kind=LicenceKind.LICENCE if private else LicenceKind.FILING,
            licence_number=f"演示{spec_i + 1:03d}", staff_managers=r.randint(2, 6),
            staff_carers=max(2, beds[spec_i] // 8), staff_qualified_carers=max(1, beds[spec_i] // 14),
            staff_professionals=r.randint(1, 6), status=FacilityStatus.OPERATING, opened_on=dt.date(2015, 1, 1),
        )  # fmt: skip

    # 3. The 21 key projects, each one facility under construction.
    for project in load_key_projects():
        town = _project_town(project, towns)
        kind, ownership = _project_kind(project)
        r = seeded_rng(seed, "project", project["seq"])
        lon, lat = random_point_near(r, district_outline(), *centres[town.code], max_m=2000)
        b = _project_beds(project["content"])
        add(
            name=project["name"], kind=kind, ownership=ownership, division_code=town.code,
            address=project["location"], lon=lon, lat=lat, beds_total=b, beds_nursing=b * 6 // 10,
            status=FacilityStatus.UNDER_CONSTRUCTION, key_project_ref=f"{project['group']}-{project['seq']}",
            planned_period=project["period"], licence_kind=LicenceKind.NONE,
        )  # fmt: skip
    return out


@transaction.atomic
def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    """Build the demo facility network (idempotent: a second run adds nothing), then the
    demo activity over registry people (see seed_activity).

    ``scale`` is the registry's (1.0 ≈ the whole district): it does not shrink the network —
    its size is the plan's — it only sizes the number of institution residents."""
    actor = actor or Actor.system("养老服务演示数据")
    added_villages = do_seed_village_locations(actor, seed=seed)
    created = 0
    if not Facility.objects.filter(is_demo=True).exists():
        villages = dict(
            (code, (lon, lat)) for code, lon, lat in VillageLocation.objects.values_list("division_code", "lon", "lat")
        )
        facilities = build_facilities(seed, villages)
        Facility.objects.bulk_create(facilities, batch_size=500)
        created = len(facilities)
        centres = Facility.objects.filter(
            is_demo=True, kind__in=[FacilityKind.STREET_CENTRE, FacilityKind.TOWN_CENTRE], status=FacilityStatus.OPERATING
        ).order_by("division_code")
        providers = [
            Provider(name=f"{f.operator_name or f.name}（居家服务）", division_code=f.division_code, facility=f)
            for f in centres
        ]
        Provider.objects.bulk_create(providers)
        record_audit_event(
            actor, AuditAction.CREATE, object_type="eldercare.facility",
            summary=f"生成演示养老服务设施 {created} 个、服务商 {len(providers)} 个", extra={"seed": seed, "scale": scale},
        )  # fmt: skip
    activity = seed_activity(seed=seed, scale=scale, actor=actor)
    return {"villages_added": added_villages, "facilities_created": created, **summary(), **activity}


def summary() -> dict:
    qs = Facility.objects.filter(is_demo=True)
    by_kind = dict(qs.filter(status=FacilityStatus.OPERATING).values_list("kind").annotate(n=Count("id")).order_by())
    inst = qs.filter(status=FacilityStatus.OPERATING, kind__in=INSTITUTION_KINDS)
    agg = inst.aggregate(beds=Sum("beds_total"), nursing=Sum("beds_nursing"))
    return {
        "facilities": qs.count(),
        "operating_by_kind": by_kind,
        "institutions": inst.count(),
        "institution_beds": agg["beds"] or 0,
        "institution_nursing_beds": agg["nursing"] or 0,
        "institutions_with_agreement": inst.filter(medical_capability=MedicalCapability.AGREEMENT).count(),
        "under_construction": qs.filter(status=FacilityStatus.UNDER_CONSTRUCTION).count(),
    }


def seed_activity(*, seed: int, scale: float, actor: Actor) -> dict:
    """Demo activity drawn from the registry's elderly people, if the registry has any.

    The registry is generated at ``scale`` (1.0 ≈ the whole district), so shares of people do
    not depend on it: assessments for about 60 % of people 80+, visiting lists for about 2 %
    of people 60+ living at home, last month's completed home-care orders for about 1 %,
    family care beds for about 0.2 %. The facility network is always full size, so
    institution residents are about 65 % of beds × scale. Written in bulk as one audited
    system action; skipped when scale is 0 or any activity exists already."""
    if scale <= 0 or Assessment.objects.exists() or Residency.objects.exists() or CareOrder.objects.exists():
        return {"activity": "skipped"}
    today = clock.today()
    rng = seeded_rng(seed, "activity")
    elders = list(
        Person.objects.filter(is_deceased=False, birth_date__lte=born_by(today, param("elderly.min_age", today).value))
        .order_by("id")
        .values_list("id", "division_code", "birth_date")
    )
    if not elders:
        return {"activity": "no registry people aged 60+"}
    cut80 = born_by(today, param("assessment.coverage_min_age", today).value)
    interval = param("assessment.reassessment_interval", today).value
    assessments = []
    for pid, code, birth in elders:
        if birth <= cut80 and rng.random() < 0.6:
            frailty = rng.random()
            items = {i.code: max(0, min(i.max_score, round(i.max_score * (1 - frailty) + rng.uniform(-1, 1)))) for i in ITEMS}
            r = score(items, dementia_or_mental_disorder=rng.random() < 0.08, risk_events_30d=rng.choice([0, 0, 0, 1, 2]))
            on = today - dt.timedelta(days=rng.randint(0, 500))
            assessments.append(Assessment(
                person_id=pid, division_code=code, assessed_on=on, reason=AssessmentReason.FIRST, assessors=["演示评估员甲", "演示评估员乙"],
                items=r.items, dimension_scores=r.dimension_scores, total=r.total, preliminary_level=r.preliminary_level,
                final_level=r.final_level, adjustments=list(r.adjustments), next_due_on=add_months(on, interval),
                dementia_or_mental_disorder="确诊痴呆或精神疾病：提高一个等级" in r.adjustments,
            ))  # fmt: skip
    Assessment.objects.bulk_create(assessments, batch_size=2000)

    pool = list(elders)
    rng.shuffle(pool)
    residents, used = [], set()
    for f in Facility.objects.filter(status=FacilityStatus.OPERATING, kind__in=INSTITUTION_KINDS).order_by("id"):
        want = round(f.beds_total * 0.65 * min(scale, 1.0))
        taken = 0
        while pool and taken < want:
            pid, code, birth = pool.pop()
            used.add(pid)
            residents.append(Residency(
                facility=f, person_id=pid, division_code=f.division_code, bed_number=str(taken + 1),
                checked_in_on=today - dt.timedelta(days=rng.randint(1, 1500)),
                is_tekun_concentrated=f.kind == FacilityKind.TEKUN_FACILITY and rng.random() < 0.7,
            ))  # fmt: skip
            taken += 1
    Residency.objects.bulk_create(residents, batch_size=2000)
    occupied: dict[int, int] = {}
    for r in residents:
        occupied[r.facility_id] = occupied.get(r.facility_id, 0) + 1
    for facility_id, n in occupied.items():
        Facility.objects.filter(pk=facility_id).update(occupied_beds=n)
    Person.objects.filter(pk__in=[r.person_id for r in residents if r.is_tekun_concentrated]).update(in_institution=True)

    at_home = [e for e in elders if e[0] not in used]
    targets = [
        VisitTarget(person_id=pid, division_code=code, group=rng.choice(VisitGroup.values), risk_level=rng.choice(RiskLevel.values),
                    registered_on=today - dt.timedelta(days=rng.randint(20, 200)),
                    last_visited_on=today - dt.timedelta(days=rng.randint(0, 40)) if rng.random() < 0.8 else None)  # fmt: skip
        for pid, code, _ in at_home
        if rng.random() < 0.02
    ]
    VisitTarget.objects.bulk_create(targets, batch_size=2000)

    providers: dict[str, Provider] = {p.division_code[:9]: p for p in Provider.objects.filter(is_active=True).order_by("-id")}
    last_month_day = month_start(today) - dt.timedelta(days=1)
    month = period_of(last_month_day)
    orders, subsidised = [], {}
    village_xy = {c: (lon, lat) for c, lon, lat in VillageLocation.objects.values_list("division_code", "lon", "lat")}
    for pid, code, _ in at_home:
        provider = providers.get(code[:9])
        if provider is None or rng.random() >= 0.01:
            continue
        day = last_month_day.replace(day=rng.randint(1, last_month_day.day))
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.choice([0, 30]))))
        o = CareOrder(
            person_id=pid, division_code=code, service_kind=rng.choice(ServiceKind.values), quantity=rng.randint(1, 4),
            category=rng.choice([SubsidyCategory.TEKUN, SubsidyCategory.DIBAO, SubsidyCategory.LOW_INCOME, SubsidyCategory.GENERAL]),
            requested_on=day - dt.timedelta(days=2), status=OrderStatus.COMPLETED, provider=provider, worker_name="演示护理员",
            dispatched_at=start - dt.timedelta(days=1), check_in_at=start, check_out_at=start + dt.timedelta(minutes=rng.randint(30, 120)),
            completed_at=start + dt.timedelta(minutes=130), service_month=month, rating=rng.choice([4, 5, 5, None]),
        )  # fmt: skip
        vlon, vlat = village_xy.get(code, SEAT)
        o.check_in_lon = o.check_out_lon = vlon
        o.check_in_lat = o.check_out_lat = vlat
        priced = price_order(o, day, already_subsidised_fen=subsidised.get(pid, 0))
        for k, v in priced.items():
            setattr(o, k, v)
        subsidised[pid] = subsidised.get(pid, 0) + o.subsidy_fen
        o.step_started_on = timezone.localtime(o.completed_at).date()
        orders.append(o)
    # Bulk-created in their final state for speed, so their history is written here too: the
    # steps a completed order went through, by 系统 (cases.CaseEvent, as do_transition would).
    CareOrder.objects.bulk_create(orders, batch_size=2000)
    CaseEvent.objects.bulk_create([e for o in orders for e in _demo_order_history(o)], batch_size=2000)

    beds = []
    seen = set()
    for pid, code, _ in at_home:
        provider = providers.get(code[:9])
        if provider is None or pid in seen or rng.random() >= 0.002:
            continue
        seen.add(pid)
        beds.append(FamilyCareBed(person_id=pid, division_code=code, provider=provider,
                                  registered_on=today - dt.timedelta(days=rng.randint(10, 300)), care_plan="每周上门护理两次（演示）"))  # fmt: skip
    FamilyCareBed.objects.bulk_create(beds, batch_size=2000)
    counts = {
        "assessments": len(assessments), "residents": len(residents), "visit_targets": len(targets),
        "orders": len(orders), "family_beds": len(beds),
    }  # fmt: skip
    record_audit_event(actor, AuditAction.CREATE, object_type="eldercare.demo_activity",
                       summary="生成养老服务演示业务数据：" + "，".join(f"{k} {v}" for k, v in counts.items()),
                       extra={"seed": seed, "scale": scale})  # fmt: skip
    return counts


_DEMO_ORDER_STEPS = (
    ("create", "服务申请", "", OrderStatus.REQUESTED, "created_at"),
    ("dispatch", "派单", OrderStatus.REQUESTED, OrderStatus.DISPATCHED, "dispatched_at"),
    ("check_in", "上门签到", OrderStatus.DISPATCHED, OrderStatus.IN_SERVICE, "check_in_at"),
    ("complete", "签退并完成", OrderStatus.IN_SERVICE, OrderStatus.COMPLETED, "completed_at"),
)


def _demo_order_history(order: CareOrder) -> list[CaseEvent]:
    """The history rows of a demo order bulk-created as completed."""
    requested_at = timezone.make_aware(dt.datetime.combine(order.requested_on, dt.time(9, 0)))
    return [
        CaseEvent(
            workflow=ORDER_WORKFLOW.name,
            case_id=order.pk,
            division_code=order.division_code,
            action=action,
            label=label,
            from_status=source,
            to_status=target,
            actor_name="系统",
            occurred_at=requested_at if field == "created_at" else getattr(order, field),
        )
        for action, label, source, target, field in _DEMO_ORDER_STEPS
    ]
