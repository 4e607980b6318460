"""Issue 18 gap 1: an agency links to its registered social organisation (minzheng.sociorgs), found
by 统一社会信用代码 or name; a deregistered, revoked or seriously listed organisation is refused
with nothing written; another town's officer cannot link a 敦仁街道 agency; the agency page
shows the registration status."""

from __future__ import annotations

import pytest

from minzheng.core.audit import AuditEvent
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.socialwork import actions
from minzheng.socialwork.access import access_agency_by_id
from minzheng.socialwork.demo import seed_demo
from minzheng.socialwork.models import Agency
from minzheng.socialwork.tests.conftest import DADONGMEN, DUNREN, D
from minzheng.sociorgs.models import CreditListing, Organisation
from minzheng.sociorgs.tests.conftest import code


def _org(n: int, name: str, **over) -> Organisation:
    base = dict(name=name, credit_code=code("52", n), org_type="service", sector="community", division_code=DADONGMEN,
                legal_representative="张三", registered_capital_fen=3_000_000, registered_on=D(2019, 1, 1))  # fmt: skip
    return Organisation.objects.create(**{**base, **over})


def test_link_by_credit_code_or_name_and_refusals(staff, agency):
    live = _org(1, "涪陵区益心社会工作服务中心")
    gone = _org(2, "涪陵区旧社工中心", status="deregistered", ended_on=D(2024, 1, 1))
    _org(3, "涪陵区违规社工中心", status="revoked", ended_on=D(2024, 1, 1))
    listed = _org(4, "涪陵区失信社工中心")
    CreditListing.objects.create(organisation=listed, division_code=DADONGMEN, kind="serious", reason="虚假材料", listed_on=D(2025, 1, 1))
    expected = {
        gone.credit_code: "该社会组织已注销登记（涪陵区旧社工中心），不能关联",
        "涪陵区违规社工中心": "该社会组织已被撤销登记（涪陵区违规社工中心），不能关联",
        listed.credit_code: "该社会组织已列入严重违法失信名单（涪陵区失信社工中心），不能关联",
        "": "请填写统一社会信用代码或社会组织名称",
        "52500102MJ9999999X": "社会组织登记中没有该统一社会信用代码或名称",
    }
    for query, message in expected.items():
        with pytest.raises(ValidationFailed) as e:
            actions.do_link_agency(staff.town, agency, query=query)
        assert e.value.errors == {"query": message}
    assert Agency.objects.get(pk=agency.pk).organisation_id is None
    with pytest.raises(NotFound):  # 珍溪镇's officer does not see a 敦仁街道 agency
        access_agency_by_id(staff.other_town, agency.pk)
    with pytest.raises(NotFound):
        actions.do_link_agency(staff.other_town, agency, query=live.credit_code)
    assert AuditEvent.objects.filter(object_type="socialwork.agency", action="update").count() == 0
    linked = actions.do_link_agency(staff.town, agency, query=live.credit_code.lower())
    assert Agency.objects.get(pk=agency.pk).organisation_id == live.pk == linked.organisation_id
    actions.do_link_agency(staff.town, agency, query="涪陵区益心社会工作服务中心")  # by exact name: the same one
    assert Agency.objects.get(pk=agency.pk).organisation_id == live.pk
    other = actions.do_register_agency(staff.town, name="另一机构", registration_no="R-2", division_code=DUNREN, registered_on=D(2020, 1, 1))
    with pytest.raises(ValidationFailed) as e:
        actions.do_link_agency(staff.town, other, query=live.credit_code)
    assert e.value.errors == {"query": "该社会组织已关联其他社工服务机构"}


def test_registering_by_credit_code_links_or_refuses(staff):
    live = _org(5, "涪陵区同心社会工作服务中心")
    gone = _org(6, "涪陵区已注销中心", status="deregistered", ended_on=D(2024, 1, 1))
    agency = actions.do_register_agency(staff.town, name="涪陵区同心社会工作服务中心", registration_no=live.credit_code,
                                        division_code=DUNREN, registered_on=D(2019, 1, 1))  # fmt: skip
    assert agency.organisation_id == live.pk
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_agency(staff.town, name="涪陵区已注销中心", registration_no=gone.credit_code, division_code=DUNREN,
                                   registered_on=D(2019, 1, 1))  # fmt: skip
    assert e.value.errors == {"registration_no": "该社会组织已注销登记（涪陵区已注销中心），不能关联"}
    assert Agency.objects.count() == 1


def test_agency_page_shows_registration_status_and_link_form(client, staff, agency):
    abnormal = _org(7, "涪陵区益心社会工作服务中心")
    CreditListing.objects.create(organisation=abnormal, division_code=DADONGMEN, kind="abnormal", reason="未年检", listed_on=D(2025, 1, 1))
    client.force_login(staff.town_user)
    assert "未关联社会组织登记" in client.get("/socialwork/agencies/").text
    bad = client.post(f"/socialwork/agencies/{agency.pk}/link/", {"query": "不存在的组织"})
    assert bad.status_code == 422 and "社会组织登记中没有该统一社会信用代码或名称" in bad.text
    assert client.post(f"/socialwork/agencies/{agency.pk}/link/", {"query": abnormal.credit_code}).status_code == 302
    assert "正常（活动异常名录）" in client.get("/socialwork/agencies/").text
    client.force_login(staff.other_town_user)
    assert client.get(f"/socialwork/agencies/{agency.pk}/link/").status_code == 404


def test_demo_agencies_are_demo_organisations_where_there_are_any(make_person):
    _org(8, "涪陵区甲社工服务中心（演示）", registered_on=D(2016, 1, 1))
    _org(9, "涪陵区乙社工服务中心（演示）", registered_on=D(2017, 1, 1))
    _org(10, "涪陵区丙社工服务中心（演示）", status="deregistered", ended_on=D(2024, 1, 1))
    _org(11, "涪陵区养老协会（演示）", org_type="association", credit_code=code("51", 11))
    make_person(DADONGMEN, "演示甲", birth="19800101")
    seed_demo(seed=1, scale=0.0003)
    linked = list(Agency.objects.filter(organisation__isnull=False).order_by("organisation__registered_on").values_list("name", "organisation__name"))
    assert linked == [("涪陵区甲社工服务中心（演示）", "涪陵区甲社工服务中心（演示）"), ("涪陵区乙社工服务中心（演示）", "涪陵区乙社工服务中心（演示）")]
    assert Agency.objects.filter(organisation__isnull=True).count() == 4


def test_home_shows_computed_figures_and_links_targets_to_the_dashboard(client, staff, agency):
    """Issue 18 gap 6: no plan target (6000人, 50%, 95%, 民办12家) in the page; the computed
    figures and a link to the planning dashboard instead."""
    client.force_login(staff.district_user)
    page = client.get("/socialwork/").text
    assert [t for t in ("6000人", ">50%<", ">95%<", "民办12家", "2025年目标") if t in page] == []
    assert "0人（其中持证0人）" in page and "1家（1家）" in page
    assert 'href="/planning/indicators/7/"' in page and 'href="/planning/"' in page
