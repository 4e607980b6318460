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

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from minzheng.accounts.models import Role
from minzheng.api.auth import issue_token

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 8
# positive_data_acceptance (“a request the document allows is not refused”) is left out: the
# document states each parameter's type, but not the rules that depend on data or on the
# user — a division code that exists and is within the user's divisions, a month inside the
# parameters' coverage, a status among those of the line — and those requests are refused with
# 422 naming the field, which that check counts as a failure (69 operations on 2026-12-05, all
# of this kind: docs/hardening.md). Every other check runs.
EXCLUDED_CHECKS = [positive_data_acceptance]
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


def test_every_operation_keeps_to_the_document(make_household, make_user, connection_kept):
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

        @hypothesis.settings(
            max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failing operation is reported
            failures.append(f"{label}: {str(exc)[:600]}")
    assert operations > 100
    assert failures == [], "\n\n".join(failures)
