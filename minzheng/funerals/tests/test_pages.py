"""The funeral screens and API: a walk through the steps, refusals with the right status and
nothing written (another town 404, a role without the permission 403, bad input 422 next to the
field, a stale page 409), the public memorial page, the daily register and the monthly report
(xlsx read back, PDF)."""

from __future__ import annotations

import io

import openpyxl

from minzheng.api.auth import issue_token
from minzheng.funerals import actions
from minzheng.funerals.models import FuneralRecord, Plot
from minzheng.funerals.tests.conftest import D, enrol_tekun, notify, through_cremation
from minzheng.registry.actions import do_report_death


def post_step(client, record, step, **data):
    return client.post(f"/funerals/records/{record.pk}/{step}/", {"version": record.version, **data})


def test_a_record_walked_through_the_screens(client, staff, deceased, home, public_cemetery):
    client.force_login(staff.village_user)
    response = client.get(f"/funerals/records/?q={deceased.name}")
    assert response.status_code == 200 and f"/funerals/records/new/{deceased.pk}/" in response.text
    response = client.post(f"/funerals/records/new/{deceased.pk}/", {
        "source": "family", "death_date": "2026-11-30", "death_place": "家中", "contact_name": "郑大",
        "contact_phone": "13800001111", "funeral_home": str(home.pk),
    })  # fmt: skip
    record = FuneralRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/funerals/records/{record.pk}/"
    page = client.get(response["Location"]).text
    assert "已登记报丧" in page and "138****1111" in page and deceased.id_number_masked in page
    assert "13800001111" not in page and "None" not in page
    assert 'id="step-transport"' not in page  # the village does not transport
    client.force_login(staff.district_user)
    assert post_step(client, record, "transport", transported_on="2026-12-01", funeral_home=str(home.pk)).status_code == 302
    record.refresh_from_db()
    response = post_step(client, record, "cremate", cremated_on="2026-11-29", certificate_no="HH9")
    assert response.status_code == 422 and "火化日期不能早于死亡日期（2026-11-30）" in response.text
    record.refresh_from_db()
    assert record.status == "transported"
    assert post_step(client, record, "cremate", cremated_on="2026-12-02", certificate_no="HH9").status_code == 302
    record.refresh_from_db()
    assert "已报送，待村（社区）核实" in client.get(f"/funerals/records/{record.pk}/").text
    plot = Plot.objects.get(number="S-01")
    client.force_login(staff.village_user)
    response = post_step(client, record, "inter", interred_on="2026-12-03", cemetery=str(public_cemetery.pk), plot=str(plot.pk))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "interred" and record.eco_burial
    stale = client.post(f"/funerals/records/{record.pk}/services/", {"version": record.version - 1, "storage_days": "1"})
    assert stale.status_code == 409


def test_screens_refuse_with_the_right_status_and_write_nothing(client, staff, deceased, home):
    record = notify(staff.village, deceased, funeral_home=home)
    client.force_login(staff.other_town_user)
    assert client.get(f"/funerals/records/{record.pk}/").status_code == 404
    assert post_step(client, record, "transport", transported_on="2026-12-01", funeral_home=str(home.pk)).status_code == 404
    client.force_login(staff.village_user)
    response = post_step(client, record, "transport", transported_on="2026-12-01", funeral_home=str(home.pk))
    assert response.status_code == 403
    client.force_login(staff.leader_user)
    assert client.get(f"/funerals/records/new/{deceased.pk}/").status_code == 403
    record.refresh_from_db()
    assert record.status == "notified" and record.version == 1


def test_the_memorial_page_is_public_read_only_and_moderated(client, staff, deceased, home):
    record = through_cremation(staff, deceased, home)
    client.force_login(staff.village_user)
    response = post_step(client, record, "memorial", consent_by="郑大", consent_relation="儿子", epitaph="慈父千古")
    assert response.status_code == 302
    token = FuneralRecord.objects.get().memorial.token
    client.logout()
    page = client.get(f"/funerals/memorial/{token}/")
    assert page.status_code == 200 and "缅怀 郑特困" in page.text and "慈父千古" in page.text
    assert deceased.id_number_masked not in page.text
    assert client.post(f"/funerals/memorial/{token}/", {"author": "邻居", "text": "一路走好"}).status_code == 302
    assert "一路走好" not in client.get(f"/funerals/memorial/{token}/").text  # until approved
    assert client.get("/funerals/memorial/wrong-token/").status_code == 404


