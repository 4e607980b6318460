"""疑点清单 and screening results download as xlsx with the screen's filters, scoped, with ID
numbers full only for roles that may reveal them, and every export audited."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from minzheng.core.crypto import decrypt_text
from minzheng.core.models import AuditEvent
from minzheng.screening.exports import DISCREPANCY_COLUMNS
from minzheng.screening.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_discrepancy_list_downloads_scoped_and_masked_for_a_village_worker(logged_in, village_worker, screened, poor_households):
    a, _b, _c = poor_households
    rows = sheet(logged_in(village_worker).get("/screening/discrepancies/export.xlsx", {"period": PERIOD}))
    assert rows[0] == [col.header for col in DISCREPANCY_COLUMNS]
    body = rows[1:]
    assert {r[4] for r in body} == {a.head.name}  # only the worker's own community
    assert all("*" in r[3] for r in body)  # masked: a village worker may not reveal ID numbers
    dibao = next(r for r in body if r[1] == "低保")
    assert dibao[0] == "疑似漏保" and isinstance(dibao[7], float) and dibao[8] == ""
    event = AuditEvent.objects.get(action="export", object_type="screening_run")
    assert event.extra["rows"] == len(body) and event.extra["full_id_numbers"] is False
    assert event.username == village_worker.username


def test_discrepancy_list_for_district_staff_has_full_numbers_and_applies_filters(logged_in, district_staff, screened, poor_households):
    a, b, c = poor_households
    client = logged_in(district_staff)
    rows = sheet(client.get("/screening/discrepancies/export.xlsx", {"period": PERIOD, "kind": "missed", "program": "dibao"}))
    assert sorted(r[4] for r in rows[1:]) == sorted(h.head.name for h in (a, b, c))
    assert {r[1] for r in rows[1:]} == {"低保"}
    full = {decrypt_text(h.head.id_number_encrypted) for h in (a, b, c)}
    assert {r[3] for r in rows[1:]} == full
    assert AuditEvent.objects.get(action="export").extra["full_id_numbers"] is True
    empty = sheet(client.get("/screening/discrepancies/export.xlsx", {"period": PERIOD, "kind": "deceased_enrolled"}))
    assert empty[1][0] == "没有符合条件的疑点"
    assert client.get("/screening/discrepancies/export.xlsx", {"period": "2020-01"}).status_code == 404


def test_screening_results_download_with_a_total_row(logged_in, district_staff, village_worker, screened, poor_households):
    a, b, c = poor_households
    rows = sheet(logged_in(district_staff).get("/screening/results.xlsx", {"period": PERIOD, "division": "500102"}))
    body, total = rows[1:-1], rows[-1]
    assert {r[0] for r in body} == {h.head.name for h in (a, b, c)}
    amounts = [r[8] for r in body if r[8] != ""]
    assert amounts and all(isinstance(x, float) for x in amounts)
    assert total[0] == "合计" and total[8] == pytest.approx(sum(amounts))
    mine = sheet(logged_in(village_worker).get("/screening/results.xlsx", {"period": PERIOD, "division": "500102"}))
    assert {r[0] for r in mine[1:-1]} == {a.head.name}


def test_the_lists_link_to_their_downloads(logged_in, district_staff, screened):
    client = logged_in(district_staff)
    page = client.get("/screening/discrepancies/", {"period": PERIOD, "kind": "missed"}).content.decode()
    assert "/screening/discrepancies/export.xlsx?period=2026-11&amp;division=500102&amp;kind=missed" in page
    page = client.get("/screening/", {"period": PERIOD}).content.decode()
    assert "/screening/results.xlsx?period=2026-11" in page
