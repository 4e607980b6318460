"""低收入人口动态监测: the register computed in one pass and compared with what it holds.

Sources, highest tier first (a person in several is registered in the highest):

1. **特困人员 / 低保对象** — assistance's live enrolments covering the month (``tekun`` a person,
   ``dibao`` a household: its current living members). Source 救助保障记录.
2. **低保边缘 / 刚性支出困难家庭成员** — households recognised by the town (``Recognition``
   已认定, 刚性支出困难 within its 12 months), re-tiered by the latest screening run: the engine
   now finds the household 低保边缘 → 低保边缘; 刚性支出困难 → 刚性支出困难; neither (and not 低保)
   → leaves the register ("家庭经济状况已超出低收入认定标准"); 低保-eligible but not enrolled →
   keeps its recognised tier (screening lists it as 疑似漏保). Without a screening run the
   recognised tier holds. Households the screening finds but nobody has recognised are
   counted as 待认定线索 (recognition needs the town's decision), not registered.

3. **防止返贫监测对象 / 其他困难人员** — the people on a department's roster (``DepartmentListing``
   open: 乡村振兴's 防止返贫监测对象, 退役军人事务局's 困难重点优抚对象), in their current household.
   Source 部门数据.

The comparison with the open register rows gives three lists — 新纳入, 类别变动, 退出 — written
in bulk (one INSERT of the new rows, one UPDATE per 5,000 ended rows, one INSERT of the change
log); a person whose tier is unchanged is not touched, so a second run of the same month
changes nothing. No per-row ORM loop: the frames are built with ``values_list`` (one query
each) and joined in Polars.
"""

from __future__ import annotations

import datetime as dt
import time

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.assistance import selectors as assistance_selectors
from minzheng.cases.actions import actor_name_of
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.bulk import bulk_insert
from minzheng.core.district import district_code
from minzheng.core.errors import ValidationFailed
from minzheng.lowincome.enums import (
    FEED_TIERS,
    KIND_TIER,
    LISTING_DEPARTMENT,
    LISTING_TIER,
    TIER_RANK,
    ListingKind,
    RecognitionKind,
    SourceKind,
    Status,
    Tier,
)
from minzheng.lowincome.models import (
    DepartmentListing,
    MonitoringRun,
    Recognition,
    RegisterEntry,
    TierChange,
)
from minzheng.lowincome.permissions import LowIncomePerm
from minzheng.registry.models import HouseholdMembership
from minzheng.screening import selectors as screening_selectors

TARGET_SCHEMA = {
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "division_code": pl.Utf8,
    "tier": pl.Utf8,
    "since": pl.Date,
    "source_kind": pl.Utf8,
    "source_id": pl.Int64,
    "source_label": pl.Utf8,
    "reason": pl.Utf8,
}
CURRENT_SCHEMA = {"entry_id": pl.Int64, "person_id": pl.Int64, "old_tier": pl.Utf8, "old_household_id": pl.Int64, "old_division_code": pl.Utf8}
CHUNK = 5000


def _frame(rows, schema) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def _members_of(household_ids_query) -> pl.DataFrame:
    """(household_id, person_id, division_code) of the current living members of the households
    the subquery selects — one query."""
    rows = HouseholdMembership.objects.filter(
        valid_to__isnull=True, person__is_deceased=False, household_id__in=household_ids_query
    ).values_list("household_id", "person_id", "household__division_code")
    return _frame(rows, {"household_id": pl.Int64, "person_id": pl.Int64, "division_code": pl.Utf8})


