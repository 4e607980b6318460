"""The synthetic district: calibration, integrity of every row, determinism, refusal.

Runs at scale 0.008 (≈ 9,200 people, ~2 s a generation). Tolerances are wider than the
generator's error at scale 1.0 (where 60+ comes out at 20.2 %, 80+ at 3.2 %) to allow for
sampling noise in a district this small; they are stated next to each check.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter

from django.db.models import F
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from minzheng.core.audit import AuditAction
from minzheng.core.bulk import bulk_insert, bulk_load_tables, max_id
from minzheng.core.crypto import blind_index, decrypt_text
from minzheng.core.idnumber import check_digit, mask_id_number, parse_id_number
from minzheng.core.masking import mask_phone
from minzheng.core.models import AuditEvent
from minzheng.core.pinyin import name_pinyin
from minzheng.divisions.directory import get_directory
from minzheng.registry import generate as generate_module
from minzheng.registry.generate import (
    DEFAULT_REFERENCE_DATE,
    RegistryNotEmpty,
    batch_scales,
    build_population,
    generate_district,
    villages_from_directory,
)
from minzheng.registry.models import Household, HouseholdMembership, Person

SCALE = 0.008
SEED = 4242
REF = DEFAULT_REFERENCE_DATE

BASELINE_60 = 232_400 / 1_148_300  # 20.24 %
BASELINE_80 = 36_070 / 1_148_300  # 3.14 %


def _age(birth: dt.date, on: dt.date = REF) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@pytest.fixture
def district(db):
    return generate_district(scale=SCALE, seed=SEED)


def test_distributions_match_the_baseline(district):
    living = list(Person.objects.filter(is_deceased=False).values_list("birth_date", "disability_grade", "disability_category", "division_code"))
    n = len(living)
    assert n == district.living
    # Population: 1,148,300 × scale, within 1 % (villages are filled with whole households).
    assert abs(n - 1_148_300 * SCALE) / (1_148_300 * SCALE) < 0.01
    ages = [_age(b) for b, *_ in living]
    share60 = sum(a >= 60 for a in ages) / n
    share80 = sum(a >= 80 for a in ages) / n
    assert abs(share60 - BASELINE_60) < 0.015, share60  # ±1.5 points of 20.24 %
    assert abs(share80 - BASELINE_80) < 0.006, share80  # ±0.6 points of 3.14 %
    assert sum(a >= 90 for a in ages) > 0
    assert district.aged_60_plus == sum(a >= 60 for a in ages)

    # Disability 6.3 % ± 1 point; grades 3–4 outnumber 1–2; physical the commonest category.
    disabled = [(g, c) for _, g, c, _ in living if g]
    assert abs(len(disabled) / n - 0.063) < 0.01
    grades = Counter(g for g, _ in disabled)
    assert set(grades) <= {1, 2, 3, 4}
    assert grades[3] + grades[4] > grades[1] + grades[2]
    categories = Counter(c for _, c in disabled)
    assert categories.most_common(1)[0][0] == "physical"
    assert all(c for _, c in disabled)
    assert not Person.objects.filter(disability_grade=0).exclude(disability_category="").exists()

    # People per household 2.55 ± 0.3; every village has people; 街道 hold more than their share.
    households = Household.objects.count()
    assert abs(n / households - 2.55) < 0.3
    directory = get_directory()
    villages = directory.villages("500102")
    per_village = Counter(code for *_, code in living)
    assert all(per_village[v.code] > 0 for v in villages)
    subdistrict = {v.code for v in villages if directory.town_of(v.code).kind == "街道"}
    people_share = sum(per_village[c] for c in subdistrict) / n
    assert people_share > len(subdistrict) / len(villages)

    # Deceased ≈ 0.7 % (± 0.3 point); poor (under the standard) ≈ 2.5 % (1.5–3.5 %).
    assert 0.004 < district.deceased / n < 0.010
    assert 0.015 < district.below_dibao_standard / n < 0.035
    # Children: a few orphans / de-facto unsupported; elders without a capable supporter exist.
    assert Person.objects.filter(child_status="orphan").exists()
    assert Person.objects.filter(child_status="de_facto_unsupported").exists()
    assert Person.objects.filter(is_deceased=False, has_capable_supporter=False, birth_date__lte=dt.date(1965, 12, 31)).exists()
    # Students are mostly school age; no child under 16 has work capacity.
    students = [_age(b) for b in Person.objects.filter(student=True).values_list("birth_date", flat=True)]
    assert sum(6 <= a <= 22 for a in students) / len(students) > 0.95
    assert not Person.objects.filter(birth_date__gt=dt.date(REF.year - 16, REF.month, REF.day)).exclude(work_capacity="none").exists()


def test_every_row_is_consistent(district):
    rows = list(
        Person.objects.order_by("id").values_list(
            "id_number_encrypted", "id_number_index", "id_number_masked", "birth_date", "sex", "name", "name_pinyin",
            "name_initials", "phone_encrypted", "phone_masked", "is_deceased", "death_date", "household_id",
        )
    )
    outside = 0
    for enc, index, masked, birth, sex, name, full, initials, phone_enc, phone_masked, dead, death, hh in rows:
        number = decrypt_text(enc)
        parsed = parse_id_number(number, today=REF)  # check digit, date, province
        assert number[17] == check_digit(number[:17])
        assert parsed.birth_date == birth and parsed.sex == sex
        assert index == blind_index(number)
        assert masked == mask_id_number(number)
        outside += not number.startswith("500102")
        assert (full, initials) == name_pinyin(name)
        assert 2 <= len(name) <= 3
        if phone_enc:
            phone = decrypt_text(phone_enc)
            assert len(phone) == 11 and phone[0] == "1" and phone.isdigit()
            assert phone_masked == mask_phone(phone)
        assert dead == (death is not None)
        assert (hh is None) == dead
        if dead:
            assert birth < death <= REF
    # ~3 % born outside Fuling (1–6 % at this size); the blind index is unique.
    assert 0.01 < outside / len(rows) < 0.06
    assert len({r[1] for r in rows}) == len(rows)

    # member_count = current memberships; one current head, who is Household.head.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT h.id FROM registry_household h
            LEFT JOIN registry_householdmembership m ON m.household_id = h.id AND m.valid_to IS NULL
            GROUP BY h.id, h.member_count, h.head_id
            HAVING COUNT(m.id) <> h.member_count
                OR SUM(CASE WHEN m.relation = 'head' THEN 1 ELSE 0 END) <> 1
                OR SUM(CASE WHEN m.relation = 'head' AND m.person_id = h.head_id THEN 1 ELSE 0 END) <> 1
            """
        )
        assert cursor.fetchall() == []
    # Person.household is the current membership's household; zones and divisions agree.
    current = HouseholdMembership.objects.filter(valid_to__isnull=True)
    assert current.count() == Person.objects.filter(is_deceased=False).count()
    assert not current.exclude(person__household_id=models_F("household_id")).exists()
    assert not current.exclude(division_code=models_F("household__division_code")).exists()
    directory = get_directory()
    for code, zone in Household.objects.values_list("division_code", "zone").distinct():
        assert directory.get(code).zone == zone
    # Memberships are dated within a person's life and before the reference date.
    assert not HouseholdMembership.objects.filter(valid_from__lt=models_F("person__birth_date")).exists()
    assert not HouseholdMembership.objects.filter(valid_from__gt=REF).exists()
    closed = HouseholdMembership.objects.filter(valid_to__isnull=False)
    assert closed.count() == district.deceased
    assert set(closed.values_list("reason_left", flat=True)) == {"death"}
    assert not closed.filter(valid_from__gt=models_F("valid_to")).exists()
    assert not closed.exclude(valid_to=models_F("person__death_date")).exists()
    # Money in integer fen, never negative.
    assert not Person.objects.filter(income_wage_fen__lt=0).exists()
    assert not Household.objects.filter(financial_assets_fen__lt=0).exists()

    event = AuditEvent.objects.filter(action=AuditAction.SYSTEM, object_type="registry").latest("id")
    assert event.actor_kind == "system"
    assert event.extra["parameters"]["seed"] == SEED and event.extra["replaced"] == {}
    assert event.extra["counts"]["persons"] == len(rows) == district.persons


