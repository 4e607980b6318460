"""Committees and elections (资格联审 with departments' answers, results, certificates, terms
ending on the workbench), 村（居）务公开, 三事分流, charters, workers, demonstration sites."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.cases.models import CaseEvent
from minzheng.cases.tasks import workbench_feed
from minzheng.communities import actions
from minzheng.communities.models import CommitteeMember, Election
from minzheng.communities.selectors import disclosure_quarters, site_counts, workers_by_town
from minzheng.communities.tests.conftest import DADONGMEN, DUNREN, XINGSHENG, ZHENXI
from minzheng.cases.workflow import Stale
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
D = dt.date
CANDIDATES = [{"name": "王建国", "post": "chair"}, {"name": "李秀兰", "post": "vice_chair", "is_woman": True}, {"name": "张强", "post": "member"}]


def open_election(actor, **kw):
    values = dict(division_code=DADONGMEN, term_start=D(2026, 11, 1), voting_date=D(2026, 11, 20), registered_voters=1000, candidates=CANDIDATES)
    values.update(kw)
    return actions.do_open_election(actor, **values)


def test_an_election_date_before_the_term_starts_is_refused_and_nothing_written(staff):
    with pytest.raises(ValidationFailed) as e:
        open_election(staff.town, voting_date=D(2026, 10, 31))
    assert e.value.errors == {"voting_date": "选举日期不能早于届期开始日期"}
    assert Election.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_an_election_passes_review_flags_a_refused_candidate_and_certifies_the_winners(staff):
    election = open_election(staff.town)
    cands = {c.name: c for c in election.candidates.all()}
    v = election.version
    for name in cands:
        actions.do_record_answer(staff.town, election, candidate_id=cands[name].pk, department="区公安分局", passed=True, expected_version=v)
        v += 1
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_answer(staff.town, election, candidate_id=cands["张强"].pk, department="区纪委监委", passed=False, expected_version=v)
    assert e.value.errors == {"note": "审查不通过时请填写理由"}
    actions.do_record_answer(staff.town, election, candidate_id=cands["张强"].pk, department="区纪委监委", passed=False,
                             note="受到党纪处分未满期限", expected_version=v)  # fmt: skip
    v += 1
    with pytest.raises(NotFound):
        actions.take_election_step(staff.other_town, election, "qualify", expected_version=v)
    with pytest.raises(PermissionDenied):
        actions.take_election_step(staff.village, election, "qualify", expected_version=v)
    with pytest.raises(Stale):
        actions.take_election_step(staff.town, election, "qualify", expected_version=v - 1)
    election = actions.take_election_step(staff.town, election, "qualify", expected_version=v)
    assert election.status == "scheduled"
    refused = [c.name for c in election.candidates.all() if c.refused]
    assert refused == ["张强"]
    assert CaseEvent.objects.filter(case_id=election.pk, action="qualify").get().reason == "通过2名；不通过：张强"
    with pytest.raises(ValidationFailed) as e:
        actions.take_election_step(staff.town, election, "vote", expected_version=election.version, votes_cast=400, votes={})
    assert e.value.errors["votes_cast"] == "参加投票的选民未过登记选民半数，选举无效"
    votes = {cands["王建国"].pk: 560, cands["李秀兰"].pk: 300}
    election = actions.take_election_step(staff.town, election, "vote", expected_version=election.version, votes_cast=600, votes=votes)
    assert [(c.name, c.votes, c.elected) for c in election.candidates.order_by("id")] == [
        ("王建国", 560, True), ("李秀兰", 300, False), ("张强", None, False)]
    with pytest.raises(ValidationFailed) as e:
        actions.take_election_step(staff.town, election, "certify", expected_version=election.version)
    assert e.value.errors == {"certificate_no": "请填写当选证书编号"}
    election = actions.take_election_step(staff.town, election, "certify", expected_version=election.version, certificate_no="涪敦选〔2026〕1号")
    assert (election.status, election.certificate_no, election.certified_on) == ("certified", "涪敦选〔2026〕1号", D(2026, 12, 4))
    assert list(CommitteeMember.objects.filter(left_on__isnull=True).values_list("name", "post", "term_start", "term_end")) == [
        ("王建国", "chair", D(2026, 11, 20), D(2031, 10, 31))]


def test_terms_ending_within_90_days_are_on_the_workbench(staff):
    actions.do_add_member(staff.village, division_code=DADONGMEN, name="赵敏", post="chair", term_start=D(2021, 12, 1), term_end=D(2027, 2, 28))
    actions.do_add_member(staff.village, division_code=DADONGMEN, name="周平", post="member", term_start=D(2022, 6, 1), term_end=D(2027, 5, 31))
    actions.do_add_member(staff.other_village, division_code=XINGSHENG, name="吴芳", post="chair", term_start=D(2021, 12, 1), term_end=D(2027, 1, 31))
    counts, tasks = workbench_feed(staff.town)
    row = next(c for c in counts if c["workflow"] == "communities.terms")
    assert row["total"] == 1
    item = next(t for t in tasks if t.label == "村（居）委会换届")
    assert (item.deadline, item.step) == (D(2027, 2, 28), "任期2027-02-28届满，请组织换届选举")
    counts, _ = workbench_feed(staff.other_town)
    assert next(c for c in counts if c["workflow"] == "communities.terms")["total"] == 1
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_member(staff.village, division_code=DADONGMEN, name="钱", post="member", term_start=D(2022, 1, 1), term_end=D(2021, 1, 1))
    assert e.value.errors == {"term_end": "任期届满日期须晚于任期开始日期"}


def test_disclosures_by_quarter_matters_and_charters(staff):
    actions.do_add_disclosure(staff.village, division_code=DADONGMEN, year=2026, quarter=1, category="funds", title="低保金发放", published_on=D(2026, 3, 28))
    actions.do_add_disclosure(staff.village, division_code=DADONGMEN, year=2026, quarter=3, category="finance", title="财务收支", published_on=D(2026, 9, 28))
    assert disclosure_quarters(staff.town, division_code=DADONGMEN, year=2026) == {1: 1, 2: 0, 3: 1, 4: 0}
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_disclosure(staff.village, division_code=DADONGMEN, year=2026, quarter=5, category="x", title="", published_on="2026-13-01")
    assert e.value.errors == {"title": "请填写公开事项", "category": "请选择类别", "quarter": "季度应为1至4", "published_on": "请填写公开日期（年-月-日）"}
    m = actions.do_add_matter(staff.village, division_code=DADONGMEN, title="路灯损坏", category="major")
    assert (m.owner, m.status) == ("government", "open")
    assert actions.do_close_matter(staff.town, m.pk, outcome="已报区城管局修复").status == "done"
    with pytest.raises(NotFound):
        actions.do_close_matter(staff.other_town, m.pk, outcome="x")
    c1 = actions.do_add_charter(staff.village, division_code=DADONGMEN, kind="compact", approved_on=D(2022, 3, 1))
    c2 = actions.do_add_charter(staff.village, division_code=DADONGMEN, kind="compact", approved_on=D(2025, 6, 1))
    assert (c1.version, c2.version) == (1, 2)
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_charter(staff.village, division_code=DADONGMEN, kind="compact", approved_on=D(2024, 1, 1))
    assert e.value.errors == {"approved_on": "通过日期须晚于上一版本（第2版，2025-06-01）"}
    with pytest.raises(NotFound):
        actions.do_add_charter(staff.other_town, division_code=DADONGMEN, kind="charter", approved_on=D(2024, 1, 1))


def test_workers_grades_training_and_counts_by_town(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_worker(staff.village, division_code=DADONGMEN, name="陈静", post="chief", grade=3, started_on=D(2020, 1, 1))
    assert e.value.errors == {"grade": "正职的等级应在7至18级之间"}
    w = actions.do_add_worker(staff.village, division_code=DADONGMEN, name="陈静", post="chief", grade=9, started_on=D(2020, 1, 1),
                              certified_social_worker=True, certificate_no="S2020001")  # fmt: skip
    actions.do_add_worker(staff.other_village, division_code=XINGSHENG, name="黄勇", post="staff", grade=2, started_on=D(2023, 1, 1))
    actions.do_add_training(staff.village, w.pk, course="社区工作者能力提升", held_on=D(2026, 5, 20), hours="16")
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_training(staff.village, w.pk, course="x", held_on=D(2026, 5, 20), hours="-2")
    assert e.value.errors == {"hours": "学时不能为负数"}
    assert workers_by_town(staff.district) == {DUNREN: {"workers": 1, "certified": 1, "trained": 1}, ZHENXI: {"workers": 1, "certified": 0, "trained": 0}}
    assert workers_by_town(staff.other_town) == {ZHENXI: {"workers": 1, "certified": 0, "trained": 0}}


def test_demonstration_sites_are_the_districts_and_counted_by_level(staff):
    with pytest.raises(PermissionDenied):
        actions.do_add_site(staff.town, division_code=DADONGMEN, level="district", year=2023, theme="三事分流")
    actions.do_add_site(staff.district, division_code=DADONGMEN, level="district", year=2023, theme="三事分流")
    actions.do_add_site(staff.district, division_code=DADONGMEN, level="city", year=2024, theme="三事分流")
    actions.do_add_site(staff.district, division_code=XINGSHENG, level="district", year=2022, theme="五社联动")
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_site(staff.district, division_code=XINGSHENG, level="district", year=2025, theme="五社联动")
    assert e.value.errors == {"division_code": "该村（社区）已是区级示范点"}
    assert site_counts() == {"district": {DUNREN: 1, ZHENXI: 1}, "city": {DUNREN: 1}}


def test_the_election_link_only_for_who_may_open_one(client, staff):
    url = f"/communities/villages/{DADONGMEN}/"
    client.force_login(staff.village_user)  # the village records disclosures and matters; the town runs elections
    page = client.get(url).text
    assert "登记公开事项" in page and "启动换届选举" not in page
    assert client.get(f"{url}elections/new/").status_code == 403
    client.force_login(staff.town_user)
    assert "启动换届选举" in client.get(url).text