def _enrolment_targets(month: dt.date) -> pl.DataFrame:
    live = assistance_selectors.live_enrolments().filter(start_month__lte=month).exclude(end_month__lt=month)
    dibao = live.filter(program="dibao", subject_kind="household")
    enrol = _frame(
        dibao.values_list("household_id", "id", "start_month"),
        {"household_id": pl.Int64, "source_id": pl.Int64, "since": pl.Date},
    ).unique("household_id", keep="first")
    members = _members_of(dibao.values("household_id"))
    dibao_rows = members.join(enrol, on="household_id").with_columns(
        pl.lit(Tier.DIBAO.value).alias("tier"),
        pl.lit(SourceKind.ENROLMENT.value).alias("source_kind"),
        pl.format("低保保障记录 #{}", pl.col("source_id")).alias("source_label"),
        pl.lit("低保在保").alias("reason"),
    )
    tekun = _frame(
        live.filter(program="tekun", subject_kind="person").values_list("subject_id", "household_id", "division_code", "id", "start_month"),
        {"person_id": pl.Int64, "household_id": pl.Int64, "division_code": pl.Utf8, "source_id": pl.Int64, "since": pl.Date},
    ).with_columns(
        pl.lit(Tier.TEKUN.value).alias("tier"),
        pl.lit(SourceKind.ENROLMENT.value).alias("source_kind"),
        pl.format("特困供养记录 #{}", pl.col("source_id")).alias("source_label"),
        pl.lit("特困人员救助供养在保").alias("reason"),
    )
    return pl.concat([dibao_rows.select(TARGET_SCHEMA.keys()), tekun.select(TARGET_SCHEMA.keys())]).cast(TARGET_SCHEMA)


def _recognised(month: dt.date):
    return Recognition.objects.filter(status=Status.RECOGNISED).exclude(valid_until__lt=month)


def _recognition_targets(month: dt.date, screening: dict[str, set[int]] | None, run_label: str) -> tuple[pl.DataFrame, dict]:
    recognised = _recognised(month)
    recs = _frame(
        recognised.values_list("household_id", "id", "kind", "decided_on", "number"),
        {"household_id": pl.Int64, "source_id": pl.Int64, "kind": pl.Utf8, "since": pl.Date, "number": pl.Utf8},
    ).sort("source_id").unique("household_id", keep="last")
    members = _members_of(recognised.values("household_id"))
    kind_tier = {k.value: t.value for k, t in KIND_TIER.items()}
    recs = recs.with_columns(pl.col("kind").replace_strict(kind_tier).alias("recognised_tier"))
    counts = {"candidates_edge": 0, "candidates_rigid": 0}
    if screening is None:
        recs = recs.with_columns(
            pl.col("recognised_tier").alias("tier"),
            pl.lit(SourceKind.RECOGNITION.value).alias("source_kind"),
            pl.format("认定决定 {}", pl.col("number")).alias("source_label"),
            pl.lit("乡镇认定").alias("reason"),
        )
    else:
        edge = pl.Series(sorted(screening["low_income_edge"]), dtype=pl.Int64)
        rigid = pl.Series(sorted(screening["rigid_spending_hardship"]), dtype=pl.Int64)
        dibao = pl.Series(sorted(screening["dibao"]), dtype=pl.Int64)
        hh = pl.col("household_id")
        screened = (
            pl.when(hh.is_in(edge.implode())).then(pl.lit(Tier.EDGE.value))
            .when(hh.is_in(rigid.implode())).then(pl.lit(Tier.RIGID.value))
            .when(hh.is_in(dibao.implode())).then(pl.col("recognised_tier"))
            .otherwise(pl.lit(None, pl.Utf8))
        )
        recs = recs.with_columns(screened.alias("tier")).with_columns(
            pl.when(pl.col("tier") == pl.col("recognised_tier"))
            .then(pl.lit(SourceKind.RECOGNITION.value))
            .otherwise(pl.lit(SourceKind.SCREENING.value))
            .alias("source_kind"),
            pl.when(pl.col("tier") == pl.col("recognised_tier"))
            .then(pl.format("认定决定 {}", pl.col("number")))
            .otherwise(pl.lit(run_label))
            .alias("source_label"),
            pl.when(pl.col("tier") == pl.col("recognised_tier"))
            .then(pl.lit("乡镇认定，动态监测仍符合"))
            .when(pl.col("tier") == Tier.EDGE.value)
            .then(pl.lit("动态监测：家庭经济状况符合低保边缘家庭条件"))
            .otherwise(pl.lit("动态监测：家庭经济状况符合刚性支出困难家庭条件"))
            .alias("reason"),
        ).filter(pl.col("tier").is_not_null())
        known = set(recs["household_id"].to_list())
        counts["candidates_edge"] = len(set(screening["low_income_edge"]) - known)
        counts["candidates_rigid"] = len(set(screening["rigid_spending_hardship"]) - known)
    rows = members.join(recs, on="household_id")
    return rows.select(TARGET_SCHEMA.keys()).cast(TARGET_SCHEMA), counts


