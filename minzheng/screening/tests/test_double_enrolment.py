"""重复保障: a person enrolled both in 特困 and, through the household, in 低保 (compare.py).
Hand-made frames, so that the rule is checked apart from the seeder that also uses it."""

from __future__ import annotations

import polars as pl

from minzheng.screening.compare import ENROLMENT_SCHEMA, double_enrolments

VILLAGE = "500102006001"


def _enrolments(rows):
    full = [
        {
            "enrolment_id": r[0], "program": r[1], "subject_kind": r[2], "subject_id": r[3],
            "enrolled_amount_fen": 0, "status": r[4], "enrolment_division_code": VILLAGE,
            "enrolment_household_id": None, "enrolment_person_id": None,
            "subject_deceased": False, "payee_deceased": False, "people_covered": r[5],
        }
        for r in rows
    ]  # fmt: skip
    return pl.DataFrame(full, schema=ENROLMENT_SCHEMA)


# Household 1: grandmother 11 (特困) + son 12 + grandchild 13. Household 2: 21 (特困) + 22.
# Household 3: 31 alone, 特困. Household 4: 41 + 42, nobody 特困.
MEMBERS = pl.DataFrame(
    {"household_id": [1, 1, 1, 2, 2, 3, 4, 4], "member_id": [11, 12, 13, 21, 22, 31, 41, 42]},
    schema={"household_id": pl.Int64, "member_id": pl.Int64},
)


def test_a_tekun_member_counted_in_the_households_dibao_is_reported_once():
    enrolments = _enrolments(
        [
            (101, "dibao", "household", 1, "active", 3),  # counts the grandmother: twice
            (102, "tekun", "person", 11, "active", 1),
            (201, "dibao", "household", 2, "active", 1),  # counts only 22: right
            (202, "tekun", "person", 21, "active", 1),
            (301, "dibao", "household", 3, "active", 1),  # a 特困 person alone on 低保 too: twice
            (302, "tekun", "person", 31, "active", 1),
            (401, "dibao", "household", 4, "active", 2),  # nobody 特困: right
        ]
    )

    found = double_enrolments(enrolments, MEMBERS).sort("subject_id")

    assert found.rows() == [
        ("double_enrolment", "dibao", "person", 11, 1, 11, VILLAGE, None, None, 101),
        ("double_enrolment", "dibao", "person", 31, 3, 31, VILLAGE, None, None, 301),
    ]


def test_suspended_enrolments_and_enrolments_of_other_households_are_not_double():
    enrolments = _enrolments(
        [
            (101, "dibao", "household", 1, "suspended", 3),
            (102, "tekun", "person", 11, "active", 1),
            (201, "dibao", "household", 2, "active", 2),
            (202, "tekun", "person", 11, "active", 1),  # 11 is not a member of household 2
            (301, "dibao", "household", 3, "active", 1),
            (302, "tekun", "person", 31, "suspended", 1),
        ]
    )

    assert double_enrolments(enrolments, MEMBERS).height == 0
