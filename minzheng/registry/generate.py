"""The synthetic district: a deterministic population calibrated to Fuling's 2020 baseline.

`generate_district(scale=1.0, seed=S)` writes about 1,148,300 living people in about
450,000 households over the 433 villages and communities, plus ~0.7 % deceased people whose
memberships were closed by death. Everything is synthetic; no real person is described.

Calibration (shared/plan/baseline_2020.csv and the plan's text):
  户籍人口 1,148,300; 60+ 232,400 (20.24 %); 70+ 99,006; 80+ 36,070; 90+ 4,168;
  about 2.55 people per household; disability ≈ 6.3 % of people.
Ages are as of a fixed reference date (default 2025-12-31, `DEFAULT_REFERENCE_DATE`), so the
same seed gives the same people whatever day the command runs.

How it works (architecture §8, the batch path):
  1. villages get a target population (街道 communities largest, 镇/乡 villages smallest);
  2. households are drawn per zone (urban/rural) from household *templates* — single elder,
     elderly couple, couple with children, three generations, skipped generation … — whose
     members' ages are tied to each other (a child is 22–34 years younger than its mother);
  3. every person attribute (disability, illness, work capacity, incomes, phone …) is drawn
     vectorised with polars from seeded uniform streams, with the rates calibrated to the
     targets at run time where the target is a share of the whole population;
  4. a minority of households is made poor so that ≈ 2.5 % of people live below the dibao
     standard (later screening needs both the poor and the near-poor to exist);
  5. ID numbers (GB 11643 check digit, birth date, sex parity) are built as strings,
     encrypted row by row (SM4-GCM nonces are random, so ciphertext differs between runs; the
     plaintexts do not), and everything is written with `minzheng.core.bulk`.

Determinism: the random numbers come from the standard library's Mersenne Twister, one
named sub-stream per purpose (`random.Random("minzheng:<seed>:<purpose>")`), turned into
polars columns in bulk. Same scale, seed and reference date → the same rows, in the same
order, with the same primary keys on an empty registry.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import polars as pl
import pyarrow as pa
from django.db import connection, transaction

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.bulk import bulk_insert, bulk_load_tables, max_id, reset_sequences, sqlite_fast_load
from minzheng.core.ages import age_expr
from minzheng.core.crypto import FieldCipher
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.core.pinyin import SURNAME_READINGS, name_pinyin, plain_syllables
from minzheng.divisions.directory import get_directory
from minzheng.registry import names as name_data
from minzheng.registry.models import Household, HouseholdMembership, Person

DEFAULT_REFERENCE_DATE = dt.date(2025, 12, 31)

# --- calibration targets (shared/plan/baseline_2020.csv) --------------------------------------
BASELINE_POPULATION = 1_148_300
BASELINE_HOUSEHOLDS = 450_000
BASELINE_AGED = {60: 232_400, 70: 99_006, 80: 36_070, 90: 4_168}
DISABILITY_SHARE = 0.063
DECEASED_SHARE = 0.007  # of the living population; their memberships are closed by death
OUTSIDE_BORN_SHARE = 0.03  # ID numbers with an address code other than Fuling's 500102
# Only to calibrate the share of poor people; the rules app owns the real dibao parameters.
DIBAO_STANDARD_FEN = {"urban": 75_000, "rural": 61_000}
POOR_PEOPLE_SHARE = 0.025
ORPHAN_SHARE_OF_CHILDREN = 0.0006
DE_FACTO_UNSUPPORTED_SHARE_OF_CHILDREN = 0.001

DAYS_PER_YEAR = 365.2425
HUKOU_REGISTRATION_START = dt.date(1958, 1, 9)  # 户口登记条例: no household is older

Progress = Callable[[str, float], None]

# Drop the registry's secondary indexes during the load and rebuild them after (measured in
# docs/performance.md, "Synthetic district generation").
DROP_INDEXES_DURING_LOAD = True

# Above one district's worth the population is built and written in batches of at most this
# scale, each a district's draw on the same villages: peak memory is about 2 GiB per unit of
# batch scale, whatever the scale.
BATCH_SCALE = 1.0
# The ID numbers' sequence code allows 500 people per (address code, birth date, sex); nearly
# everyone carries the district's one address code. At scale 10 the largest group was 446
# (measured on the generated registry), so scale 10 is the ceiling. A municipality would
# spread people over its 38 districts' codes instead (docs/scale-out.md).
MAX_SCALE = 10


# --- public result -------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerationSummary:
    scale: float
    seed: int
    reference_date: str
    persons: int  # rows written, living and deceased
    living: int
    deceased: int
    households: int
    memberships: int
    aged_60_plus: int
    aged_70_plus: int
    aged_80_plus: int
    aged_90_plus: int
    disabled: int
    disabled_by_grade: dict[str, int] = field(default_factory=dict)
    below_dibao_standard: int = 0  # living people in households under the calibration standard
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    def describe_zh(self) -> str:
        grades = "，".join(f"{g}级 {n:,}" for g, n in self.disabled_by_grade.items())
        share = (lambda n: f"{n / self.living:.2%}") if self.living else (lambda n: "—")
        return "\n".join(
            [
                f"合成人口已生成（规模 {self.scale}，种子 {self.seed}，年龄计算基准日 {self.reference_date}）：",
                f"  人员 {self.persons:,} 人，其中在世 {self.living:,} 人、已死亡 {self.deceased:,} 人",
                f"  家庭 {self.households:,} 户，户均 {self.living / max(self.households, 1):.2f} 人；"
                f"家庭成员关系 {self.memberships:,} 条",
                f"  60岁以上 {self.aged_60_plus:,} 人（{share(self.aged_60_plus)}），70岁以上 {self.aged_70_plus:,}，"
                f"80岁以上 {self.aged_80_plus:,}，90岁以上 {self.aged_90_plus:,}",
                f"  持证残疾人 {self.disabled:,} 人（{share(self.disabled)}）：{grades}",
                f"  人均收入低于低保标准的人员 {self.below_dibao_standard:,} 人（{share(self.below_dibao_standard)}）",
                f"  用时 {self.seconds:.1f} 秒",
            ]
        )


class RegistryNotEmpty(DomainError):
    code = "registry_not_empty"


@dataclass(frozen=True, slots=True)
class VillageSpec:
    code: str
    name: str
    town_name: str
    town_kind: str  # 街道 / 镇 / 乡
    kind: str  # 社区 / 村
    zone: str  # urban / rural


def villages_from_directory() -> list[VillageSpec]:
    directory = get_directory()
    out = []
    for v in directory.villages(district_code()):
        town = directory.town_of(v.code)
        out.append(
            VillageSpec(
                code=v.code,
                name=v.name,
                town_name=town.name if town else "",
                town_kind=town.kind if town else "",
                kind=v.kind,
                zone=v.zone or ("urban" if v.kind == "社区" else "rural"),
            )
        )
    return out


# --- random streams ------------------------------------------------------------------------


class _Rng:
    """Named, independent uniform streams: adding a draw for one purpose shifts no other."""

    def __init__(self, seed: int, batch: int = 0):
        self.seed = int(seed)
        # batch 0 keeps the streams of a one-batch district; later batches draw their own
        self.prefix = f"minzheng:{self.seed}:" if batch == 0 else f"minzheng:{self.seed}:batch{int(batch)}:"

    def uniform(self, purpose: str, n: int) -> pl.Series:
        """n floats in [0, 1), 53-bit, from the stream `purpose`."""
        if n == 0:
            return pl.Series(purpose, [], dtype=pl.Float64)
        raw = random.Random(self.prefix + purpose).randbytes(8 * n)
        words = pl.Series(purpose, pa.Array.from_buffers(pa.uint64(), n, [None, pa.py_buffer(raw)]))
        return ((words // 2048).cast(pl.Float64) * 2.0**-53).alias(purpose)

    def normal(self, purpose: str, n: int) -> pl.Series:
        """Standard normal by Box–Muller (polars has no sampler of its own)."""
        u1 = 1.0 - self.uniform(purpose + ":1", n)  # (0, 1]: log is finite
        u2 = self.uniform(purpose + ":2", n)
        return ((-2.0 * u1.log()).sqrt() * (2.0 * math.pi * u2).cos()).alias(purpose)

    def lognormal(self, purpose: str, n: int, median: float, sigma: float) -> pl.Series:
        return (median * (sigma * self.normal(purpose, n)).exp()).alias(purpose)

    def choice(self, purpose: str, n: int, weights: Sequence[float]) -> pl.Series:
        """Index into `weights` for each of n draws."""
        total = float(sum(weights))
        cum, acc = [], 0.0
        for w in weights[:-1]:
            acc += w / total
            cum.append(acc)
        u = self.uniform(purpose, n)
        return pl.Series(cum, dtype=pl.Float64).search_sorted(u, side="right").cast(pl.Int64).alias(purpose)


def _where(cond, then, otherwise) -> pl.Series:
    """Elementwise cond ? then : otherwise over Series/scalars."""
    return pl.select(pl.when(_lit(cond)).then(_lit(then)).otherwise(_lit(otherwise))).to_series()


def _lit(x):
    return pl.lit(x) if isinstance(x, pl.Series) or not isinstance(x, pl.Expr) else x


# --- ages ----------------------------------------------------------------------------------

# Band shares among people aged 60+: 60–69, 70–79, 80–89, 90–99, 100–105 (baseline 2020;
# centenarians ≈ 1 per 10,000 people as in the 2020 census). Within a band the density
# falls linearly to 3/7 of its start, as mortality does.
_ELDER_BANDS = ((60.0, 10.0, 0.583), (70.0, 10.0, 0.228), (80.0, 10.0, 0.173), (90.0, 10.0, 0.0215), (100.0, 6.0, 0.0006))


def _elder_age(rng: _Rng, purpose: str, n: int) -> pl.Series:
    band = rng.choice(purpose + ":band", n, [b[2] for b in _ELDER_BANDS])
    start = pl.Series([b[0] for b in _ELDER_BANDS]).gather(band)
    width = pl.Series([b[1] for b in _ELDER_BANDS]).gather(band)
    u = rng.uniform(purpose + ":pos", n)
    # inverse CDF of the density 1.4 - 0.8x on [0, 1]
    x = (1.4 - (1.96 - 1.6 * u).sqrt()) / 0.8
    return (start + width * x).alias(purpose)


# --- household templates -------------------------------------------------------------------
# Slots of a household, in member order. a_<slot> = age in years (null: slot empty),
# m_<slot> = male (null: drawn per person). Slots starting with "d" are deceased members.
SLOTS: tuple[tuple[str, str], ...] = (
    ("head", "head"),
    ("sp", "spouse"),
    ("p1", "parent"),
    ("p2", "parent"),
    ("c1", "child"),
    ("c2", "child"),
    ("c3", "child"),
    ("cil", "child_in_law"),
    ("g1", "grandchild"),
    ("g2", "grandchild"),
    ("dsp", "spouse"),
    ("dc", "child"),
    ("dcil", "child_in_law"),
)
LIVING_SLOTS = tuple(s for s, _ in SLOTS if not s.startswith("d"))

T_SINGLE_ELDER, T_ELDER_COUPLE, T_SINGLE_ADULT, T_EMPTY_NEST, T_YOUNG_COUPLE = 1, 2, 3, 4, 5
T_COUPLE_1, T_COUPLE_2, T_SINGLE_PARENT, T_THREE_GEN, T_ELDER_THREE_GEN = 6, 7, 8, 9, 10
T_SKIPPED_GEN, T_ADULT_CHILDREN = 11, 12

# Household shares by zone. Rural Fuling has more elderly-only, three-generation and
# skipped-generation households (working-age people migrate but keep their hukou at home);
# urban communities more singles and nuclear families. Tuned so that the whole district
# comes out at ≈ 2.55 people per household and 20.2 % aged 60+.
TEMPLATE_MIX: dict[str, dict[int, float]] = {
    "urban": {
        T_SINGLE_ELDER: 0.100, T_ELDER_COUPLE: 0.120, T_SINGLE_ADULT: 0.135, T_EMPTY_NEST: 0.095,
        T_YOUNG_COUPLE: 0.055, T_COUPLE_1: 0.200, T_COUPLE_2: 0.065, T_SINGLE_PARENT: 0.040,
        T_THREE_GEN: 0.045, T_ELDER_THREE_GEN: 0.050, T_SKIPPED_GEN: 0.005, T_ADULT_CHILDREN: 0.090,
    },
    "rural": {
        T_SINGLE_ELDER: 0.110, T_ELDER_COUPLE: 0.140, T_SINGLE_ADULT: 0.125, T_EMPTY_NEST: 0.085,
        T_YOUNG_COUPLE: 0.025, T_COUPLE_1: 0.135, T_COUPLE_2: 0.095, T_SINGLE_PARENT: 0.030,
        T_THREE_GEN: 0.060, T_ELDER_THREE_GEN: 0.100, T_SKIPPED_GEN: 0.020, T_ADULT_CHILDREN: 0.075,
    },
}


def _template_columns(rng: _Rng, tpl: int, n: int, tag: str) -> dict[str, pl.Series]:
    """Ages and sexes of the members of n households of one template."""
    U = lambda name: rng.uniform(f"{tag}:t{tpl}:{name}", n)  # noqa: E731
    cols: dict[str, pl.Series] = {}

    def couple(husband: pl.Series, wife: pl.Series, p_male_head: float) -> None:
        male_head = U("head_male") < p_male_head
        cols["a_head"] = _where(male_head, husband, wife)
        cols["a_sp"] = _where(male_head, wife, husband)
        cols["m_head"] = male_head
        cols["m_sp"] = ~male_head

    def at_least(age: pl.Series, low: float, name: str) -> pl.Series:
        # spread, not clip: a clip would pile thousands onto one birth date
        return _where(age < low, low + 3.0 * U(name), age)

    def younger_sibling(older: pl.Series, name: str) -> pl.Series:
        # 1.5–7 years younger; a sibling that would be unborn is dropped (null)
        age = older - (1.5 + 5.5 * U(name))
        return _where(age >= 0.1, age, None)

    if tpl == T_SINGLE_ELDER:
        cols["a_head"] = _elder_age(rng, f"{tag}:t{tpl}:age", n)
        cols["m_head"] = U("male") < 0.38  # widows outnumber widowers
    elif tpl == T_ELDER_COUPLE:
        c = _elder_age(rng, f"{tag}:t{tpl}:age", n)
        gap = 6.0 * U("gap") - 1.0
        couple(c + gap / 2, c - gap / 2, 0.85)
    elif tpl == T_SINGLE_ADULT:
        cols["a_head"] = 20.0 + 40.0 * U("age").pow(0.7)
        cols["m_head"] = U("male") < 0.62  # rural bachelors
    elif tpl == T_EMPTY_NEST:
        h = 42.0 + 17.9 * U("age")
        couple(h, h - (6.0 * U("gap") - 1.0), 0.80)
    elif tpl == T_YOUNG_COUPLE:
        h = 22.0 + 12.0 * U("age")
        couple(h, at_least(h - (5.0 * U("gap") - 1.0), 20.0, "wife_min"), 0.75)
    elif tpl in (T_COUPLE_1, T_COUPLE_2, T_THREE_GEN, T_ADULT_CHILDREN):
        if tpl == T_COUPLE_1:
            c1 = 22.0 * U("c1")
        elif tpl == T_COUPLE_2:
            c1 = 3.0 + 19.0 * U("c1")
        elif tpl == T_THREE_GEN:
            c1 = 18.0 * U("c1")
        else:
            c1 = 18.0 + 12.0 * U("c1")
        mother = c1 + 22.0 + 11.0 * U("mother")
        father = mother + (6.0 * U("gap") - 1.0)
        couple(father, mother, 0.82)
        cols["a_c1"] = c1
        if tpl == T_COUPLE_2:
            cols["a_c2"] = younger_sibling(c1, "c2")
            cols["a_c3"] = _where(U("third") < 0.12, younger_sibling(cols["a_c2"], "c3"), None)
        elif tpl == T_THREE_GEN:
            cols["a_c2"] = _where(U("second") < 0.45, younger_sibling(c1, "c2"), None)
        elif tpl == T_ADULT_CHILDREN:
            c2 = younger_sibling(c1, "c2")
            cols["a_c2"] = _where((U("second") < 0.25) & (c2 >= 16.0), c2, None)
        if tpl == T_THREE_GEN:
            # the head's parents (or parents-in-law) moved in; one of them is often widowed
            grandfather = cols["a_head"] + 22.0 + 10.0 * U("gf")
            grandmother = grandfather - (6.0 * U("gm") - 1.0)
            both = U("both") < 0.42
            father_alive = U("which") < 0.35
            cols["a_p1"] = _where(both | father_alive, grandfather, None)
            cols["a_p2"] = _where(both | ~father_alive, grandmother, None)
            cols["m_p1"] = pl.Series([True] * n)
            cols["m_p2"] = pl.Series([False] * n)
    elif tpl == T_SINGLE_PARENT:
        c1 = 2.0 + 18.0 * U("c1")
        cols["a_c1"] = c1
        cols["a_c2"] = _where(U("second") < 0.35, younger_sibling(c1, "c2"), None)
        cols["a_head"] = c1 + 23.0 + 12.0 * U("age")
        cols["m_head"] = U("male") < 0.30
    elif tpl == T_ELDER_THREE_GEN:
        h = 52.0 + 32.0 * U("age").pow(1.3)
        couple(h, h - (6.0 * U("gap") - 1.0), 0.88)
        alone = U("widowed") < 0.25  # the old head lives with the young family, spouse gone
        cols["a_sp"] = _where(alone, None, cols["a_sp"])
        older_parent = pl.select(pl.max_horizontal(pl.lit(cols["a_head"]), pl.lit(cols["a_sp"]))).to_series()
        son = at_least(older_parent - (23.0 + 10.0 * U("son")), 18.0, "son_min")
        cols["a_c1"] = son
        cols["m_c1"] = U("son_male") < 0.80  # else a daughter whose husband moved in (上门)
        cols["a_cil"] = _where(U("married") < 0.88, at_least(son - (5.0 * U("cil") - 1.0), 19.0, "cil_min"), None)
        g1 = son - (21.0 + 9.0 * U("g1"))
        has_g = (U("has_g") < 0.88) & (g1 >= 0.1)
        cols["a_g1"] = _where(has_g, g1, None)
        cols["a_g2"] = _where(has_g & (U("g2n") < 0.40), younger_sibling(g1, "g2"), None)
    elif tpl == T_SKIPPED_GEN:
        c = 55.0 + 27.0 * U("age")
        gap = 6.0 * U("gap") - 1.0
        couple(c + gap / 2, c - gap / 2, 0.85)
        alone = U("alone") < 0.45
        cols["a_sp"] = _where(alone, None, cols["a_sp"])
        # a grandparent living alone with grandchildren is more often the grandmother
        cols["m_head"] = _where(alone, U("alone_male") < 0.4, cols["m_head"])
        g1 = 1.0 + 16.9 * U("g1")
        cols["a_g1"] = g1
        cols["a_g2"] = _where(U("g2n") < 0.35, younger_sibling(g1, "g2"), None)
    else:  # pragma: no cover
        raise ValueError(tpl)
    return cols


def _draw_households(rng: _Rng, zone: str, n: int) -> pl.DataFrame:
    mix = TEMPLATE_MIX[zone]
    templates = list(mix)
    tpl = pl.Series("tpl", templates).gather(rng.choice(f"{zone}:template", n, list(mix.values())))
    base = pl.DataFrame({"pos": pl.int_range(0, n, eager=True), "tpl": tpl})
    parts = []
    for t in templates:
        sub = base.filter(pl.col("tpl") == t)
        cols = _template_columns(rng, t, sub.height, zone)
        parts.append(sub.with_columns(v.alias(k) for k, v in cols.items()))
    frame = pl.concat(parts, how="diagonal_relaxed").sort("pos")
    missing = []
    for slot, _ in SLOTS:
        if f"a_{slot}" not in frame.columns:
            missing.append(pl.lit(None, dtype=pl.Float64).alias(f"a_{slot}"))
        if f"m_{slot}" not in frame.columns:
            missing.append(pl.lit(None, dtype=pl.Boolean).alias(f"m_{slot}"))
    frame = frame.with_columns(missing).with_columns(pl.lit(zone).alias("zone"))
    return frame.with_columns(
        sum((pl.col(f"a_{s}").is_not_null().cast(pl.Int32) for s in LIVING_SLOTS), pl.lit(0, pl.Int32)).alias("size")
    )


def _village_targets(villages: Sequence[VillageSpec], total: int, rng: _Rng) -> list[int]:
    """People per village. Weights: 街道 社区 3.0, 街道 村 1.5, 镇/乡 社区 2.0, 镇/乡 村 1.2,
    times lognormal noise (σ 0.3); rounded by largest remainder so they sum to `total`."""
    noise = rng.lognormal("village:noise", len(villages), 1.0, 0.3).to_list()
    weights = []
    for v, e in zip(villages, noise, strict=True):
        sub = v.town_kind == "街道"
        base = (3.0 if v.kind == "社区" else 1.5) if sub else (2.0 if v.kind == "社区" else 1.2)
        weights.append(base * e)
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _assign_villages(households: pl.DataFrame, villages: Sequence[VillageSpec], targets: Sequence[int]) -> pl.DataFrame:
    """Fill villages in code order from a stream of households until each reaches its
    cumulative target; every village gets at least one household. Extra households drop."""
    cum = households["size"].cum_sum().to_list()
    assigned = [-1] * len(cum)
    p = 0
    goal = 0
    for vi, t in enumerate(targets):
        goal += t
        if p >= len(cum):
            raise RuntimeError("household stream exhausted")  # pragma: no cover - we overdraw
        q = max(p, bisect.bisect_left(cum, goal, lo=p))
        q = min(q, len(cum) - 1)
        assigned[p : q + 1] = [vi] * (q + 1 - p)
        p = q + 1
    out = households.with_columns(pl.Series("village_idx", assigned, dtype=pl.Int32))
    return out.filter(pl.col("village_idx") >= 0)


# --- the population, as plain columns ------------------------------------------------------


@dataclass
class Population:
    """Plaintext frames, before encryption and before primary keys are fixed."""

    households: pl.DataFrame  # one row per household, column hh = 0..H-1 in write order
    persons: pl.DataFrame  # one row per person, column pidx = 0..P-1 in write order
    reference_date: dt.date
    # people per (ID address code, birth date, sex) so far, for the next batch's ID numbers
    id_sequences_taken: pl.DataFrame | None = None


def _rank_pick(rng: _Rng, purpose: str, eligible: pl.Series, k: int) -> pl.Series:
    """Exactly min(k, eligible) rows chosen uniformly among the eligible ones."""
    u = rng.uniform(purpose, eligible.len())
    key = _where(eligible, u, 2.0)
    rank = key.rank("ordinal")
    return eligible & (rank <= k)


def build_population(
    villages: Sequence[VillageSpec],
    *,
    scale: float,
    seed: int,
    reference_date: dt.date = DEFAULT_REFERENCE_DATE,
    progress: Progress | None = None,
    batch: int = 0,
    id_sequences_taken: pl.DataFrame | None = None,
) -> Population:
    """Pure: no database. Same arguments → the same frames. `batch` > 0 draws another
    district's worth on the same villages (its own random streams); `id_sequences_taken`
    (from the previous batch's Population) keeps ID numbers unique across batches."""
    report = progress or (lambda message, fraction: None)
    rng = _Rng(seed, batch)
    living_target = max(len(villages), round(BASELINE_POPULATION * scale))
    targets = _village_targets(villages, living_target, rng)

    report("生成家庭结构", 0.02)
    frames = []
    for zone in ("urban", "rural"):
        idx = [i for i, v in enumerate(villages) if v.zone == zone]
        if not idx:
            continue
        zone_people = sum(targets[i] for i in idx)
        drawn = _draw_households(rng, zone, int(zone_people / 2.1) + len(idx) + 64)
        placed = _assign_villages(drawn, [villages[i] for i in idx], [targets[i] for i in idx])
        frames.append(placed.with_columns(pl.Series(idx, dtype=pl.Int32).gather(placed["village_idx"]).alias("village_idx")))
    hh = pl.concat(frames, how="vertical_relaxed")
    vcodes = pl.Series([v.code for v in villages])
    hh = (
        hh.with_columns(vcodes.gather(hh["village_idx"]).alias("division_code"))
        .sort(["division_code", "pos"])
        .with_columns(pl.int_range(0, pl.len(), dtype=pl.Int64).alias("hh"))
        .drop("pos")
    )
    H = hh.height
    living = int(hh["size"].sum())

    # Orphans and de-facto unsupported children live with grandparents; an orphan's parents
    # are deceased members of that household. Widowed elders living alone may have a
    # deceased spouse on file. Counts are fixed (ranked picks), not Bernoulli, so that even
    # a small district has a few of each.
    children_est = living * 0.17
    n_orphan_hh = max(1, round(children_est * ORPHAN_SHARE_OF_CHILDREN / 1.3))
    n_defacto_hh = max(1, round(children_est * DE_FACTO_UNSUPPORTED_SHARE_OF_CHILDREN / 1.3))
    skipped = ((hh["tpl"] == T_SKIPPED_GEN) & (hh["a_g1"] < 17.0)).fill_null(False)
    orphan_hh = _rank_pick(rng, "orphan:hh", skipped, n_orphan_hh)
    defacto_hh = _rank_pick(rng, "defacto:hh", skipped & ~orphan_hh, n_defacto_hh)
    n_dead_target = round(living * DECEASED_SHARE)
    n_widow = max(0, n_dead_target - 2 * int(orphan_hh.sum()))
    widowed = _rank_pick(rng, "widowed:hh", hh["tpl"] == T_SINGLE_ELDER, n_widow)

    u = lambda name: rng.uniform(name, H)  # noqa: E731
    g1 = hh["a_g1"].fill_null(1.0)
    dc_age = g1 + 23.0 + 10.0 * u("dead:dc:age")
    hh = hh.with_columns(
        pl.Series("orphan_hh", orphan_hh),
        pl.Series("defacto_hh", defacto_hh),
        # widowed: the late spouse, of an age a spouse would have (the husband a little older)
        _where(widowed, hh["a_head"] + _where(hh["m_head"], -1.0, 2.0) + 3.0 * u("dead:dsp:age") - 1.0, None).alias(
            "a_dsp"
        ),
        _where(widowed, ~hh["m_head"], None).alias("m_dsp"),
        _where(widowed, 0.05 + 8.0 * u("dead:dsp:when"), None).alias("ago_dsp"),
        _where(orphan_hh, dc_age, None).alias("a_dc"),
        _where(orphan_hh, u("dead:dc:male") < 0.7, None).alias("m_dc"),
        _where(orphan_hh, dc_age - (5.0 * u("dead:dcil:age") - 1.0), None).alias("a_dcil"),
        _where(orphan_hh, ~(u("dead:dc:male") < 0.7), None).alias("m_dcil"),
        # both parents died after the (older) grandchild was born
        _where(orphan_hh, g1 * (0.05 + 0.9 * u("dead:dc:when")), None).alias("ago_dc"),
        _where(orphan_hh, g1 * (0.05 + 0.9 * u("dead:dcil:when")), None).alias("ago_dcil"),
        # years since the household was registered: when its head was 20–30, never in the future
        (pl.col("a_head") - pl.min_horizontal(pl.col("a_head") - 0.02, 20.0 + 10.0 * u("est:age"))).alias("est_ago"),
        rng.choice("hukou:hh", H, [1.0, 1.0, 1.0]).alias("hukou_draw"),
        rng.choice("surname:family", H, [w for _, w in name_data.SURNAMES]).alias("family_surname"),
    )
    report("生成人员", 0.10)
    persons = _explode_persons(hh, reference_date)
    persons = _person_attributes(persons, hh, rng, reference_date)
    hh = _household_economics(hh, persons, rng)
    persons, hh = _poverty(persons, hh, rng)
    persons, taken = _identity(persons, rng, reference_date, id_sequences_taken)
    persons = _names(persons, rng)
    hh = _addresses(hh, villages, rng)
    return Population(households=hh, persons=persons, reference_date=reference_date, id_sequences_taken=taken)


def _explode_persons(hh: pl.DataFrame, ref: dt.date) -> pl.DataFrame:
    max_est_days = (ref - HUKOU_REGISTRATION_START).days
    parts = []
    for order, (slot, relation) in enumerate(SLOTS):
        ago = pl.col(f"ago_{slot}") if slot.startswith("d") else pl.lit(None, dtype=pl.Float64)
        parts.append(
            hh.filter(pl.col(f"a_{slot}").is_not_null()).select(
                "hh",
                "zone",
                "tpl",
                "division_code",
                pl.lit(order, dtype=pl.Int8).alias("slot"),
                pl.lit(slot).alias("slot_name"),
                pl.lit(relation).alias("relation"),
                pl.col(f"a_{slot}").alias("age_years"),
                pl.col(f"m_{slot}").alias("male_fixed"),
                pl.col("m_head").alias("head_male"),
                pl.lit(slot.startswith("d")).alias("is_deceased"),
                ago.alias("dead_years"),
                pl.min_horizontal(pl.col("est_ago") * DAYS_PER_YEAR, max_est_days)
                .cast(pl.Int64)
                .alias("est_off"),
                pl.col("orphan_hh"),
                pl.col("defacto_hh"),
                pl.col("hukou_draw"),
                pl.col("family_surname"),
            )
        )
    persons = pl.concat(parts).sort(["hh", "slot"])
    return persons.with_columns(
        pl.int_range(0, pl.len(), dtype=pl.Int64).alias("pidx"),
        # days between birth and the reference date
        (pl.col("age_years") * DAYS_PER_YEAR).floor().cast(pl.Int64).alias("birth_off"),
    )


def _calibrated(base: pl.Series, eligible: pl.Series, target: float) -> pl.Series:
    """Scale per-person probabilities so that their expected sum over `eligible` is `target`."""
    total = float(base.filter(eligible).sum())
    k = target / total if total else 0.0
    return _where(eligible, (base * k).clip(0.0, 0.98), 0.0)


def _person_attributes(p: pl.DataFrame, hh: pl.DataFrame, rng: _Rng, ref: dt.date) -> pl.DataFrame:
    n = p.height
    u = lambda name: rng.uniform(name, n)  # noqa: E731
    ref_lit = pl.lit(ref)
    p = p.with_columns(
        pl.when(pl.col("male_fixed").is_not_null())
        .then(pl.col("male_fixed"))
        .otherwise(pl.lit(u("sex")) < 0.515)
        .alias("male"),
        (ref_lit - pl.duration(days=pl.col("birth_off"))).alias("birth_date"),
    ).with_columns(age_expr("birth_date", ref).alias("age"))
    # Deceased: death date in the past, after birth.
    p = p.with_columns(
        pl.when(pl.col("is_deceased"))
        .then(ref_lit - pl.duration(days=(pl.col("dead_years") * DAYS_PER_YEAR).cast(pl.Int64).clip(1, None)))
        .otherwise(None)
        .alias("death_date")
    )
    alive = ~p["is_deceased"]
    age = p["age"]
    zone_urban = p["zone"] == "urban"

    # Disability: prevalence rises steeply with age (2nd national sample survey shape),
    # scaled to 6.3 % of the living population.
    base = _where(age < 15, 0.012, _where(age < 45, 0.03, _where(age < 60, 0.06, _where(age < 70, 0.11, _where(age < 80, 0.16, 0.25)))))
    disabled = u("dis:has") < _calibrated(base, alive, DISABILITY_SHARE * int(alive.sum()))
    # Categories by age group: physical dominates; hearing and vision grow with age;
    # intellectual, speech and multiple are commoner among children.
    cats = ["physical", "visual", "hearing", "intellectual", "mental", "speech", "multiple"]
    cat_adult = rng.choice("dis:cat:adult", n, [0.50, 0.14, 0.11, 0.095, 0.085, 0.045, 0.025])
    cat_child = rng.choice("dis:cat:child", n, [0.33, 0.07, 0.09, 0.25, 0.04, 0.12, 0.10])
    cat_elder = rng.choice("dis:cat:elder", n, [0.46, 0.21, 0.19, 0.035, 0.045, 0.025, 0.035])
    cat_idx = _where(age < 18, cat_child, _where(age >= 60, cat_elder, cat_adult))
    category = pl.Series(cats).gather(cat_idx)
    # Grades: 3–4 (mild) outnumber 1–2 (severe); multiple disabilities are more severe.
    grade_common = rng.choice("dis:grade", n, [0.11, 0.17, 0.30, 0.42]) + 1
    grade_multi = rng.choice("dis:grade:multi", n, [0.30, 0.35, 0.20, 0.15]) + 1
    grade = _where(category == "multiple", grade_multi, grade_common)
    p = p.with_columns(
        _where(disabled, category, "").alias("disability_category"),
        _where(disabled, grade, 0).cast(pl.Int16).alias("disability_grade"),
    )
    grade = p["disability_grade"]
    severe = (grade >= 1) & (grade <= 2)
    mind = p["disability_category"].is_in(["intellectual", "mental", "multiple"])

    # Serious illness (cancer, uraemia …): a small share, rising with age.
    ill_base = _where(age < 18, 0.003, _where(age < 45, 0.01, _where(age < 60, 0.025, _where(age < 75, 0.04, 0.06))))
    ill = alive & (u("ill") < ill_base)

    # Students: compulsory schooling 6–15, most 16–18, about half 19–22 (college).
    p_student = _where(
        age < 6, 0.0, _where(age < 16, 0.99, _where(age < 19, 0.88, _where(age < 23, 0.50, _where(age < 26, 0.06, 0.0))))
    )
    student = alive & (u("student") < p_student) & ~(severe & mind)

    # Work capacity: none under 16 and from 70; partial 60–69 (farm work goes on);
    # reduced by disability and illness in working age.
    r = u("work")
    work = _where(age < 16, "none", _where(age >= 70, _where(r < 0.85, "none", "partial"), _where(age >= 60, _where(r < 0.25, "full", _where(r < 0.85, "partial", "none")), "full")))
    work = _where((age >= 16) & severe, "none", work)
    work = _where((age >= 16) & (age < 60) & (grade == 3), _where(r < 0.6, "partial", "full"), work)
    work = _where((age >= 16) & (age < 60) & (grade == 3) & mind, "partial", work)
    work = _where((age >= 16) & (age < 60) & ill, _where(r < 0.45, "none", "partial"), work)

    # Self-care: lost with severe disability and in deep old age.
    s = u("selfcare")
    care = _where(age >= 85, _where(s < 0.08, "unable", _where(s < 0.33, "partly_unable", "able")), "able")
    care = _where((age >= 80) & (age < 85), _where(s < 0.03, "unable", _where(s < 0.15, "partly_unable", "able")), care)
    care = _where((age >= 70) & (age < 80), _where(s < 0.01, "unable", _where(s < 0.05, "partly_unable", "able")), care)
    care = _where((age >= 3) & (grade == 1), _where(s < 0.6, "unable", "partly_unable"), care)
    care = _where((age >= 3) & (grade == 2), _where(s < 0.15, "unable", _where(s < 0.75, "partly_unable", "able")), care)
    care = _where(ill & (care == "able"), _where(s < 0.3, "partly_unable", "able"), care)

    # Children: orphans (both parents dead) and de-facto unsupported children live in the
    # chosen skipped-generation households; 20 % of orphans are in institutional care.
    is_child = alive & (age < 18) & (p["relation"] == "grandchild")
    orphan = is_child & p["orphan_hh"]
    defacto = is_child & p["defacto_hh"]
    child_status = _where(orphan, "orphan", _where(defacto, "de_facto_unsupported", ""))
    in_institution = orphan & (u("institution") < 0.20)

    # No capable supporter: some elders living alone (the 特困 pool), some severely
    # disabled single adults, and the children above.
    alone = (p["tpl"] == T_SINGLE_ELDER) & alive
    single_adult = (p["tpl"] == T_SINGLE_ADULT) & alive
    w = u("supporter")
    no_supporter = (alone & (age >= 60) & (w < _where(zone_urban, 0.07, 0.12))) | (single_adult & severe & (w < 0.30))
    no_supporter = no_supporter | orphan | defacto

    # Hukou: rural households mostly kept 农业户口 before the 2015 unification in Chongqing;
    # people registered since then carry 居民户口.
    draw = p["hukou_draw"]
    hukou = _where(zone_urban, _where(draw == 0, "resident", "non_agricultural"), _where(draw == 0, "resident", "agricultural"))
    hukou = _where(p["birth_date"] >= dt.date(2015, 1, 1), "resident", hukou)

    p = p.with_columns(
        pl.Series("serious_illness", ill),
        pl.Series("student", student),
        pl.Series("work_capacity", _where(alive, work, "full")),
        pl.Series("self_care", _where(alive, care, "able")),
        pl.Series("child_status", child_status),
        pl.Series("in_institution", in_institution),
        pl.Series("has_capable_supporter", ~no_supporter),
        pl.Series("hukou_type", hukou),
    )
    return _incomes(p, rng)


def _incomes(p: pl.DataFrame, rng: _Rng) -> pl.DataFrame:
    """Monthly income by national category, integer fen. Yuan medians are for 2025 Fuling:
    urban wages ≈ 4,300, rural (mostly migrant work) ≈ 3,300; urban employee pensions
    ≈ 3,200, rural residents' basic pension ≈ 150–260 plus support from children."""
    n = p.height
    u = lambda name: rng.uniform(name, n)  # noqa: E731
    age = p["age"]
    alive = ~p["is_deceased"]
    urban = p["zone"] == "urban"
    male = p["male"]
    work = p["work_capacity"]
    working_age = (age >= 18) & (age < 60) & ~p["student"] & (work != "none")
    late_workers = (age >= 60) & (age < 65) & (work != "none") & (u("late") < _where(urban, 0.20, 0.12))
    employed = alive & (working_age | late_workers) & (u("employed") < _where(urban, 0.82, 0.74))
    wage = rng.lognormal("wage", n, 1.0, 0.45) * _where(urban, 4300.0, 3300.0)
    wage = wage * _where(male, 1.0, 0.86) * _where(work == "partial", 0.55, 1.0) * _where(age >= 60, 0.7, 1.0)
    income_wage = _where(employed, wage, 0.0)

    # 经营净收入: farming for rural adults (small), self-employment for some urban adults.
    farm = alive & ~urban & (age >= 18) & (age < 78) & ~p["student"] & (work != "none") & (u("farm") < 0.6)
    farm_income = rng.lognormal("farm:amount", n, 600.0, 0.6)
    shop = alive & (age >= 25) & (age < 65) & ~p["student"] & (u("shop") < _where(urban, 0.07, 0.03))
    shop_income = rng.lognormal("shop:amount", n, 5000.0, 0.7)
    income_business = _where(farm, farm_income, 0.0) + _where(shop, shop_income, 0.0)

    # 财产净收入: rent and interest, rare.
    prop = alive & (age >= 30) & (u("property") < _where(urban, 0.04, 0.01))
    income_property = _where(prop, rng.lognormal("property:amount", n, 1500.0, 0.8), 0.0)

    # 转移净收入: pensions, and for most elders without a good pension, support from children.
    retired = alive & ((age >= 60) | (urban & ~male & (age >= 55) & (u("early") < 0.5)))
    employee_pension = u("pension:kind") < _where(urban, 0.72, 0.12)
    pension = _where(
        employee_pension,
        rng.lognormal("pension:employee", n, 1.0, 0.3) * _where(urban, 3200.0, 2300.0),
        150.0 + 110.0 * u("pension:resident"),
    )
    supported = p["has_capable_supporter"] & (u("support") < _where(urban, 0.55, 0.85)) & ~employee_pension
    support = _where(supported, rng.lognormal("support:amount", n, 550.0, 0.6), 0.0)
    income_transfer = _where(retired, pension + support, 0.0)

    to_fen = lambda s: (s * 100.0).round(0).cast(pl.Int64)  # noqa: E731
    return p.with_columns(
        to_fen(income_wage).alias("income_wage_fen"),
        to_fen(income_business).alias("income_business_fen"),
        to_fen(income_property).alias("income_property_fen"),
        to_fen(income_transfer).alias("income_transfer_fen"),
    )


def _household_economics(hh: pl.DataFrame, p: pl.DataFrame, rng: _Rng) -> pl.DataFrame:
    living = p.filter(~pl.col("is_deceased"))
    agg = living.group_by("hh").agg(
        pl.len().alias("member_count"),
        (pl.col("disability_grade").is_between(1, 2)).any().alias("any_severe"),
        (pl.col("disability_grade") >= 3).any().alias("any_mild"),
        pl.col("serious_illness").any().alias("any_ill"),
        (pl.col("student") & (pl.col("age") >= 19)).sum().alias("college"),
        (~pl.col("has_capable_supporter") & (pl.col("age") >= 60)).any().alias("unsupported_elder"),
        (pl.col("income_business_fen") > pl.col("income_wage_fen")).any().alias("business_led"),
    )
    hh = hh.join(agg, on="hh", how="left").sort("hh")
    H = hh.height
    u = lambda name: rng.uniform(name, H)  # noqa: E731
    urban = hh["zone"] == "urban"
    assets = rng.lognormal("assets", H, 1.0, 1.4) * _where(urban, 30_000.0, 10_000.0)
    assets = assets.clip(0.0, 3_000_000.0)
    car = u("vehicle") < _where(urban, 0.35, 0.18)
    car_value = rng.lognormal("vehicle:value", H, 1.0, 0.6) * _where(urban, 90_000.0, 45_000.0)
    medical = _where(hh["any_ill"], rng.lognormal("rigid:medical", H, 30_000.0, 0.8), 0.0)
    minor = _where(u("rigid:minor") < 0.10, 2_000.0 + 6_000.0 * u("rigid:minor:amount"), 0.0)
    tuition = hh["college"].cast(pl.Float64) * (10_000.0 + 10_000.0 * u("rigid:tuition"))
    irregular = u("irregular") < _where(hh["business_led"], 0.5, 0.05)
    to_fen = lambda s: (s * 100.0).round(0).cast(pl.Int64)  # noqa: E731
    return hh.with_columns(
        to_fen(assets).alias("financial_assets_fen"),
        to_fen(_where(car, car_value, 0.0)).alias("vehicle_value_fen"),
        to_fen(medical + minor + tuition).alias("rigid_spending_12m_fen"),
        pl.Series("income_irregular", irregular),
    )


def _poverty(p: pl.DataFrame, hh: pl.DataFrame, rng: _Rng) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Make ≈ POOR_PEOPLE_SHARE of people poor, and everyone else not.

    Poverty is given to households with a propensity (severe disability, illness, an elder
    without supporters, single parents, rural …) scaled so that the expected number of poor
    people hits the share; their incomes are scaled down to 25–95 % of the standard. The
    remaining households under 1.05 × the standard are lifted to 1.05–1.8 × (support from
    relatives they would really have), so the poor are exactly those chosen here. Some poor
    households keep assets or a car above what dibao allows, so screening has both kinds
    of case (漏保 and 错保) to find.
    """
    H = hh.height
    u = lambda name: rng.uniform(name, H)  # noqa: E731
    income_cols = ["income_wage_fen", "income_business_fen", "income_property_fen", "income_transfer_fen"]
    living = p.filter(~pl.col("is_deceased"))
    totals = living.group_by("hh").agg(pl.sum_horizontal(income_cols).sum().alias("income_total"))
    hh = hh.join(totals, on="hh", how="left").sort("hh").with_columns(pl.col("income_total").fill_null(0))
    standard = _where(hh["zone"] == "urban", DIBAO_STANDARD_FEN["urban"], DIBAO_STANDARD_FEN["rural"]).cast(pl.Float64)
    size = hh["member_count"].cast(pl.Float64)
    propensity = (
        1.0
        * _where(hh["any_severe"], 5.0, 1.0)
        * _where(hh["any_mild"], 2.0, 1.0)
        * _where(hh["any_ill"], 3.0, 1.0)
        * _where(hh["unsupported_elder"], 40.0, 1.0)
        * _where(hh["tpl"] == T_SINGLE_PARENT, 3.0, 1.0)
        * _where(hh["tpl"].is_in([T_SINGLE_ELDER, T_SKIPPED_GEN]), 2.0, 1.0)
        * _where(hh["tpl"].is_in([T_YOUNG_COUPLE, T_EMPTY_NEST, T_ADULT_CHILDREN]), 0.3, 1.0)
        * _where(hh["zone"] == "rural", 1.6, 1.0)
    )
    target_people = POOR_PEOPLE_SHARE * float(size.sum())
    lo, hi = 0.0, 1.0
    expected = lambda k: float(((propensity * k).clip(0.0, 0.95) * size).sum())  # noqa: E731
    while expected(hi) < target_people and hi < 1e9:
        hi *= 2.0
    for _ in range(50):  # bisection on the scale of the propensity
        mid = (lo + hi) / 2
        if expected(mid) < target_people:
            lo = mid
        else:
            hi = mid
    prob = (propensity * hi).clip(0.0, 0.95)
    poor = u("poor") < prob

    per_capita = hh["income_total"].cast(pl.Float64) / size
    poor_target = standard * (0.25 + 0.70 * u("poor:level")) * size
    lift_target = standard * (1.05 + 0.75 * u("lift:level")) * size
    factor = _where(poor & (hh["income_total"] > 0), poor_target / hh["income_total"].cast(pl.Float64), 1.0)
    factor = _where(poor, factor.clip(None, 1.0), 1.0)
    lift = _where(~poor & (per_capita < standard * 1.05), lift_target - hh["income_total"].cast(pl.Float64), 0.0)
    # Poor households: small savings and rarely a car — except ~12 % with more than they say.
    hidden = poor & (u("poor:hidden") < 0.12)
    small_assets = (rng.lognormal("poor:assets", H, 1.0, 1.0) * 2_000.0 * 100.0).round(0).cast(pl.Int64)
    hh = hh.with_columns(
        pl.Series("poor", poor),
        _where(poor & ~hidden, small_assets, hh["financial_assets_fen"]).alias("financial_assets_fen"),
        _where(poor & ~hidden & (u("poor:car") > 0.04), 0, hh["vehicle_value_fen"]).alias("vehicle_value_fen"),
        _where(poor, u("poor:irregular") < 0.4, hh["income_irregular"]).alias("income_irregular"),
        pl.Series("_factor", factor),
        pl.Series("_lift", lift),
    )
    # Apply: scale every income of poor households; lift non-poor through the head's
    # transfer income (support from relatives outside the household).
    p = p.join(hh.select("hh", "_factor", "_lift"), on="hh", how="left").sort("pidx")
    scaled = [(pl.col(c).cast(pl.Float64) * pl.col("_factor")).round(0).cast(pl.Int64).alias(c) for c in income_cols]
    p = p.with_columns(scaled).with_columns(
        pl.when(pl.col("slot_name") == "head")
        .then(pl.col("income_transfer_fen") + pl.col("_lift").round(0).cast(pl.Int64))
        .otherwise(pl.col("income_transfer_fen"))
        .alias("income_transfer_fen")
    ).drop("_factor", "_lift")
    totals = (
        p.filter(~pl.col("is_deceased"))
        .group_by("hh")
        .agg(pl.sum_horizontal(income_cols).sum().alias("income_total"))
    )
    hh = hh.drop("income_total", "_factor", "_lift").join(totals, on="hh", how="left").sort("hh")
    return p, hh


def _identity(p: pl.DataFrame, rng: _Rng, ref: dt.date, taken: pl.DataFrame | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """18-digit ID numbers: address code, birth date, a sequence whose last digit is odd
    for men and even for women, and the GB 11643 check digit. Unique by construction: in
    each (address, birth date, sex) group the k-th person gets sequence (k·37 + offset) mod
    500, distinct for k < 500; any group that large would be refused. `taken` counts the
    people each group already has from earlier batches; k continues after them. Returns
    the frame and the counts including this batch."""
    n = p.height
    u = lambda name: rng.uniform(name, n)  # noqa: E731
    # spouses and children-in-law married in from elsewhere more often than natives
    p_out = _where(p["relation"].is_in(["spouse", "child_in_law"]), 0.075, 0.015)
    outside = u("id:outside") < p_out
    codes = pl.Series([c for c, _ in name_data.OUTSIDE_ADDRESS_CODES])
    other = codes.gather(rng.choice("id:outside:code", n, [w for _, w in name_data.OUTSIDE_ADDRESS_CODES]))
    area = _where(outside, other, district_code())
    p = p.with_columns(
        pl.Series("id_area", area),
        pl.col("birth_date").dt.strftime("%Y%m%d").alias("_birth8"),
        pl.Series("_order", u("id:order")),
    )
    group = ["id_area", "_birth8", "male"]
    p = p.with_columns(pl.col("_order").rank("ordinal").over(group).cast(pl.Int64).alias("_k"))
    if taken is not None:
        p = (
            # the rows keep their order: random draws below are matched to rows by position
            p.join(taken, on=group, how="left", maintain_order="left")
            .with_columns((pl.col("_k") + pl.col("_taken").fill_null(0)).alias("_k"))
            .drop("_taken")
        )
    if int(p["_k"].max() or 0) > 500:  # pragma: no cover - MAX_SCALE keeps groups under 500
        raise RuntimeError("too many people share one birth date and address code")
    # every group seen so far, this batch's or an earlier one's
    counts = p.group_by(group).agg(pl.col("_k").max().alias("_taken"))
    if taken is not None:
        counts = pl.concat([taken, counts], how="vertical_relaxed").group_by(group).agg(pl.col("_taken").max())
    taken = counts
    offset = (pl.col("birth_date").dt.epoch("d").cast(pl.Int64) * 7 + pl.col("id_area").cast(pl.Int64)) % 500
    seq = ((pl.col("_k") - 1) * 37 + offset) % 500 * 2 + pl.col("male").cast(pl.Int64)
    p = p.with_columns((pl.col("id_area") + pl.col("_birth8") + seq.cast(pl.Utf8).str.zfill(3)).alias("_first17"))
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(pl.col("_first17").str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(weights))
    check = pl.Series(list("10X98765432"))
    p = p.with_columns((total % 11).alias("_check_idx"))
    p = p.with_columns(
        (pl.col("_first17") + check.gather(p["_check_idx"])).alias("id_number"),
        pl.when(pl.col("male")).then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
    ).drop("_birth8", "_order", "_k", "_first17", "_check_idx")

    # Mobile phones for most living adults (fewer among the very old).
    age = p["age"]
    alive = ~p["is_deceased"]
    p_phone = _where(age < 18, 0.0, _where(age < 70, 0.93, _where(age < 80, 0.70, 0.45)))
    has_phone = alive & (u("phone") < p_phone)
    prefixes = pl.Series(list(name_data.MOBILE_PREFIXES))
    prefix = prefixes.gather((u("phone:prefix") * len(prefixes)).floor().cast(pl.Int64))
    tail = (u("phone:tail") * 1e8).floor().cast(pl.Int64).cast(pl.Utf8).str.zfill(8)
    return p.with_columns(_where(has_phone, prefix + tail, "").alias("phone")), taken


def _names(p: pl.DataFrame, rng: _Rng) -> pl.DataFrame:
    n = p.height
    surnames = pl.Series([s for s, _ in name_data.SURNAMES])
    own = rng.choice("surname:own", n, [w for _, w in name_data.SURNAMES])
    male, slot = p["male"], p["slot_name"]
    family = p["family_surname"]
    # Surname rule: men of the line and the children carry the family surname; women who
    # married in, and children-in-law, keep their own; the head's parents carry the head's.
    lineage = slot.is_in(["c1", "c2", "c3", "g1", "g2", "dc"])
    is_line = lineage | (slot.is_in(["head", "sp", "dsp"]) & male)
    sidx = _where(is_line, family, own)
    heads = pl.DataFrame({"hh": p["hh"], "slot": slot, "sidx": sidx}).filter(pl.col("slot") == "head").select(
        "hh", pl.col("sidx").alias("head_sidx")
    )
    p = p.with_columns(pl.Series("_sidx", sidx)).join(heads, on="hh", how="left").sort("pidx")
    p = p.with_columns(
        pl.when(pl.col("slot_name").is_in(["p1", "p2"]) & pl.col("male"))
        .then(pl.col("head_sidx"))
        .otherwise(pl.col("_sidx"))
        .alias("_sidx")
    )

    # Given names: one or two characters from the pool of the person's birth era and sex.
    year = p["birth_date"].dt.year()
    era = sum((year >= b).cast(pl.Int64) for b in name_data.ERA_BOUNDS)
    pools: list[str] = []
    pool_index: dict[tuple[int, str], int] = {}
    for e, by_sex in enumerate(name_data.GIVEN_CHARS):
        for sex in ("M", "F"):
            pool_index[(e, sex)] = len(pools)
            pools.append("".join(dict.fromkeys(by_sex[sex])))  # de-duplicated, order kept
    offsets, lengths, chars = [], [], []
    for pool in pools:
        offsets.append(len(chars))
        lengths.append(len(pool))
        chars.extend(pool)
    pool_id = era * 2 + (~p["male"]).cast(pl.Int64)
    off = pl.Series(offsets).gather(pool_id)
    length = pl.Series(lengths).gather(pool_id).cast(pl.Float64)
    # Zipf-like popularity within a pool: index = floor(len · u²) favours the first characters.
    first = off + (length * rng.uniform("given:1", n).pow(2.0)).floor().cast(pl.Int64)
    second = off + (length * rng.uniform("given:2", n).pow(1.6)).floor().cast(pl.Int64)
    two = rng.uniform("given:two", n) < pl.Series(list(name_data.TWO_CHAR_SHARE)).gather(era)
    char_series = pl.Series(chars)
    given = char_series.gather(first) + _where(two & (second != first), char_series.gather(second), "")
    p = p.with_columns((surnames.gather(p["_sidx"]) + given).alias("name")).drop("_sidx", "head_sidx")
    return p


def _addresses(hh: pl.DataFrame, villages: Sequence[VillageSpec], rng: _Rng) -> pl.DataFrame:
    """Rural: 某村N组M号; urban: 某社区N栋U单元R号."""
    H = hh.height
    by_code = {v.code: v for v in villages}
    prefix = hh["division_code"].replace_strict(
        {v.code: f"重庆市涪陵区{v.town_name}{v.name}" for v in by_code.values()}, return_dtype=pl.Utf8
    )
    u = lambda name: rng.uniform(name, H)  # noqa: E731
    num = lambda name, lo, hi: (lo + (u(name) * (hi - lo + 1)).floor()).cast(pl.Int64).cast(pl.Utf8)  # noqa: E731
    rural = prefix + num("addr:group", 1, 12) + "组" + num("addr:no", 1, 120) + "号"
    urban = (
        prefix + num("addr:bldg", 1, 40) + "栋" + num("addr:unit", 1, 4) + "单元" + num("addr:floor", 1, 24)
        + "-" + num("addr:room", 1, 6).str.zfill(2) + "号"
    )
    return hh.with_columns(_where(hh["zone"] == "urban", urban, rural).alias("address"))


# --- membership rows -----------------------------------------------------------------------


def _memberships(p: pl.DataFrame, ref: dt.date) -> pl.DataFrame:
    """One row per person: the current membership, or for the deceased the one closed by
    death. valid_from lies between birth (or the household's registration) and the
    reference date."""
    ref_lit = pl.lit(ref)
    slot = pl.col("slot_name")
    birth_off = pl.col("birth_off")
    est = pl.col("est_off")
    adult20 = birth_off - int(20 * DAYS_PER_YEAR)  # the day this person turned 20
    born_in = birth_off <= est  # born after the household was registered
    joined_off = (
        pl.when(slot == "head")
        .then(est)
        .when(slot.is_in(["sp", "dsp", "cil", "dcil"]))
        .then(pl.min_horizontal(est, adult20 - int(3 * DAYS_PER_YEAR)))  # married in
        .when(slot.is_in(["p1", "p2"]))
        .then(pl.min_horizontal(est, int(5 * DAYS_PER_YEAR)))
        .otherwise(pl.min_horizontal(birth_off, est))
    )
    reason = (
        pl.when(slot == "head")
        .then(pl.lit("established"))
        .when(slot.is_in(["sp", "dsp", "cil", "dcil"]))
        .then(pl.lit("marriage"))
        .when(slot.is_in(["p1", "p2"]))
        .then(pl.lit("moved_in"))
        .when(born_in)
        .then(pl.lit("birth"))
        .otherwise(pl.lit("moved_in"))
    )
    death_off = (ref_lit - pl.col("death_date")).dt.total_days()
    joined_off = pl.min_horizontal(joined_off, birth_off).clip(0, None)
    # a deceased member joined before dying
    joined_off = pl.when(pl.col("is_deceased")).then(pl.max_horizontal(joined_off, death_off + 1)).otherwise(joined_off)
    return p.select(
        "pidx",
        "hh",
        "division_code",
        "relation",
        (ref_lit - pl.duration(days=joined_off)).alias("valid_from"),
        pl.col("death_date").alias("valid_to"),
        reason.alias("reason_joined"),
        pl.when(pl.col("is_deceased")).then(pl.lit("death")).otherwise(pl.lit("")).alias("reason_left"),
    )


# --- encryption ----------------------------------------------------------------------------


def _mask_id(col: str) -> pl.Expr:
    # same form as minzheng.core.idnumber.mask_id_number for 18 characters
    return pl.col(col).str.slice(0, 6) + "********" + pl.col(col).str.slice(14, 4)


def _mask_phone(col: str) -> pl.Expr:
    # same form as minzheng.core.masking.mask_phone for 11 digits
    return pl.when(pl.col(col) == "").then(pl.lit("")).otherwise(
        pl.col(col).str.slice(0, 3) + "****" + pl.col(col).str.slice(7, 4)
    )


def _exact_pinyin(names: list[str]) -> tuple[list[str], list[str]]:
    readings = [name_pinyin.__wrapped__(n) for n in names]  # bypass the small lru cache
    return [r[0] for r in readings], [r[1] for r in readings]


def _fast_pinyin(names: list[str]) -> tuple[list[str], list[str]] | None:
    """name_pinyin for many names at ~1/20 of the cost, or None if it cannot be vouched for.

    name_pinyin(S + G) for a one-character surname S is
      * SURNAME_READINGS[S] + lazy_pinyin(G) when S has a surname reading (its own code), else
      * lazy_pinyin(S + G), which pypinyin segments by forward maximum matching over its
        phrase prefixes: when S + G[0] is no phrase prefix, the first segment is S alone and
        the rest is segmented exactly as G on its own, so the result is
        lazy_pinyin(S) + lazy_pinyin(G).
    So each distinct surname and given name is converted once; names outside that rule go
    through name_pinyin itself, and a random sample of the rest is checked against it.
    """
    try:
        # local import: a private module of pypinyin, which may move between versions.
        from pypinyin.seg.mmseg import p_set
    except ImportError:  # pragma: no cover - pypinyin internals moved
        return None

    surname_cache: dict[str, list[str]] = {}
    given_cache: dict[str, list[str]] = {}
    full, initials = [], []
    for name in names:
        s, g = name[:1], name[1:]
        if not g or name[:2] in SURNAME_READINGS or (s not in SURNAME_READINGS and (s + g[0]) in p_set):
            f, i = name_pinyin.__wrapped__(name)
            full.append(f)
            initials.append(i)
            continue
        sur = surname_cache.get(s)
        if sur is None:
            sur = surname_cache[s] = list(SURNAME_READINGS[s]) if s in SURNAME_READINGS else plain_syllables(s)
        giv = given_cache.get(g)
        if giv is None:
            giv = given_cache[g] = plain_syllables(g)
        parts = sur + giv
        full.append("".join(parts))
        initials.append("".join(x[0] for x in parts))
    check = random.Random(len(names)).sample(range(len(names)), min(500, len(names)))
    if any(name_pinyin.__wrapped__(names[i]) != (full[i], initials[i]) for i in check):
        return None  # pragma: no cover - pypinyin behaves differently: use the slow path
    return full, initials


def _pinyin_columns(names: pl.Series) -> tuple[pl.Series, pl.Series]:
    unique = names.unique(maintain_order=True).to_list()
    result = _fast_pinyin(unique) or _exact_pinyin(unique)
    full = dict(zip(unique, result[0], strict=True))
    initials = dict(zip(unique, result[1], strict=True))
    return (
        names.replace_strict(full, return_dtype=pl.Utf8),
        names.replace_strict(initials, return_dtype=pl.Utf8),
    )


# --- database ------------------------------------------------------------------------------


def _dependent_rows() -> list[str]:
    """Verbose names of non-registry tables that still point at registry rows."""
    own = {Person, Household, HouseholdMembership}
    found = []
    for model in own:
        for rel in model._meta.related_objects:
            other = rel.related_model
            if other in own:
                continue
            if other._default_manager.filter(**{f"{rel.field.name}__isnull": False}).exists():
                found.append(str(other._meta.verbose_name))
    return sorted(set(found))


def _delete_registry() -> None:
    blockers = _dependent_rows()
    if blockers:
        raise DomainError(
            "其他业务数据仍引用现有人员或家庭（" + "、".join(blockers) + "），不能整体替换人口数据；请先清除这些业务数据",
            code="registry_in_use",
        )
    qn = connection.ops.quote_name
    tables = [m._meta.db_table for m in (HouseholdMembership, Person, Household)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and _only_empty_tables_refer_to(cursor, tables):
            # A DELETE would fire one foreign-key check per row for every table that refers to
            # people (a dozen by now); TRUNCATE is instant. CASCADE reaches only tables just
            # shown to be empty, so it removes nothing else.
            cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} CASCADE")
            return
        # Raw deletes: the ORM's collector would fetch every row first. Foreign keys between
        # the three tables are deferred to commit, by which time all are gone.
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table)}")


def _only_empty_tables_refer_to(cursor, tables: list[str]) -> bool:
    """True when every table that (transitively) has a foreign key to `tables` is empty."""
    cursor.execute(
        """
        WITH RECURSIVE refs(rel) AS (
            SELECT c.conrelid FROM pg_constraint c
            WHERE c.contype = 'f' AND c.confrelid = ANY(%s::regclass[])
            UNION
            SELECT c.conrelid FROM pg_constraint c JOIN refs ON c.confrelid = refs.rel WHERE c.contype = 'f'
        )
        SELECT DISTINCT rel::regclass::text FROM refs WHERE NOT rel = ANY(%s::regclass[])
        """,
        [tables, tables],
    )
    for (other,) in cursor.fetchall():
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {other})")  # regclass text comes quoted
        if cursor.fetchone()[0]:
            return False
    return True


def _write_batch(pop: Population, report: Progress) -> dict[str, int]:
    """One batch's rows, numbered after the rows already written (in this transaction too);
    run inside `bulk_load_tables`."""
    persons, hh = pop.persons, pop.households
    person_base = max_id(Person)
    household_base = max_id(Household)
    membership_base = max_id(HouseholdMembership)

    report("加密身份证号码和电话", 0.35)
    cipher = FieldCipher()
    ids = persons["id_number"].to_list()
    id_enc = cipher.encrypt_many(ids)
    id_index = cipher.index_many(ids)
    report("加密身份证号码和电话", 0.50)
    phone_enc = cipher.encrypt_many(persons["phone"].to_list())
    codes = {"visual": "1", "hearing": "2", "speech": "3", "physical": "4", "intellectual": "5", "mental": "6", "multiple": "7"}
    # 第二代残疾人证号: the ID number, then the category digit and the grade digit.
    cert = persons.select(
        pl.when(pl.col("disability_grade") > 0)
        .then(
            pl.col("id_number")
            + pl.col("disability_category").replace_strict(codes, default="0", return_dtype=pl.Utf8)
            + pl.col("disability_grade").cast(pl.Utf8)
        )
        .otherwise(pl.lit(""))
    ).to_series()
    cert_enc = cipher.encrypt_many(cert.to_list())
    report("计算姓名拼音", 0.60)
    pinyin_full, pinyin_initials = _pinyin_columns(persons["name"])

    head_pidx = persons.filter(pl.col("slot_name") == "head").select("hh", pl.col("pidx").alias("head_pidx"))
    hh_out = hh.join(head_pidx, on="hh", how="left").sort("hh").select(
        (pl.col("hh") + household_base + 1).alias("id"),
        "division_code",
        "address",
        "zone",
        (pl.col("head_pidx") + person_base + 1).alias("head_id"),
        pl.col("member_count").cast(pl.Int32),
        "financial_assets_fen",
        "vehicle_value_fen",
        "rigid_spending_12m_fen",
        "income_irregular",
        pl.lit(1).alias("version"),
    )
    person_out = persons.select(
        (pl.col("pidx") + person_base + 1).alias("id"),
        pl.Series("id_number_encrypted", id_enc),
        pl.Series("id_number_index", id_index),
        _mask_id("id_number").alias("id_number_masked"),
        "name",
        pinyin_full.alias("name_pinyin"),
        pinyin_initials.alias("name_initials"),
        "sex",
        "birth_date",
        pl.Series("phone_encrypted", phone_enc),
        _mask_phone("phone").alias("phone_masked"),
        "division_code",
        pl.col("division_code").alias("hukou_division_code"),
        "hukou_type",
        pl.when(pl.col("is_deceased")).then(None).otherwise(pl.col("hh") + household_base + 1).alias("household_id"),
        "disability_category",
        "disability_grade",
        pl.Series("disability_certificate_encrypted", cert_enc),
        "serious_illness",
        "work_capacity",
        "self_care",
        "student",
        "child_status",
        "in_institution",
        "has_capable_supporter",
        "income_wage_fen",
        "income_business_fen",
        "income_property_fen",
        "income_transfer_fen",
        "is_deceased",
        "death_date",
        pl.lit(1).alias("version"),
    )
    member_out = _memberships(persons, pop.reference_date).select(
        (pl.col("pidx") + membership_base + 1).alias("id"),
        (pl.col("hh") + household_base + 1).alias("household_id"),
        (pl.col("pidx") + person_base + 1).alias("person_id"),
        "division_code",
        "relation",
        "valid_from",
        "valid_to",
        "reason_joined",
        "reason_left",
    )
    del id_enc, id_index, phone_enc, cert_enc

    report("写入家庭", 0.70)
    bulk_insert(Household, hh_out.columns, hh_out)
    report("写入人员", 0.75)
    bulk_insert(Person, person_out.columns, person_out)
    report("写入家庭成员关系", 0.88)
    bulk_insert(HouseholdMembership, member_out.columns, member_out)
    return {"persons": person_out.height, "households": hh_out.height, "memberships": member_out.height}


def batch_scales(scale: float) -> list[float]:
    """The scale of each batch: as few equal batches as keep each within BATCH_SCALE."""
    n = max(1, math.ceil(scale / BATCH_SCALE - 1e-9))
    return [scale / n] * n


def _add_counts(total: dict, more: dict) -> dict:
    """Sum two summaries key by key (nested dicts too, such as people by disability grade)."""
    out = dict(total)
    for key, value in more.items():
        if isinstance(value, dict):
            out[key] = _add_counts(out.get(key, {}), value)
        else:
            out[key] = out.get(key, 0) + value
    return out


def _batch_progress(report: Progress, i: int, count: int) -> Progress:
    """Batch i's stages reported as its share of the whole generation."""
    if count == 1:
        return report

    def step(message: str, fraction: float) -> None:
        report(f"第{i + 1}/{count}批：{message}", 0.02 + 0.92 * (i + fraction) / count)

    return step


def _build_and_write(
    villages: Sequence[VillageSpec], parts: list[float], built: list[Population], seed: int, ref: dt.date, report: Progress
) -> tuple[dict, dict]:
    """Every batch written in turn inside one bulk load (``built`` holds the first, built
    already, and is emptied so that it is freed once written; the others are built here):
    memory holds one batch at a time, whatever the scale. Returns (rows written by table,
    population summary)."""
    counts: dict = {}
    stats: dict = {}
    pop: Population | None = built.pop()
    with bulk_load_tables(Household, Person, HouseholdMembership, drop_indexes=DROP_INDEXES_DURING_LOAD):
        for i, part in enumerate(parts):
            step = _batch_progress(report, i, len(parts))
            if pop is None:
                pop = build_population(
                    villages, scale=part, seed=seed, reference_date=ref, progress=step, batch=i, id_sequences_taken=taken
                )
            stats = _add_counts(stats, summarise(pop))
            counts = _add_counts(counts, _write_batch(pop, step))
            taken = pop.id_sequences_taken
            pop = None
        report("重建索引并校验外键", 0.94)
    reset_sequences(Person, Household, HouseholdMembership)
    return counts, stats


def summarise(pop: Population) -> dict:
    living = pop.persons.filter(~pl.col("is_deceased"))
    ages = living["age"]
    grades = living.filter(pl.col("disability_grade") > 0).group_by("disability_grade").len().sort("disability_grade")
    below = pop.households.filter(
        pl.col("income_total")
        < pl.when(pl.col("zone") == "urban")
        .then(DIBAO_STANDARD_FEN["urban"])
        .otherwise(DIBAO_STANDARD_FEN["rural"])
        * pl.col("member_count")
    )["member_count"].sum()
    return {
        "living": living.height,
        "deceased": pop.persons.height - living.height,
        "aged_60_plus": int((ages >= 60).sum()),
        "aged_70_plus": int((ages >= 70).sum()),
        "aged_80_plus": int((ages >= 80).sum()),
        "aged_90_plus": int((ages >= 90).sum()),
        "disabled": int((living["disability_grade"] > 0).sum()),
        "disabled_by_grade": {str(g): int(c) for g, c in grades.iter_rows()},
        "below_dibao_standard": int(below or 0),
    }


def generate_district(
    *,
    scale: float,
    seed: int,
    reference_date: dt.date | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> GenerationSummary:
    """Generate and write the synthetic district; one atomic, audited action.

    Refuses (RegistryNotEmpty) when people are already registered, unless replace=True,
    which first deletes all registry rows in bulk. `progress(message, fraction)` is called
    at each stage, fraction in 0..1.
    """
    if not (0 < scale <= MAX_SCALE):
        raise DomainError(f"规模应大于0且不超过{MAX_SCALE}（1.0 约为全区115万人）", field="scale")
    ref = reference_date or DEFAULT_REFERENCE_DATE
    report = progress or (lambda message, fraction: None)
    started = time.monotonic()
    actor = Actor.system("合成数据生成")
    villages = villages_from_directory()
    if not villages:
        raise DomainError("尚未载入行政区划，请先运行 minzheng load_divisions")
    if not replace and Person.objects.exists():
        raise RegistryNotEmpty("人口库中已有人员数据，未生成。如需清空后重新生成，请加 --replace 参数")

    # The first batch (the whole population up to scale 1.0) is built before the transaction, so
    # that the tables are locked only while rows are written; later batches are built inside.
    parts = batch_scales(scale)
    built = [
        build_population(villages, scale=parts[0], seed=seed, reference_date=ref, progress=_batch_progress(report, 0, len(parts)))
    ]
    with sqlite_fast_load(), transaction.atomic():
        replaced = {}
        if replace:
            _batch_progress(report, 0, len(parts))("删除现有人口数据", 0.30)  # between the first batch's build and write
            replaced = {
                "persons": Person.objects.count(),
                "households": Household.objects.count(),
                "memberships": HouseholdMembership.objects.count(),
            }
            _delete_registry()
        elif Person.objects.exists():  # someone wrote while the first batch was built
            raise RegistryNotEmpty("人口库中已有人员数据，未生成。如需清空后重新生成，请加 --replace 参数")
        counts, stats = _build_and_write(villages, parts, built, seed, ref, report)
        report("记录审计日志", 0.98)
        summary = GenerationSummary(
            scale=scale,
            seed=seed,
            reference_date=ref.isoformat(),
            persons=counts["persons"],
            households=counts["households"],
            memberships=counts["memberships"],
            seconds=round(time.monotonic() - started, 1),
            **stats,
        )
        record_audit_event(
            actor,
            AuditAction.SYSTEM,
            object_type="registry",
            division_code=district_code(),
            summary=f"生成合成人口：{summary.persons}人，{summary.households}户（规模{scale}，种子{seed}）",
            extra={
                "reason": actor.reason,
                "parameters": {"scale": scale, "seed": seed, "reference_date": ref.isoformat(), "replace": replace},
                "replaced": replaced,  # rows deleted first (replace=True)
                "counts": summary.as_dict(),
            },
        )
    # the time a user waited, commit included
    summary = dataclasses.replace(summary, seconds=round(time.monotonic() - started, 1))
    report("完成", 1.0)
    return summary