def _listing_targets(listings) -> pl.DataFrame:
    """The people of the open listings the queryset selects, each in the listing's tier, with
    their current household (one query for the listings, one for the households)."""
    rows = _frame(
        listings.filter(ended_on__isnull=True, person__is_deceased=False).values_list(
            "person_id", "division_code", "kind", "listed_on", "id", "source_label"
        ),
        {"person_id": pl.Int64, "listed_division": pl.Utf8, "kind": pl.Utf8, "since": pl.Date, "source_id": pl.Int64, "source_label": pl.Utf8},
    )
    homes = _frame(
        HouseholdMembership.objects.filter(valid_to__isnull=True, person_id__in=listings.values("person_id")).values_list(
            "person_id", "household_id", "household__division_code"
        ),
        {"person_id": pl.Int64, "household_id": pl.Int64, "division_code": pl.Utf8},
    ).unique("person_id", keep="first")
    tiers = {k.value: t.value for k, t in LISTING_TIER.items()}
    reasons = {k.value: f"{LISTING_DEPARTMENT[k]}{k.label}名单" for k in ListingKind}
    return (
        rows.join(homes, on="person_id", how="left")
        .with_columns(
            pl.coalesce("division_code", "listed_division").alias("division_code"),
            pl.col("kind").replace_strict(tiers).alias("tier"),
            pl.lit(SourceKind.FEED.value).alias("source_kind"),
            pl.col("kind").replace_strict(reasons).alias("reason"),
        )
        .select(TARGET_SCHEMA.keys())
        .cast(TARGET_SCHEMA)
    )


def _highest_tier(frame: pl.DataFrame) -> pl.DataFrame:
    rank = pl.col("tier").replace_strict({t: r for t, r in TIER_RANK.items()}, return_dtype=pl.Int32)
    return frame.with_columns(rank.alias("rank")).sort(["person_id", "rank"]).unique("person_id", keep="first").drop("rank")


def compute_targets(month: dt.date, screening: dict[str, set[int]] | None, run_label: str) -> tuple[pl.DataFrame, dict]:
    enrolled = _enrolment_targets(month)
    recognised, counts = _recognition_targets(month, screening, run_label)
    listed = _listing_targets(DepartmentListing.objects.filter(listed_on__lte=clock.today()))
    both = pl.concat([enrolled, recognised, listed])
    return _highest_tier(both), counts


def current_register() -> pl.DataFrame:
    rows = RegisterEntry.objects.filter(ended_on__isnull=True).values_list("id", "person_id", "tier", "household_id", "division_code")
    return _frame(rows, CURRENT_SCHEMA)