def test_the_register_and_the_monthly_report(client, staff, deceased, home, travel):
    enrol_tekun(deceased)
    through_cremation(staff, deceased, home)
    client.force_login(staff.district_user)
    page = client.get("/funerals/register/?day=2026-12-02").text
    assert "HH2026-0001" in page
    xlsx = client.get("/funerals/report.xlsx?month=2026-12")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    assert rows[0] == ["项目", "数量", "金额（元）"]
    assert rows[1:] == [
        ["报丧登记（人）", 1, None], ["火化（人）", 1, None], ["土葬（人）", 0, None], ["安葬（人）", 0, None],
        ["其中节地生态安葬（人）", 0, None], ["集中治丧（人）", 0, None], ["惠民殡葬减免（人）", 1, None],
        ["惠民殡葬减免金额（元）", None, 1170],
    ]
    pdf = client.get("/funerals/report.pdf?month=2026-12")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_api(client, staff, deceased, home, public_cemetery):
    record = notify(staff.village, deceased, funeral_home=home)

    def call(user, method, url, **data):
        token, _ = issue_token(user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if method == "get":
            return client.get(url, **headers)
        return client.post(url, data, content_type="application/json", **headers)

    rows = call(staff.village_user, "get", "/api/v1/funerals/records").json()
    assert [(r["number"], r["status"], r["deceased_id_number_masked"]) for r in rows] == [(record.number, "notified", deceased.id_number_masked)]
    assert call(staff.other_town_user, "get", f"/api/v1/funerals/records/{record.pk}").status_code == 404
    record = actions.do_transport_body(staff.district, record, expected_version=record.version, transported_on=D(2026, 12, 1), funeral_home=home)
    response = call(staff.district_user, "post", f"/api/v1/funerals/records/{record.pk}/cremate",
                    version=record.version, cremated_on="2026-11-01", certificate_no="HH")  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "cremated_on", "message": "火化日期不能早于死亡日期（2026-11-30）"}]
    response = call(staff.district_user, "post", f"/api/v1/funerals/records/{record.pk}/cremate",
                    version=record.version, cremated_on="2026-12-02", certificate_no="HH")  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "cremated" and response.json()["death_report_id"]
    body = response.json()
    plot = Plot.objects.get(number="S-01")
    response = call(staff.village_user, "post", f"/api/v1/funerals/records/{record.pk}/inter",
                    version=body["version"], interred_on="2026-12-03", cemetery_id=public_cemetery.pk, plot_id=plot.pk)  # fmt: skip
    assert response.status_code == 200 and response.json()["plot"] == "S-01" and response.json()["eco_burial"] is True
    indicators = call(staff.district_user, "get", "/api/v1/funerals/indicators?on=2026-12-04").json()
    assert indicators["15"]["numerator"] == 1 and indicators["15"]["denominator"] == 1


def test_a_death_from_the_feed_waits_for_its_funeral_record(client, staff, deceased, home):
    do_report_death(staff.district, person=deceased, death_date=D(2026, 11, 28), source="police", reference="数据交换批次1第2行")
    client.force_login(staff.village_user)
    page = client.get("/funerals/").text
    assert "部门推送的死亡信息" in page and deceased.id_number_masked in page and "2026-11-28死亡" in page
    form = client.get(f"/funerals/records/new/{deceased.pk}/").text
    assert 'value="2026-11-28"' in form and 'value="death_feed" selected' in form
    client.force_login(staff.other_village_user)
    assert "部门推送的死亡信息" not in client.get("/funerals/").text
    notify(staff.village, deceased, source="death_feed", death_date=D(2026, 11, 28))
    client.force_login(staff.village_user)
    assert "部门推送的死亡信息" not in client.get("/funerals/").text


def test_facility_page_files_plots_prices_and_closes_an_inspection(client, staff, public_cemetery):
    client.force_login(staff.town_user)
    url = f"/funerals/facilities/{public_cemetery.pk}/"
    response = client.post(url, {"form": "plots", "kind": "wall", "numbers": "W-01，W-02"})
    assert response.status_code == 422 and "超出公墓设计容量：设计4穴，已登记3穴，本次2穴" in response.text
    assert client.post(url, {"form": "plots", "kind": "wall", "numbers": "W-01"}).status_code == 302
    assert client.post(url, {"form": "inspection", "inspected_on": "2026-12-01", "findings": "台账不全"}).status_code == 302
    inspection = public_cemetery.inspections.get()
    page = client.get(url).text
    assert "2026-12-31" in page and "参数待确认" in page
    client.post(url, {"form": "close_inspection", "inspection": inspection.pk, "version": inspection.version, "rectification": "已补齐台账"})
    inspection.refresh_from_db()
    assert inspection.status == "closed"
    client.force_login(staff.other_town_user)
    assert client.get(url).status_code == 404
