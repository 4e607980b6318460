"""The API keeps its own document (issue 20 item 4): schemathesis generates requests from the
OpenAPI document — valid ones and ones the document forbids — and sends them in process to the
WSGI application as district staff; every answer must pass schemathesis's checks: no server
error, a status the document declares for the operation, the declared content type, a body that
validates against the declared schema, a request the document forbids refused (4xx) and one it
allows not refused as invalid.

Bounded: a few examples per operation (``EXAMPLES``), derandomized (the same requests every
run), no shrinking, no example database. The data: a household in each of two towns.
Operations that write are run too (the examples are mostly refused at validation; what is
accepted is written in the test's transaction and rolled back).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from minzheng.accounts.models import Role
from minzheng.api.auth import issue_token
from minzheng.core import clock
from minzheng.core.api_fields import FORMATS
from minzheng.core.idnumber import check_digit
from minzheng.divisions.directory import get_directory
from minzheng.divisions.outline import district_bbox
from minzheng.rules import load_parameters

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 8
# positive_data_acceptance ("a request the document allows is accepted") runs on every operation
# but these, whose bodies carry rules between fields or between a field and the data, which
# JSON Schema cannot state (each is refused with 422 naming the field, tested by name in its line):
POSITIVE_CHECK_LEFT_OUT = {
    "POST /api/v1/rules/evaluate": "facts contract: disability grade 0 ⇔ no category; birth date not after the period",
    "POST /api/v1/rules/simulate": "each parameter key takes its own kind of value (an amount, a ratio, a count)",
    "POST /api/v1/exchange/feeds/{kind}": "the columns of a row are the feed kind's (GET /api/v1/exchange/feeds lists them)",
    "POST /api/v1/referrals/": "the receiving unit must take the referral's kind; the person must belong to the household",
    "POST /api/v1/lowincome/district-figures": "the document's date must follow the start of the statistical year",
    "POST /api/v1/disability/applications": "a certificate number is the person's ID number with the category and grade digits",
}
# Operations left out of the fuzz, each with the reason (covered elsewhere by name).
LEFT_OUT = {
    "POST /api/v1/auth/token": "logs in with a password: the lockout would lock the test's user (test_sessions.py)",
}


@pytest.fixture
def connection_kept():
    """The WSGI application closes the database connection when a request ends (Django's
    request signals), which on PostgreSQL would end the test's transaction; Django's test
    client holds the signals off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def register_formats() -> None:
    """A generator for each named format of the document (core.api_fields.FORMATS): what a
    pattern cannot say — a division in force, an ID number's check digit, a date not after
    today — generated as a client would fill it."""
    divisions = get_directory()
    villages = [d.code for d in divisions.villages("500102")]
    towns = sorted(d.code for d in divisions.towns())
    today = clock.today()
    x0, y0, x1, y1 = district_bbox()
    coverage = load_parameters().coverage
    first, last = coverage.first.start, coverage.last.end
    strategies = {
        "village-code": st.sampled_from(villages),
        "town-or-village-code": st.sampled_from(towns + villages),
        "cn-id-number": st.builds(
            lambda birth, seq: (lambda first17: first17 + check_digit(first17))(f"500102{birth:%Y%m%d}{seq:03d}"),
            st.dates(dt.date(1930, 1, 1), today),
            st.integers(0, 999),
        ),
        "past-date": st.dates(dt.date(2000, 1, 1), today).map(dt.date.isoformat),
        "covered-month": st.dates(first, last).map(lambda d: f"{d:%Y-%m}"),
        "past-month": st.dates(first, min(last, today)).map(lambda d: f"{d:%Y-%m}"),
        "district-longitude": st.decimals(Decimal(str(x0)), Decimal(str(x1)), places=6).map(str),
        "district-latitude": st.decimals(Decimal(str(y0)), Decimal(str(y1)), places=6).map(str),
    }
    assert set(strategies) == set(FORMATS), "every format of the document has a generator here"
    for name, strategy in strategies.items():
        schemathesis.openapi.format(name, strategy)


def test_every_operation_keeps_to_the_document(make_household, make_user, connection_kept):
    register_formats()
    make_household("500102006001", names=("张建国", "李秀英"))
    make_household("500102119001", names=("王明", "赵丽"))
    user = make_user(Role.DISTRICT_STAFF, "500102", username="schema_fuzz_district")
    headers = {"Authorization": f"Bearer {issue_token(user)[0]}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label in LEFT_OUT:
            continue
        operations += 1
        excluded = [positive_data_acceptance] if label in POSITIVE_CHECK_LEFT_OUT else []

        @hypothesis.settings(
            max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failing operation is reported
            failures.append(f"{label}: {str(exc)[:600]}")
    assert operations > 100
    assert failures == [], "\n\n".join(failures)
