"""The registrar's screens: the walk from booking to the certificate PDF read back; the marital
status on the person page; the API; another role is refused each write; the leader sees the
statistics only."""

import datetime as dt
import io

import openpyxl
import pytest

from minzheng.accounts.roles import Role
from minzheng.api.auth import issue_token
from minzheng.assistance.tests.pdftext import pdf_text
from minzheng.core.models import AuditEvent
from minzheng.marriage import actions
from minzheng.marriage.models import Appointment, Marriage

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:

    token, _ = issue_token(user)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def registrar_user(make_user):

    return make_user(Role.MARRIAGE_REGISTRAR, "500102", username="registrar_page")


def test_book_register_and_download_the_certificate(client, registrar_user, actor_of, couple):
    client.force_login(registrar_user)
    actor = actor_of(registrar_user)
    office = actions.do_create_office(actor, name="涪陵区婚姻登记处")
    (slot,) = actions.do_open_slots(actor, office, day=dt.date(2026, 12, 4), times=[(dt.time(9), dt.time(10))], capacity=1)
    r = client.post("/marriage/appointments/", {"slot": slot.pk, "kind": "marriage", "man_name": "王建国", "woman_name": "李秀英", "phone": ""})
    assert r.status_code == 302
    appointment = Appointment.objects.get()
    r = client.post("/marriage/appointments/", {"slot": slot.pk, "kind": "marriage", "man_name": "赵一", "woman_name": "钱二"})
    assert r.status_code == 400 and "该时段已约满，请选择其他时段" in r.content.decode()
    assert "王建国" in client.get("/marriage/counter/").content.decode()
    man, woman = couple
    r = client.post("/marriage/marriages/new/", {"man_person": man.pk, "woman_person": woman.pk, "man_prior": "single", "woman_prior": "single",
                                                 "both_present": "on", "voluntary": "on", "declaration_signed": "on", "no_prohibited_relation": "on",
                                                 "appointment": appointment.pk})  # fmt: skip
    assert r.status_code == 302
    m = Marriage.objects.get()
    assert Appointment.objects.get().status == "arrived"
    page = client.get(f"/marriage/marriages/{m.pk}/").content.decode()
    assert "✓ 男方达到法定婚龄（民法典第一千零四十七条）：男方28周岁，法定婚龄22周岁" in page
    assert client.post(f"/marriage/marriages/{m.pk}/register/", {"version": m.version}).status_code == 302
    m.refresh_from_db()
    pdf = client.get(f"/marriage/marriages/{m.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "结婚登记证书记录" in text and m.certificate_number in text and "王建国" in text and m.man_id_masked in text
    person_page = client.get(f"/persons/{man.pk}/").content.decode()
    assert "婚姻状况（本处登记）：已婚" in person_page and "配偶：李秀英" in person_page
    api = client.get(f"/api/v1/marriage/marriages/{m.pk}", headers=bearer(registrar_user))
    assert api.status_code == 200 and api.json()["certificate_number"] == m.certificate_number
    stats = client.get("/api/v1/marriage/stats?period=2026", headers=bearer(registrar_user)).json()
    assert (stats["counts"]["marriages"], stats["cross_province"]) == (1, {"numerator": 0, "denominator": 1, "rate": "0.0"})


def test_entered_id_error_shows_next_to_the_field(client, registrar_user, couple):
    client.force_login(registrar_user)
    man, _ = couple
    r = client.post("/marriage/marriages/new/", {"man_person": man.pk, "woman_name": "陈静", "woman_id_number": "123", "man_prior": "single", "woman_prior": "single"})
    assert r.status_code == 400 and "身份证号码应为18位（或旧式15位），当前为3位" in r.content.decode()
    assert Marriage.objects.count() == 0


@pytest.mark.parametrize(("role", "code"), [("town_officer", "500102006"), ("village_worker", "500102006001"), ("district_staff", "500102"), ("district_leader", "500102")])
def test_other_roles_are_refused_each_write(client, make_user, registrar_user, actor_of, married, role, code):
    client.force_login(make_user(role, code))
    for url, data in (
        ("/marriage/marriages/new/", {}),
        (f"/marriage/marriages/{married.pk}/refuse/", {"version": married.version}),
        ("/marriage/divorces/new/", {}),
        ("/marriage/appointments/slots/", {}),
    ):
        assert client.post(url, data).status_code in (403, 404), url
    assert client.post("/marriage/appointments/", {}).status_code == 403 if role in ("district_staff",) else True
    assert Marriage.objects.get(pk=married.pk).status == "registered"


def test_leader_sees_stats_but_no_records(client, make_user, married):
    leader = make_user("district_leader", "500102")
    client.force_login(leader)
    home = client.get("/marriage/")
    assert home.status_code == 200 and "王建国" not in home.content.decode()
    assert client.get("/marriage/stats/").status_code == 200
    assert client.get(f"/marriage/marriages/{married.pk}/").status_code in (403, 404)
    assert client.get(f"/api/v1/marriage/marriages/{married.pk}", headers=bearer(leader)).status_code == 403
    assert client.get("/api/v1/marriage/stats?period=2026", headers=bearer(leader)).json()["counts"]["marriages"] == 1


def test_the_daily_register_exports_masked_and_audited_and_refuses_bad_dates(client, registrar_user, married):
    client.force_login(registrar_user)
    assert "婚姻登记日志" in client.get("/marriage/counter/").content.decode()
    response = client.get("/marriage/register.xlsx?from=2026-12-01&to=2026-12-04")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["登记日期", "事项", "证件字号", "男方", "男方身份证号码", "女方", "女方身份证号码", "跨省通办"]
    assert rows[1][1:] == ["结婚登记", married.certificate_number, "王建国", married.man_id_masked, "李秀英", married.woman_id_masked, "否"]
    assert len(rows) == 2 and "*" in rows[1][4] and "*" in rows[1][6]
    assert AuditEvent.objects.filter(action="export", summary="导出婚姻登记日志 2026-12-01 至 2026-12-04，1 条").count() == 1
    empty = openpyxl.load_workbook(io.BytesIO(client.get("/marriage/register.xlsx?from=2026-11-01&to=2026-11-30").content)).active
    assert [[c.value for c in row] for row in empty.iter_rows()][1][0] == "所选日期内没有婚姻登记"
    for query, message in (("from=2026-13-01", "开始日期应为“年-月-日”，如 2026-12-01"), ("to=0001-01-01", "结束日期0001-01-01不合理，请核对"), ("from=2026-12-05&to=2026-12-01", "结束日期不能早于开始日期")):
        bad = client.get(f"/marriage/register.xlsx?{query}")
        assert bad.status_code == 400 and message in bad.content.decode()


def test_every_view_of_a_marriage_record_is_audited(client, registrar_user, married):
    client.force_login(registrar_user)
    before = AuditEvent.objects.filter(object_type="marriage", object_id=str(married.pk), action="view").count()
    client.get(f"/marriage/marriages/{married.pk}/")
    client.get(f"/api/v1/marriage/marriages/{married.pk}", headers=bearer(registrar_user))
    assert AuditEvent.objects.filter(object_type="marriage", object_id=str(married.pk), action="view").count() == before + 2


def test_a_village_worker_cannot_export_the_register(client, make_user, married):
    client.force_login(make_user("village_worker", "500102006001"))
    assert client.get("/marriage/register.xlsx").status_code == 403