def diff(targets: pl.DataFrame, current: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(new, moved, left): new persons; persons whose tier changed; persons no longer in any tier."""
    joined = targets.join(current, on="person_id", how="full", coalesce=True)
    new = joined.filter(pl.col("entry_id").is_null())
    moved = joined.filter(pl.col("entry_id").is_not_null() & pl.col("tier").is_not_null() & (pl.col("tier") != pl.col("old_tier")))
    left = joined.filter(pl.col("tier").is_null())
    return new, moved, left


def _end_entries(ids: list[int], day: dt.date) -> None:
    for start in range(0, len(ids), CHUNK):
        RegisterEntry.objects.filter(id__in=ids[start : start + CHUNK], ended_on__isnull=True).update(ended_on=day)


def apply_changes(
    actor: Actor,
    *,
    period: str,
    run: MonitoringRun | None,
    targets: pl.DataFrame,
    current: pl.DataFrame,
    today: dt.date,
    exit_reason: str | None = None,
    exit_source: tuple[str, str] | None = None,
) -> dict:
    """Write the differences between the computed register and the open rows (in bulk)."""
    new, moved, left = diff(targets, current)
    now = timezone.now()
    screened = run is not None and run.screening_run_id is not None
    enrolled_tier = pl.col("old_tier").is_in([Tier.DIBAO.value, Tier.TEKUN.value])
    feed_tier = pl.col("old_tier").is_in(list(FEED_TIERS))
    if exit_source is None:
        # 低保/特困 end with their enrolment; 边缘/刚性 with the screening (or the recognition's
        # term); a department's roster with the department's lifting
        exit_kind = (
            pl.when(enrolled_tier).then(pl.lit(SourceKind.ENROLMENT.value))
            .when(feed_tier).then(pl.lit(SourceKind.FEED.value))
            .otherwise(pl.lit(SourceKind.SCREENING.value if screened else SourceKind.RECOGNITION.value))
        )
        exit_label = (
            pl.when(enrolled_tier).then(pl.lit("救助保障记录"))
            .when(feed_tier).then(pl.lit("部门名单"))
            .otherwise(pl.lit(f"{run.screening_period} 筛查" if screened else "认定有效期"))
        )
        exit_text = (
            pl.when(enrolled_tier).then(pl.lit("动态监测：低保或特困保障已终止"))
            .when(feed_tier).then(pl.lit("动态监测：已从部门名单中解除"))
            .otherwise(pl.lit("动态监测：家庭经济状况已超出低收入认定标准，或认定已终止、到期"))
        )
    else:
        exit_kind, exit_label = pl.lit(exit_source[0]), pl.lit(exit_source[1])
        exit_text = pl.lit(exit_reason or "")
    name = actor_name_of(actor)
    ended = [*moved["entry_id"].to_list(), *left["entry_id"].to_list()]
    _end_entries(ended, today)
    opened = pl.concat([new, moved]).with_columns(
        # a new person keeps the source's date (first month paid, decision day); a move is today
        pl.when(pl.col("entry_id").is_null() & pl.col("since").is_not_null()).then(pl.col("since")).otherwise(pl.lit(today)).alias("since"),
        pl.lit(run.pk if run else None, pl.Int64).alias("run_id"),
    )
    if opened.height:
        bulk_insert(
            RegisterEntry,
            ["person_id", "household_id", "division_code", "tier", "since", "source_kind", "source_id", "source_label", "run_id"],
            opened.select("person_id", "household_id", "division_code", "tier", "since", "source_kind", "source_id", "source_label", "run_id"),
        )
    log = pl.concat(
        [
            new.select(
                "person_id", "household_id", "division_code",
                pl.lit("").alias("from_tier"), pl.col("tier").alias("to_tier"), "reason", "source_kind", "source_label",
            ),
            moved.select(
                "person_id", "household_id", "division_code",
                pl.col("old_tier").alias("from_tier"), pl.col("tier").alias("to_tier"), "reason", "source_kind", "source_label",
            ),
            left.select(
                "person_id", pl.col("old_household_id").alias("household_id"), pl.col("old_division_code").alias("division_code"),
                pl.col("old_tier").alias("from_tier"), pl.lit("").alias("to_tier"),
                exit_text.alias("reason"), exit_kind.alias("source_kind"), exit_label.alias("source_label"),
            ),
        ],
        how="vertical_relaxed",
    ).with_columns(
        pl.col("reason").fill_null("").str.slice(0, 200),
        pl.col("source_label").fill_null(""),
        pl.lit(period).alias("period"),
        pl.lit(run.pk if run else None, pl.Int64).alias("run_id"),
        pl.lit(name).alias("actor_name"),
        pl.lit(now, pl.Datetime("us", "UTC")).alias("changed_at"),
    )
    if log.height:
        bulk_insert(TierChange, log.columns, log)
    return {"new": new.height, "moved": moved.height, "left": left.height}


def _lock_register() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(RegisterEntry._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")


def _month_of(period: str | None) -> tuple[str, dt.date]:
    if not period:
        today = clock.today()
        return f"{today:%Y-%m}", today.replace(day=1)
    try:
        month = dt.date.fromisoformat(f"{period}-01")
    except ValueError:
        raise ValidationFailed({"period": "监测月份格式应为 YYYY-MM"}) from None
    if month > clock.today().replace(day=1):
        raise ValidationFailed({"period": "监测月份不能晚于本月"})
    return period, month


def do_run_monitoring(actor: Actor, *, period: str | None = None) -> MonitoringRun:
    """月度动态监测 (district): recompute the register for the month and write the changes."""
    actor.require(LowIncomePerm.RUN_LOW_INCOME_MONITORING)
    period, month = _month_of(period)
    started_at = timezone.now()
    started = time.perf_counter()
    screening_run = screening_selectors.latest_current_run(up_to_period=period)
    screening = None
    run_label = ""
    if screening_run is not None:
        found = screening_selectors.eligible_household_ids(screening_run, ("dibao", "low_income_edge", "rigid_spending_hardship"))
        screening = {program: set(ids) for program, ids in found.items()}
        run_label = f"{screening_run.period} 筛查（第{screening_run.pk}批）"
    read = time.perf_counter()
    targets, counts = compute_targets(month, screening, run_label)
    with transaction.atomic():
        run = MonitoringRun.objects.create(
            period=period,
            started_at=started_at,
            screening_run_id=screening_run.pk if screening_run else None,
            screening_period=screening_run.period if screening_run else "",
            started_by=actor_name_of(actor),
        )
        # the open rows are read inside the transaction, locked on PostgreSQL: two runs take turns
        _lock_register()
        current = current_register()
        changes = apply_changes(actor, period=period, run=run, targets=targets, current=current, today=clock.today())
        by_tier = targets.group_by("tier").len().sort("tier")
        counts = {
            **counts,
            **changes,
            "register": targets.height,
            "tiers": {tier: int(n) for tier, n in by_tier.iter_rows()},
            "timings": {"read": round(read - started, 3), "total": round(time.perf_counter() - started, 3)},
        }
        seconds = round(time.perf_counter() - started, 3)
        MonitoringRun.objects.filter(pk=run.pk).update(counts=counts, seconds=seconds, finished_at=timezone.now())
        run.counts, run.seconds = counts, seconds
        record_audit_event(
            actor,
            AuditAction.SYSTEM if actor.is_system else AuditAction.CREATE,
            object_type="lowincome_monitoring",
            object_id=run.pk,
            division_code=district_code(),
            summary=(
                f"{period} 低收入人口动态监测：名册{targets.height}人；新纳入{changes['new']}人、"
                f"类别变动{changes['moved']}人、退出{changes['left']}人"
            ),
            extra={"screening_run": run.screening_run_id, "counts": counts},
        )
    return run


# ----------------------------------------------------------------------------------------------
# A town's decision takes effect at once (not only at the next monthly pass)
# ----------------------------------------------------------------------------------------------


def _household_targets(recognition: Recognition) -> pl.DataFrame:
    members = _members_of(Recognition.objects.filter(pk=recognition.pk).values("household_id"))
    return members.with_columns(
        pl.lit(KIND_TIER[RecognitionKind(recognition.kind)].value).alias("tier"),
        pl.lit(recognition.decided_on, pl.Date).alias("since"),
        pl.lit(SourceKind.RECOGNITION.value).alias("source_kind"),
        pl.lit(recognition.pk, pl.Int64).alias("source_id"),
        pl.lit(f"认定决定 {recognition.number}").alias("source_label"),
        pl.lit("乡镇认定").alias("reason"),
    ).select(TARGET_SCHEMA.keys()).cast(TARGET_SCHEMA)


def enter_recognised_household(actor: Actor, recognition: Recognition) -> dict:
    """Members of a newly recognised household enter the register (or move into the tier when
    it is higher than the one they hold); members already in a higher tier stay."""
    return _enter(actor, _household_targets(recognition))


def _open_rows(**filters) -> pl.DataFrame:
    return _frame(
        RegisterEntry.objects.select_for_update().filter(ended_on__isnull=True, **filters)
        .values_list("id", "person_id", "tier", "household_id", "division_code"),
        CURRENT_SCHEMA,
    )


def _enter(actor: Actor, targets: pl.DataFrame) -> dict:
    """The targets' people enter (or move up into) their tier; those holding a tier as high or
    higher stay as they are."""
    current = _open_rows(person_id__in=targets["person_id"].to_list())
    rank = {t: r for t, r in TIER_RANK.items()}
    compared = current.join(targets.select("person_id", "tier"), on="person_id").filter(
        pl.col("old_tier").replace_strict(rank, return_dtype=pl.Int32) <= pl.col("tier").replace_strict(rank, return_dtype=pl.Int32)
    )
    keep = compared.select("person_id")
    targets = targets.filter(~pl.col("person_id").is_in(keep["person_id"].implode()))
    current = current.filter(~pl.col("person_id").is_in(keep["person_id"].implode()))
    return apply_changes(actor, period=f"{clock.today():%Y-%m}", run=None, targets=targets, current=current, today=clock.today())


def leave_recognised_household(actor: Actor, recognition: Recognition) -> dict:
    """An ended recognition: its members' rows that came from it end now."""
    current = _open_rows(household_id=recognition.household_id, tier=KIND_TIER[RecognitionKind(recognition.kind)])
    empty = pl.DataFrame(schema=TARGET_SCHEMA)
    return apply_changes(
        actor, period=f"{clock.today():%Y-%m}", run=None, targets=empty, current=current, today=clock.today(),
        exit_reason=f"终止认定：{recognition.end_reason}"[:200],
        exit_source=(SourceKind.RECOGNITION.value, f"认定决定 {recognition.number}"),
    )


# ----------------------------------------------------------------------------------------------
# A department's roster takes effect at once too
# ----------------------------------------------------------------------------------------------


def enter_listed_people(actor: Actor, listing_ids: list[int]) -> dict:
    """The people of new listings enter the register in the listing's tier unless they hold a
    higher one (one person on two rosters is registered in the higher tier)."""
    targets = _highest_tier(_listing_targets(DepartmentListing.objects.filter(pk__in=listing_ids)))
    return _enter(actor, targets)


def leave_listings(actor: Actor, kind: str, person_ids: list[int], source_label: str) -> dict:
    """Listings of one roster lifted (their ``ended_on`` already written): the register rows that
    came from that roster end now — or move to the tier of a roster the person is still on. In
    bulk: one read of the open rows, one of the remaining listings, one write of the changes."""
    kind = ListingKind(kind)
    current = _open_rows(person_id__in=person_ids, source_kind=SourceKind.FEED.value, tier=LISTING_TIER[kind].value)
    if not current.height:
        return {"new": 0, "moved": 0, "left": 0}
    remaining = DepartmentListing.objects.filter(
        person_id__in=current["person_id"].to_list(), ended_on__isnull=True, listed_on__lte=clock.today()
    )
    return apply_changes(
        actor, period=f"{clock.today():%Y-%m}", run=None, targets=_highest_tier(_listing_targets(remaining)),
        current=current, today=clock.today(),
        exit_reason=f"已从{LISTING_DEPARTMENT[kind]}{kind.label}名单中解除",
        exit_source=(SourceKind.FEED.value, source_label),
    )
