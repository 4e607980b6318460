"""婚姻家庭辅导 (issue 16 point 6): a referral at the divorce application closed with its outcome
once, and the counselling room's service records; refusals name the field and write nothing;
only the registry's staff write."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import User
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.marriage import actions
from minzheng.marriage.models import CounsellingReferral, CounsellingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(registrar, married):
    d = actions.do_apply_divorce(registrar, actions.DivorceInput(agreement_children="无子女", agreement_property="各自名下财产归各自所有",
                                                               marriage_id=married.pk, refer_counselling=True))  # fmt: skip
    return CounsellingReferral.objects.get(divorce=d)


def test_a_referral_is_closed_once_with_its_outcome(registrar, referral, others):
    assert (referral.outcome, referral.referred_on) == ("pending", dt.date(2026, 12, 4))
    with pytest.raises(ValidationFailed) as e:
        actions.do_close_referral(registrar, referral, outcome="pending")
    assert e.value.errors == {"outcome": "请选择辅导结果"}
    for role in ("village", "staff", "leader"):
        with pytest.raises(PermissionDenied):
            actions.do_close_referral(others[role], referral, outcome="reconciled")
    closed = actions.do_close_referral(registrar, referral, outcome="reconciled", note="双方经辅导和好")
    assert (closed.outcome, closed.closed_on, closed.note) == ("reconciled", dt.date(2026, 12, 4), "双方经辅导和好")
    with pytest.raises(DomainError) as e:
        actions.do_close_referral(registrar, referral, outcome="continued")
    assert e.value.message == "该转介已登记辅导结果"
    assert CounsellingReferral.objects.get().outcome == "reconciled"


def test_the_rooms_service_records_refuse_bad_input_and_show_on_the_page(registrar, referral, client):
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_session(registrar, held_on=dt.date(2026, 12, 5), kind="talk", people=0, counsellor=" ")
    assert e.value.errors == {"held_on": "服务日期不能晚于今天", "kind": "请选择服务类型", "people": "服务人数应为1至500", "counsellor": "请填写辅导员"}
    assert not CounsellingSession.objects.exists()
    session = actions.do_record_session(registrar, held_on=dt.date(2026, 12, 3), kind="couple", people=2, counsellor="陈辅导",
                                        topic="沟通与家务分工", referral_id=referral.pk)  # fmt: skip
    assert (session.kind, session.people, session.referral_id) == ("couple", 2, referral.pk)
    client.force_login(User.objects.get(username="registrar"))
    page = client.get("/marriage/counselling/").content.decode()
    assert "陈辅导" in page and "夫妻辅导" in page
    bad = client.post("/marriage/counselling/", {"held_on": "2026-12-05", "kind": "group", "people": "30", "counsellor": "陈辅导"})
    assert bad.status_code == 400 and "服务日期不能晚于今天" in bad.content.decode()
    assert CounsellingSession.objects.count() == 1
