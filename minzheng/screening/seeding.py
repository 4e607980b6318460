"""Current enrolments for the synthetic district, with deliberate, recorded errors.

    seed_enrolments(period="2026-11", seed=7, error_rate=0.02) -> SeedReport

1. The whole district is evaluated in batch for ``period`` (as ``minzheng screen`` does).
2. Every eligible subject of every compared program gets an active enrolment (source
   「存量名册导入」) with exactly the rules' monthly amount — a roster that screening would
   find nothing wrong with.
3. Then, per program, about ``error_rate`` × (eligible subjects) of each kind of error is
   put in, and every one is recorded in ``SeededError``:

   * 疑似漏保 ``missed`` — an eligible subject's enrolment is left out;
   * 金额不符 ``amount_differs`` — an eligible subject is enrolled with a wrong amount
     (the right one ± 1 to 50 yuan);

   (a 低保 enrolment's right amount is the gap amount plus the members' 分类施保 add-ons, as
   in casework; 分类施保 has no enrolments of its own)
   * 疑似错保 ``ineligible`` — a living subject the rules find not eligible is enrolled
     (with the program's median amount);
   * 死亡仍在保 ``deceased_enrolled`` — for member programs, a person recorded as deceased
     is enrolled and is the payee; for 低保 (a household program), an eligible household is
     enrolled with the right amount but with a deceased former member as its payee (the
     late head still on the payment roll). Deceased people are no current household members,
     so the rules engine never evaluates them: "deceased" is a registry fact that screening
     reads beside the rules (``compare.py``).
   * 重复保障 ``double_enrolment`` — a 低保 household with a 特困 member is enrolled covering
     every member (the 特困 member counted twice); recorded per 特困-enrolled person, together
     with any other person the finished roster supports twice (e.g. a person wrongly
     enrolled in 特困 whose household's 低保 counts them) — found by ``compare.double_enrolments``
     over the roster written plus the enrolments that were already live.

   A 低保 enrolment covers the members the rules count: the household's members less its
   特困-eligible ones (programs/dibao.py: one person is not supported twice).

Subjects that already have a live (active or suspended) enrolment are left alone, so the
seeder can run on a database where casework has already enrolled some people.

Everything is written in bulk (``core.bulk``), in one transaction, and audited. Synthetic
data only: the seeder refuses to run twice for the same period.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.bulk import bulk_insert
from minzheng.assistance.selectors import current_enrolments_frame, live_enrolment_keys_frame
from minzheng.assistance.services import insert_roster_rows, roster_insertion
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.registry.facts import load_facts_frames, read_frame
from minzheng.registry.models import HouseholdMembership, Person
from minzheng.rules import Period, evaluate_batch_kept, load_parameters
from minzheng.screening.compare import ENROLLABLE, KEYS, double_enrolments, with_subjects
from minzheng.screening.models import SeededError

KINDS = ("missed", "amount_differs", "ineligible", "deceased_enrolled", "double_enrolment")
ADULT_AGE = 18  # the payee of a child's allowance is the head of the child's household


@dataclass
class SeedReport:
    period: str
    seed: int
    error_rate: float
    enrolments: int = 0  # rows written
    correct: int = 0  # of which exactly as the rules say
    errors: dict[str, int] = field(default_factory=dict)  # by kind
    errors_by_program: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped_existing: int = 0  # eligible subjects that already had a live enrolment
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _live_keys() -> pl.DataFrame:
    return live_enrolment_keys_frame()


def _deceased_people() -> pl.DataFrame:
    """Deceased people, with the household whose membership their death closed."""
    qn = connection.ops.quote_name
    sql = (
        f"SELECT p.id, p.division_code, MAX(m.household_id) FROM {qn(Person._meta.db_table)} p"
        f" LEFT JOIN {qn(HouseholdMembership._meta.db_table)} m ON m.person_id = p.id"
        " WHERE p.is_deceased = %s GROUP BY p.id, p.division_code"
    )
    return read_frame(sql, [True], {"person_id": pl.Int64, "division_code": pl.Utf8, "former_household_id": pl.Int64})


def _pick(rng: random.Random, frame: pl.DataFrame, n: int) -> pl.DataFrame:
    """n rows chosen uniformly (deterministic for a given rng state and frame order)."""
    if n <= 0 or frame.height == 0:
        return frame.head(0)
    chosen = sorted(rng.sample(range(frame.height), min(n, frame.height)))
    return frame[chosen]


def _payees(members: pl.DataFrame, period: Period) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(household → head payee, person → own payee if adult else the household head)."""
    heads = (
        members.sort("household_id", pl.col("relation") != "head", "member_id")
        .group_by("household_id", maintain_order=True)
        .first()
        .select("household_id", pl.col("member_id").cast(pl.Int64).alias("head_id"))
    )
    start = period.start
    adult_born_by = dt.date(start.year - ADULT_AGE, start.month, 1)
    persons = members.join(heads, on="household_id").select(
        pl.col("member_id").cast(pl.Int64).alias("person_id"),
        pl.when(pl.col("birth_date") <= adult_born_by)
        .then(pl.col("member_id").cast(pl.Int64))
        .otherwise(pl.col("head_id"))
        .alias("payee_id"),
    )
    return heads, persons


