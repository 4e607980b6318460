"""Services other lines call on assistance's tables and facilities (they never import its models).

The synthetic demo roster of rules and screening (screening/seeding.py) writes tens of thousands
of enrolments in one statement; it asks here for the ids and the insert. The 低收入人口 line
(lowincome) uses the economic check and the payroll's 价格临时补贴 batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from django.db import connection

from minzheng.assistance.economic import CheckReport, build_check_report
from minzheng.assistance.engine import parameter
from minzheng.assistance.exits import register_exit_handler  # noqa: F401  (for the lines paid on a 低保/特困 basis)
from minzheng.assistance.facts import household_facts
from minzheng.assistance.models import Enrolment, PaymentBatch
from minzheng.assistance.payroll import BatchSummary, run_price_subsidy_payroll
from minzheng.core import clock
from minzheng.core.bulk import bulk_insert, max_id, reset_sequences


@contextmanager
def roster_insertion() -> Iterator[int]:
    """Inside the caller's transaction: lock the enrolment table (PostgreSQL) and give the first
    free id, so the caller can number its rows before ``insert_roster_rows``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Enrolment._meta.db_table)} IN EXCLUSIVE MODE")
    yield max_id(Enrolment) + 1


def insert_roster_rows(table: pl.DataFrame) -> None:
    """Insert enrolment rows (columns named as the model's fields, ids included) in bulk and move
    the id sequence past them."""
    bulk_insert(Enrolment, table.columns, table)
    reset_sequences(Enrolment)


def economic_check(*, household, zone: str, division_code: str, period: str) -> tuple[CheckReport, dict]:
    """家庭经济状况核对 of a household as casework does it: the registry's declared figures
    overlaid with the departments' data (each figure with its source), and the rules engine's
    facts built from them."""
    rate = parameter("dibao.income.employment_cost_deduction_rate", clock.today())
    report = build_check_report(household=household, person=None, deduction_rate=rate)
    facts = household_facts(
        period=period, household=household, zone=zone, division_code=division_code, overrides=report.overrides
    )
    return report, facts


def prepare_price_subsidy_batch(
    actor, *, period: str, urban_fen: int, rural_fen: int, recipient_programs: tuple[str, ...]
) -> BatchSummary:
    """The month's 价格临时补贴 batch through the payroll (see payroll.run_price_subsidy_payroll)."""
    return run_price_subsidy_payroll(
        actor, period=period, urban_fen=urban_fen, rural_fen=rural_fen, recipient_programs=recipient_programs
    )


def price_subsidy_batch(period: str) -> PaymentBatch | None:
    return PaymentBatch.objects.filter(program="price_subsidy", period=period).first()