def models_F(name):
    return F(name)


def test_same_seed_same_people(db):
    villages = villages_from_directory()
    a = build_population(villages, scale=0.004, seed=SEED)
    b = build_population(villages, scale=0.004, seed=SEED)
    cols = ["name", "birth_date", "id_number", "phone", "income_wage_fen", "disability_grade"]
    assert a.persons.select(cols).equals(b.persons.select(cols))
    assert a.households.select("division_code", "address", "financial_assets_fen").equals(
        b.households.select("division_code", "address", "financial_assets_fen")
    )
    other = build_population(villages, scale=0.004, seed=SEED + 1)
    assert not other.persons["id_number"].head(50).equals(a.persons["id_number"].head(50))

    # Through the database: the same primary keys, names, birth dates and ID plaintexts.
    def snapshot():
        return [
            (pk, name, birth, decrypt_text(enc))
            for pk, name, birth, enc in Person.objects.order_by("id").values_list("id", "name", "birth_date", "id_number_encrypted")
        ]

    generate_district(scale=0.004, seed=SEED)
    first = snapshot()
    generate_district(scale=0.004, seed=SEED, replace=True)
    assert snapshot() == first
    assert Person.objects.count() == a.persons.height


def test_second_run_needs_replace(db):
    generate_district(scale=0.003, seed=1)
    count = Person.objects.count()
    with pytest.raises(RegistryNotEmpty, match="--replace"):
        generate_district(scale=0.003, seed=1)
    with pytest.raises(CommandError, match="已有人员数据"):
        call_command("generate", "--scale", "0.003", "--seed", "1", stdout=io.StringIO())
    assert Person.objects.count() == count

    out = io.StringIO()
    call_command("generate", "--scale", "0.003", "--seed", "1", "--if-empty", stdout=out)  # the demo's call
    assert out.getvalue().startswith(f"  已有 {count:,} 人，跳过生成（")
    assert Person.objects.count() == count

    out = io.StringIO()
    call_command("generate", "--scale", "0.003", "--seed", "2", "--replace", "--json", stdout=out)
    data = json.loads(out.getvalue())
    event = AuditEvent.objects.filter(action=AuditAction.SYSTEM, object_type="registry").latest("id")
    assert event.extra["replaced"]["persons"] == count and event.extra["parameters"]["replace"] is True
    assert data["persons"] == Person.objects.count()
    assert data["households"] == Household.objects.count()
    assert data["memberships"] == HouseholdMembership.objects.count()
    assert set(data["disabled_by_grade"]) <= {"1", "2", "3", "4"}
    assert {"aged_60_plus", "aged_70_plus", "aged_80_plus", "aged_90_plus", "deceased", "seconds"} <= set(data)

    out = io.StringIO()
    call_command("generate", "--scale", "0.003", "--seed", "2", "--replace", stdout=out)
    assert "合成人口已生成" in out.getvalue() and "60岁以上" in out.getvalue()


