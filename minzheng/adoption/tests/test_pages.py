"""The adoption screens, PDFs and API: scoped (another town 404, a role without the permission
403), audited, Chinese, masked IDs; the certificate and the refusal decision read back."""

from __future__ import annotations

import pytest

from minzheng.adoption import actions
from minzheng.adoption.enums import Status
from minzheng.adoption.models import Adoption
from minzheng.adoption.tests.conftest import apply, assessment
from minzheng.api.auth import issue_token
from minzheng.assistance.tests.pdftext import pdf_text
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    token, _ = issue_token(user)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def registered(staff, couple, orphan):
    husband, wife = couple
    a = apply(staff.district, orphan, husband, wife)
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    a = actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment())
    return actions.do_register_adoption(staff.district, a, expected_version=a.version)


def test_the_certificate_prints_the_registration(client, staff, registered, couple, orphan):
    husband, wife = couple
    client.force_login(staff.district_user)
    r = client.get(f"/adoption/{registered.pk}/certificate.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "".join(pdf_text(r.content).split())
    assert "收养登记证" in text and registered.certificate_number in text
    for p in (husband, wife, orphan):
        assert p.name in text and p.id_number_masked in text
    assert "丧失父母的孤儿" in text and "2026年12月4日" in text and "重庆市涪陵区民政局" in text
    assert "王婆婆" not in text  # the placing party is not printed
    assert AuditEvent.objects.filter(action="print", object_type="adoption", object_id=str(registered.pk)).count() == 1
    # the assessment report too
    s = registered.assessments.get()
    text = "".join(pdf_text(client.get(f"/adoption/assessments/{s.pk}/report.pdf").content).split())
    assert "收养评估报告" in text and "适合收养" in text and "赵敏、钱进" in text and "收养动机良好" in text


def test_the_refusal_decision_names_every_unmet_condition(client, staff, person, orphan):
    young = person("周小军", "19990101", male=True)
    a = apply(staff.district, orphan, young)
    a = actions.do_accept_adoption(staff.district, a, expected_version=a.version)
    a = actions.do_record_assessment(staff.district, a, expected_version=a.version, data=assessment())
    a = actions.do_refuse_adoption(staff.district, a, expected_version=a.version)
    client.force_login(staff.district_user)
    assert client.get(f"/adoption/{a.pk}/certificate.pdf").status_code == 409
    text = "".join(pdf_text(client.get(f"/adoption/{a.pk}/refusal.pdf").content).split())
    assert "不予办理收养登记决定书" in text
    assert "收养人周小军年满30周岁" in text and "周小军27周岁，须年满30周岁" in text
    assert "无配偶者收养异性子女，年龄相差40周岁以上" in text and "收养人与被收养人年龄相差21周岁，须相差40周岁以上" in text
    page = client.get(f"/adoption/{a.pk}/").content.decode()
    assert "收养人周小军年满30周岁" in page and "打印不予办理收养登记决定书" in page


def test_pages_are_scoped_and_audited(client, staff, registered, orphan):
    a = registered
    client.force_login(staff.other_town_user)
    for url in (f"/adoption/{a.pk}/", f"/adoption/{a.pk}/certificate.pdf"):
        assert client.get(url).status_code == 404
    assert orphan.name not in client.get("/adoption/list/").content.decode()
    assert client.post(f"/adoption/{a.pk}/dissolve/", {"version": a.version, "ground": "agreement", "reason": "x"}).status_code == 404
    assert 'id="count-registered">0 件' in client.get("/adoption/").content.decode()
    client.force_login(staff.village_user)
    assert client.get("/adoption/").status_code == 403
    assert client.get(f"/adoption/{a.pk}/").status_code == 403
    client.force_login(staff.town_user)
    views = AuditEvent.objects.filter(action="view", object_type="adoption").count()
    page = client.get(f"/adoption/{a.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="view", object_type="adoption").count() == views + 1
    assert orphan.id_number_masked in page and "登记回访" in page
    for bad in ("None", "adopter_has_spouse", "adoption.case", orphan.id_number_masked[:6] + orphan.id_number_masked[-4:]):
        assert bad not in page
    assert 'id="count-registered">1 件' in client.get("/adoption/").content.decode()
    assert client.post(f"/adoption/{a.pk}/dissolve/", {"version": a.version, "ground": "agreement", "reason": "x"}).status_code == 403


def test_the_api_is_scoped(client, staff, registered):
    a = registered
    r = client.get(f"/api/v1/adoption/adoptions/{a.pk}", headers=bearer(staff.district_user))
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["certificate_number"], body["child_id_number_masked"]) == ("registered", a.certificate_number, a.child.id_number_masked)
    assert body["adopters"] == ["李建国", "陈秀英"] and all(c["passed"] for c in body["conditions"])
    assert client.get(f"/api/v1/adoption/adoptions/{a.pk}", headers=bearer(staff.other_town_user)).status_code == 404
    assert client.get("/api/v1/adoption/adoptions", headers=bearer(staff.other_town_user)).json() == []
    assert [x["id"] for x in client.get("/api/v1/adoption/adoptions", headers=bearer(staff.town_user)).json()] == [a.pk]
    assert client.get(f"/api/v1/adoption/adoptions/{a.pk}", headers=bearer(staff.village_user)).status_code == 403
    assert client.get("/api/v1/adoption/counts", headers=bearer(staff.town_user)).json()["registered"] == 1
    assert client.get("/api/v1/adoption/counts", headers=bearer(staff.other_town_user)).json()["registered"] == 0
    pdf = client.get(f"/api/v1/adoption/adoptions/{a.pk}/certificate.pdf", headers=bearer(staff.district_user))
    assert pdf.status_code == 200 and a.certificate_number in "".join(pdf_text(pdf.content).split())


def test_the_application_form_shows_errors_next_to_the_fields_and_writes_nothing(client, staff, couple, orphan, person):
    husband, wife = couple
    stranger = person("外镇人", "19800101", division="500102119001")
    client.force_login(staff.district_user)
    assert client.get("/adoption/new/").status_code == 200
    r = client.post("/adoption/new/", {"child": stranger.pk, "adopter": husband.pk, "kind": "", "placer": "guardian", "placer_name": "",
                                       "birth_children": "0", "adopted_children": "0"})  # fmt: skip
    assert r.status_code == 400
    page = r.content.decode()
    assert "此项为必填项" in page and Adoption.objects.count() == 0
    r = client.post("/adoption/new/", {
        "child": orphan.pk, "adopter": husband.pk, "co_adopter": wife.pk, "adopter_has_spouse": "on", "kind": "orphan",
        "placer": "guardian", "placer_name": "王婆婆", "birth_children": "0", "adopted_children": "0", "placer_agrees": "on",
        "documents": ["application", "adopter_id"],
    })  # fmt: skip
    a = Adoption.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/adoption/{a.pk}/"
    # 受理 without the papers: the kit's message, 422, nothing written.
    assert "当前环节：待受理。下一步：由区民政局科室人员办理“受理”。" in client.get(f"/adoption/{a.pk}/").content.decode()
    r = client.post(f"/adoption/{a.pk}/accept/", {"version": a.version})
    assert r.status_code == 422 and "办理“受理”前须上传：收养人婚姻状况证明" in r.content.decode()
    assert Adoption.objects.get().status == Status.APPLIED
    # A stale page.
    r = client.post(f"/adoption/{a.pk}/accept/", {"version": a.version + 5})
    assert r.status_code == 409 and "该收养登记申请已被其他用户处理，请刷新后重试" in r.content.decode()
    # The town officer may not take the step.
    client.force_login(staff.town_user)
    r = client.post(f"/adoption/{a.pk}/accept/", {"version": a.version})
    assert r.status_code == 403 and "您的角色无权执行“受理”" in r.content.decode()
    assert Adoption.objects.get().version == a.version