def seed_enrolments(
    *,
    period: str | Period,
    seed: int,
    error_rate: float = 0.02,
    programs: tuple[str, ...] = ENROLLABLE,
    actor: Actor | None = None,
) -> SeedReport:
    """Write the synthetic roster with its recorded errors (see the module docstring);
    ``programs`` limits it to some of the compared programs."""
    if not 0 <= error_rate <= 0.2:
        raise DomainError("差错比例应在0至0.2之间", field="error_rate")
    unknown = set(programs) - set(ENROLLABLE)
    if unknown or not programs:
        raise DomainError("救助项目应为：" + "、".join(ENROLLABLE), field="programs")
    started = time.perf_counter()
    period = Period.of(period)
    actor = actor or Actor.system("预置演示在保名册")
    if SeededError.objects.filter(period=str(period)).exists():
        raise DomainError(f"{period} 的演示在保名册已经生成过，不再重复生成", code="already_seeded")
    rng = random.Random(f"minzheng:screening-seed:{seed}:{period}")
    report = SeedReport(period=str(period), seed=seed, error_rate=error_rate)

    households, members = load_facts_frames(period=period)
    # Only the compared programs and the 低保 add-ons are read below: the rest is dropped chunk
    # by chunk (rules.evaluate_batch_kept), which keeps scale 10 within memory.
    batch = evaluate_batch_kept(
        households,
        members,
        period,
        parameters=load_parameters(),
        keep=lambda results: results.filter(
            pl.col("program").is_in(ENROLLABLE) | (pl.col("eligible") & (pl.col("program") == "dibao_addon"))
        ),
    )
    # A 低保 enrolment pays the gap amount plus the members' 分类施保 add-ons (compare.py).
    addons = (
        batch.results.filter(pl.col("eligible") & (pl.col("program") == "dibao_addon"))
        .group_by("household_id")
        .agg(pl.col("amount_fen").sum().alias("addon_fen"))
    )
    subjects = (
        with_subjects(batch.results.filter(pl.col("program").is_in(ENROLLABLE)), households)
        .join(addons, on="household_id", how="left")
        .with_columns(
            pl.when(pl.col("program") == "dibao")
            .then(pl.col("amount_fen") + pl.col("addon_fen").fill_null(0))
            .otherwise(pl.col("amount_fen"))
            .alias("amount_fen")
        )
        .drop("addon_fen")
    )
    live = _live_keys()
    free = subjects.join(live, on=KEYS, how="anti")
    report.skipped_existing = subjects.filter(pl.col("eligible")).height - free.filter(pl.col("eligible")).height

    heads, person_payees = _payees(members, period)
    sizes = members.group_by("household_id").agg(pl.len().cast(pl.Int64).alias("size"))
    # The members a 低保 enrolment covers: all but the 特困-eligible ones (at least one, so a
    # wrongly enrolled household of 特困 members only still names a head count).
    tekun_counts = (
        batch.results.filter((pl.col("program") == "tekun") & pl.col("eligible"))
        .group_by("household_id")
        .agg(pl.len().cast(pl.Int64).alias("tekun_members"))
    )
    sizes = sizes.join(tekun_counts, on="household_id", how="left").with_columns(
        pl.max_horizontal(pl.col("size") - pl.col("tekun_members").fill_null(0), pl.lit(1)).alias("dibao_size")
    )
    existing = current_enrolments_frame(ENROLLABLE, period.start)
    zones = households.select("household_id", "zone")
    deceased = _deceased_people().join(
        live.filter(pl.col("subject_kind") == "person").select(pl.col("subject_id").alias("person_id")).unique(),
        on="person_id",
        how="anti",
    )

    rows: list[pl.DataFrame] = []
    errors: list[pl.DataFrame] = []

    def enrolment_rows(frame: pl.DataFrame) -> pl.DataFrame:
        """frame: program, subject_kind, subject_id, household_id, person_id, division_code,
        amount_fen[, payee_id] → the enrolment columns (payee from the household if absent)."""
        frame = frame.join(zones, on="household_id", how="left").join(sizes, on="household_id", how="left")
        if "payee_id" not in frame.columns:
            frame = frame.join(heads, on="household_id", how="left").join(person_payees, on="person_id", how="left")
            frame = frame.with_columns(
                pl.when(pl.col("subject_kind") == "household")
                .then(pl.col("head_id"))
                .otherwise(pl.col("payee_id"))
                .alias("payee_id")
            )
        return frame.select(
            "program",
            "subject_kind",
            "subject_id",
            "household_id",
            pl.when(pl.col("subject_kind") == "person").then(pl.col("person_id")).alias("person_id"),
            pl.col("payee_id").cast(pl.Int64),
            "division_code",
            "zone",
            pl.when(pl.col("program") == "dibao")
            .then(pl.col("dibao_size"))
            .when(pl.col("subject_kind") == "household")
            .then(pl.col("size"))
            .otherwise(1)
            .cast(pl.Int64)
            .alias("people_covered"),
            pl.col("amount_fen").cast(pl.Int64),
            pl.lit(None, pl.Utf8).alias("error_kind"),
            (
                pl.col("expected_amount_fen")
                if "expected_amount_fen" in frame.columns
                else pl.lit(None, pl.Int64)
            ).alias("expected_amount_fen"),
        )

    def record(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
        return frame.with_columns(pl.lit(kind).alias("error_kind"))

    for program in (p for p in ENROLLABLE if p in programs):
        candidates = free.filter(pl.col("program") == program).sort("subject_id")
        eligible = candidates.filter(pl.col("eligible"))
        ineligible = candidates.filter(~pl.col("eligible"))
        n = max(1, round(error_rate * eligible.height)) if error_rate > 0 else 0
        if eligible.height < 3 * n + 1:  # too few to both keep correct cases and hide errors
            n = eligible.height // 4
        counts = dict.fromkeys(KINDS, 0)

        # 疑似漏保: left out (recorded, never enrolled)
        missed = _pick(rng, eligible, n)
        rest = eligible.join(missed.select("subject_id"), on="subject_id", how="anti")
        errors.append(
            missed.select(
                pl.lit("missed").alias("kind"),
                *KEYS,
                "division_code",
                pl.lit(None, pl.Int64).alias("enrolment_index"),
                pl.col("amount_fen").alias("expected_amount_fen"),
                pl.lit(None, pl.Int64).alias("actual_amount_fen"),
            )
        )
        counts["missed"] = missed.height

        # 金额不符: enrolled with a wrong amount
        wrong = _pick(rng, rest, n)
        rest = rest.join(wrong.select("subject_id"), on="subject_id", how="anti")
        deltas = []
        for amount in wrong["amount_fen"].to_list():
            delta = rng.choice([-1, 1]) * rng.randint(100, 5000)
            if amount + delta <= 0:
                delta = abs(delta)
            deltas.append(delta)
        wrong = wrong.with_columns(
            pl.col("amount_fen").alias("expected_amount_fen"),
            (pl.col("amount_fen") + pl.Series(deltas, dtype=pl.Int64)).alias("amount_fen"),
        )
        counts["amount_differs"] = wrong.height

        # 死亡仍在保
        if program == "dibao":
            with_dead = deceased.filter(pl.col("former_household_id").is_not_null()).group_by(
                "former_household_id"
            ).agg(pl.col("person_id").min().alias("dead_payee_id"))
            pool = rest.join(with_dead, left_on="household_id", right_on="former_household_id")
            dead = _pick(rng, pool.sort("subject_id"), n)
            rest = rest.join(dead.select("subject_id"), on="subject_id", how="anti")
            dead_rows = enrolment_rows(
                dead.with_columns(
                    pl.col("dead_payee_id").alias("payee_id"), pl.col("amount_fen").alias("expected_amount_fen")
                ).drop("dead_payee_id")
            )
        else:
            pool = deceased.sort("person_id")
            dead = _pick(rng, pool, n)
            dead_rows = dead.select(
                pl.lit(program).alias("program"),
                pl.lit("person").alias("subject_kind"),
                pl.col("person_id").alias("subject_id"),
                pl.col("former_household_id").alias("household_id"),
                "person_id",
                pl.col("person_id").alias("payee_id"),
                "division_code",
                pl.lit("rural").alias("zone"),  # replaced below from the former household
                pl.lit(1, pl.Int64).alias("people_covered"),
                pl.lit(_typical_amount(eligible), pl.Int64).alias("amount_fen"),
                pl.lit(None, pl.Utf8).alias("error_kind"),
                pl.lit(None, pl.Int64).alias("expected_amount_fen"),
            )
            dead_rows = dead_rows.join(
                zones.rename({"household_id": "_hh", "zone": "_zone"}), left_on="household_id", right_on="_hh", how="left"
            ).with_columns(pl.coalesce("_zone", "zone").alias("zone")).drop("_zone")
        counts["deceased_enrolled"] = dead_rows.height

        # 重复保障: a household with a 特困-eligible member enrolled in 低保 covering everyone —
        # an eligible household with the wrong head count, or (the roster the engine gave before
        # the rule) a household of 特困 members only, which is then also 疑似错保.
        if program == "dibao":
            with_tekun = sizes.filter(pl.col("tekun_members") > 0)
            shared = rest.join(with_tekun, on="household_id", how="semi")
            twice = _pick(rng, shared.sort("subject_id"), n)
            rest = rest.join(twice.select("subject_id"), on="subject_id", how="anti")
            only_tekun = ineligible.join(with_tekun, on="household_id", how="semi")
            twice_ineligible = _pick(rng, only_tekun.sort("subject_id"), n - twice.height).with_columns(
                pl.lit(_typical_amount(eligible), pl.Int64).alias("amount_fen")
            )
            ineligible = ineligible.join(twice_ineligible.select("subject_id"), on="subject_id", how="anti")
            counts["ineligible"] += twice_ineligible.height
            for frame, kind in ((twice, None), (twice_ineligible, "ineligible")):
                frame = (
                    enrolment_rows(frame)
                    .drop("people_covered")
                    .join(sizes.select("household_id", pl.col("size").alias("people_covered")), on="household_id")
                )
                rows.append(record(frame, kind) if kind else frame)
            report.correct += twice.height  # the enrolment is right but for its head count

        # 疑似错保: a living subject the rules find not eligible
        wrongly_in = _pick(rng, ineligible, n).with_columns(
            pl.lit(_typical_amount(eligible), pl.Int64).alias("amount_fen")
        )
        counts["ineligible"] += wrongly_in.height

        rows.append(enrolment_rows(rest))
        rows.append(record(enrolment_rows(wrong), "amount_differs"))
        rows.append(record(dead_rows, "deceased_enrolled"))
        rows.append(record(enrolment_rows(wrongly_in), "ineligible"))
        report.correct += rest.height
        report.errors_by_program[program] = counts

    enrolled = pl.concat([r.select(rows[0].columns) for r in rows], how="vertical_relaxed")
    missed_errors = pl.concat(errors, how="vertical_relaxed")

    with transaction.atomic(), roster_insertion() as first_id:
        enrolled = enrolled.with_row_index("row").with_columns((pl.col("row").cast(pl.Int64) + first_id).alias("id"))
        columns = [
            "id",
            "program",
            "subject_kind",
            "subject_id",
            "household_id",
            "person_id",
            "payee_id",
            "division_code",
            "zone",
            "people_covered",
            "amount_fen",
        ]
        table = enrolled.select(
            *columns,
            pl.lit(period.start).alias("start_month"),
            pl.lit("active").alias("status"),
            pl.lit(period.start).alias("status_changed_on"),
            pl.lit("roster").alias("source"),
            pl.lit("合成演示数据（含预置差错）").alias("status_reason"),
        )
        insert_roster_rows(table)

        seeded = enrolled.filter(pl.col("error_kind").is_not_null()).select(
            pl.col("error_kind").alias("kind"),
            *KEYS,
            "division_code",
            pl.col("id").alias("enrolment_id"),
            "expected_amount_fen",
            pl.col("amount_fen").alias("actual_amount_fen"),
        )
        # 重复保障, per person, over the finished roster (what screening will compare).
        roster = pl.concat(
            [
                existing.select("enrolment_id", "program", "subject_kind", "subject_id", "status", "people_covered", "enrolment_division_code"),
                enrolled.select(
                    pl.col("id").alias("enrolment_id"),
                    "program",
                    "subject_kind",
                    "subject_id",
                    pl.lit("active").alias("status"),
                    "people_covered",
                    pl.col("division_code").alias("enrolment_division_code"),
                ),
            ],
            how="vertical_relaxed",
        )
        twice_errors = double_enrolments(roster, members).select(
            "kind", *KEYS, "division_code", "enrolment_id", "expected_amount_fen", "actual_amount_fen"
        )
        report.errors_by_program.setdefault("dibao", {})["double_enrolment"] = twice_errors.height
        missed_rows = missed_errors.select(
            "kind", *KEYS, "division_code", pl.lit(None, pl.Int64).alias("enrolment_id"), "expected_amount_fen", "actual_amount_fen"
        )
        all_errors = pl.concat([missed_rows, seeded, twice_errors], how="vertical_relaxed").with_columns(
            pl.lit(str(period)).alias("period"), pl.lit(seed, pl.Int64).alias("seed")
        )
        bulk_insert(SeededError, all_errors.columns, all_errors)

        report.enrolments = enrolled.height
        report.errors = {kind: int(all_errors.filter(pl.col("kind") == kind).height) for kind in KINDS}
        report.seconds = round(time.perf_counter() - started, 3)
        record_audit_event(
            actor,
            AuditAction.SYSTEM,
            object_type="enrolment",
            division_code=district_code(),
            summary=(
                f"{period} 生成合成在保名册 {report.enrolments} 条（其中预置差错 {sum(report.errors.values())} 处）"
            ),
            extra={"report": report.as_dict(), "reason": actor.reason},
        )
    return report


def _typical_amount(eligible: pl.DataFrame) -> int:
    """The median amount of the program's eligible subjects (10 yuan when there are none)."""
    if eligible.height == 0:
        return 1000
    return int(eligible["amount_fen"].median())