def _schema(tables):
    with connection.cursor() as cursor:
        return {
            t: {
                name: (tuple(info["columns"]), info["unique"], info["index"], info["foreign_key"])
                for name, info in connection.introspection.get_constraints(cursor, t).items()
            }
            for t in tables
        }


def test_bulk_load_restores_the_schema_and_still_refuses_duplicates(db):
    """minzheng.core.bulk drops indexes/constraints for the load: they must all come back,
    and a duplicate blind index must still fail the load (at the row or at the rebuild)."""
    tables = [m._meta.db_table for m in (Person, Household, HouseholdMembership)]
    before = _schema(tables)
    generate_district(scale=0.002, seed=5)
    assert _schema(tables) == before

    start = max_id(Person) + 1
    row = dict(
        id_number_encrypted="x", id_number_index="dup" * 4, id_number_masked="", name="测试", sex="M",
        birth_date=dt.date(1990, 1, 1), division_code="500102006001", hukou_division_code="500102006001",
        hukou_type="resident",
    )
    columns = ["id", *row]
    with pytest.raises(IntegrityError):
        with transaction.atomic(), bulk_load_tables(Person):
            bulk_insert(Person, columns, [(start, *row.values()), (start + 1, *row.values())])
    assert _schema(tables) == before
    assert not Person.objects.filter(id_number_index="dup" * 4).exists()


def test_a_large_district_is_built_and_written_in_batches(db, monkeypatch):
    """Above BATCH_SCALE the generator builds and writes one batch at a time (memory holds one
    batch), each a district's draw on the same villages; ID numbers stay unique across them."""
    monkeypatch.setattr(generate_module, "BATCH_SCALE", 0.002)
    assert batch_scales(0.005) == [0.005 / 3] * 3
    assert batch_scales(0.004) == [0.002, 0.002]
    villages = villages_from_directory()
    first = build_population(villages, scale=0.002, seed=SEED)
    second = build_population(villages, scale=0.002, seed=SEED, batch=1, id_sequences_taken=first.id_sequences_taken)

    messages = []
    summary = generate_district(scale=0.004, seed=SEED, progress=lambda m, f: messages.append((m, f)))
    assert any(m.startswith("第1/2批：") for m, _ in messages) and any(m.startswith("第2/2批：") for m, _ in messages)
    fractions = [f for _, f in messages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0

    # batch 0 is the one-batch district of half the scale, batch 1 follows it in id order
    assert summary.persons == first.persons.height + second.persons.height == Person.objects.count()
    assert summary.households == first.households.height + second.households.height == Household.objects.count()
    names = list(Person.objects.order_by("id").values_list("name", "birth_date"))
    assert names == list(first.persons.select("name", "birth_date").iter_rows()) + list(
        second.persons.select("name", "birth_date").iter_rows()
    )
    assert summary.living == Person.objects.filter(is_deceased=False).count()
    # every ID number once (the blind index is unique), each village holds people of both batches
    assert Person.objects.values("id_number_index").distinct().count() == summary.persons
    second_start = Person.objects.order_by("id").values_list("id", flat=True)[first.persons.height]
    both = set(Person.objects.filter(id__lt=second_start).values_list("division_code", flat=True).distinct()) & set(
        Person.objects.filter(id__gte=second_start).values_list("division_code", flat=True).distinct()
    )
    assert len(both) == len(villages)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM registry_household h
            WHERE h.member_count <> (SELECT COUNT(*) FROM registry_householdmembership m
                                     WHERE m.household_id = h.id AND m.valid_to IS NULL)
            """
        )
        assert cursor.fetchone()[0] == 0


def test_id_numbers_continue_after_an_earlier_batch(db):
    """The same draws twice: without the counts of the first batch every ID number would
    repeat; with them, none does."""
    villages = villages_from_directory()
    first = build_population(villages, scale=0.002, seed=SEED)
    again = build_population(villages, scale=0.002, seed=SEED, id_sequences_taken=first.id_sequences_taken)
    assert again.persons["birth_date"].equals(first.persons["birth_date"])
    # a later batch is as reproducible as the first: the same arguments, the same frames
    cols = ["name", "birth_date", "id_number", "phone"]
    twice = build_population(villages, scale=0.002, seed=SEED, id_sequences_taken=first.id_sequences_taken)
    assert twice.persons.select(cols).equals(again.persons.select(cols))
    assert not set(again.persons["id_number"]) & set(first.persons["id_number"])
    for number in again.persons["id_number"].head(200):
        assert number[17] == check_digit(number[:17])
    # a third batch with other draws: the counts still hold every group of the first
    other = build_population(villages, scale=0.001, seed=SEED, batch=2, id_sequences_taken=again.id_sequences_taken)
    group = ["id_area", "_birth8", "male"]
    merged = first.id_sequences_taken.join(other.id_sequences_taken, on=group, how="left", suffix="_after")
    assert merged["_taken_after"].null_count() == 0
    assert (merged["_taken_after"] >= 2 * merged["_taken"]).all()


def test_the_scale_has_a_ceiling(db):
    with pytest.raises(CommandError, match="规模应大于0且不超过10"):
        call_command("generate", "--scale", "10.5", stdout=io.StringIO())
    assert not Person.objects.exists()
