"""Divorce by agreement through both 30-day periods; withdrawn in the cooling-off period; lapsed
after it; the calendar at month ends, leap years and rest days; the daily sweep."""

import datetime as dt

import pytest
from django.core.management import call_command

from minzheng.cases.calendar import WorkCalendar
from minzheng.cases.tasks import FeedContext
from minzheng.core.errors import DomainError, NotFound, PermissionDenied
from minzheng.marriage import actions, services
from minzheng.marriage.models import Divorce, Marriage
from minzheng.marriage.task_source import divorces_due

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("accepted", "cooling_end", "deadline"),
    [
        (D(2026, 12, 4), D(2027, 1, 4), D(2027, 2, 3)),  # Mon 2027-01-04; 2027-02-03 Wed
        (D(2026, 1, 30), D(2026, 3, 2), D(2026, 4, 1)),  # 03-01 is a Sunday → Monday 03-02
        (D(2028, 1, 31), D(2028, 3, 1), D(2028, 3, 31)),  # leap year: 29 days in February
        (D(2027, 1, 31), D(2027, 3, 2), D(2027, 4, 1)),  # not a leap year
        (D(2026, 11, 30), D(2026, 12, 30), D(2027, 1, 29)),
    ],
)
def test_calendar_boundaries(accepted, cooling_end, deadline):
    cal = services.divorce_calendar(accepted, WorkCalendar())
    assert (cal.cooling_end_on, cal.issue_deadline_on) == (cooling_end, deadline)


def test_a_period_ending_on_a_public_holiday_ends_after_it():
    holidays = WorkCalendar({D(2027, 1, 1): False})
    assert services.period_end(D(2026, 12, 2), 30, holidays) == D(2027, 1, 4)  # 01-01 holiday, 01-02/03 weekend


@pytest.fixture
def divorce(registrar, married):
    d = actions.do_apply_divorce(registrar, actions.DivorceInput(agreement_children="无子女", agreement_property="各自名下财产归各自所有", marriage_id=married.pk, refer_counselling=True))
    return actions.do_accept_divorce(registrar, d, expected_version=d.version)


def test_through_both_periods_to_the_certificate(registrar, divorce, married, travel):
    assert (divorce.accepted_on, divorce.cooling_end_on, divorce.issue_deadline_on) == (D(2026, 12, 4), D(2027, 1, 4), D(2027, 2, 3))
    assert divorce.referral.outcome == "pending"
    travel(D(2027, 1, 4))
    with pytest.raises(DomainError) as e:
        actions.do_register_divorce(registrar, divorce, expected_version=divorce.version, both_present=True)
    assert e.value.message == "冷静期至2027-01-04届满，届满后方可办理离婚登记"
    travel(D(2027, 1, 5))
    assert call_command("sweep_divorces") is None
    d = Divorce.objects.get(pk=divorce.pk)
    assert d.status == "awaiting_issue"
    travel(D(2027, 2, 3))
    d = actions.do_register_divorce(registrar, d, expected_version=d.version, both_present=True)
    assert (d.status, d.registered_on, d.certificate_number) == ("issued", D(2027, 2, 3), f"L500102-2027-{d.pk:06d}")
    m = Marriage.objects.get(pk=married.pk)
    assert (m.ended_on, m.end_kind) == (D(2027, 2, 3), "divorce")


def test_withdrawn_in_the_cooling_off_period(registrar, divorce, travel):
    travel(D(2027, 1, 4))
    d = actions.do_withdraw_divorce(registrar, divorce, expected_version=divorce.version, party="woman")
    assert (d.status, d.withdrawn_on, d.withdrawn_by) == ("withdrawn", D(2027, 1, 4), "woman")


def test_withdrawal_after_the_cooling_off_period_is_refused(registrar, divorce, travel):
    travel(D(2027, 1, 5))
    with pytest.raises(DomainError) as e:
        actions.do_withdraw_divorce(registrar, divorce, expected_version=divorce.version, party="man")
    assert e.value.message == "冷静期已于2027-01-04届满，不能再撤回离婚申请"
    assert Divorce.objects.get(pk=divorce.pk).status == "accepted"


def test_lapsed_after_the_missed_deadline(registrar, divorce, married, travel, system_actor):
    assert actions.do_sweep_divorces(system_actor, today=D(2027, 1, 5)) == {"opened": 1, "lapsed": 0, "day": "2027-01-05"}
    assert actions.do_sweep_divorces(system_actor, today=D(2027, 2, 3)) == {"opened": 0, "lapsed": 0, "day": "2027-02-03"}
    travel(D(2027, 2, 4))
    d = Divorce.objects.get(pk=divorce.pk)
    with pytest.raises(DomainError) as e:
        actions.do_register_divorce(registrar, d, expected_version=d.version, both_present=True)
    assert e.value.message == "已超过申请发给离婚证的期限（2027-02-03），离婚登记申请视为撤回"
    assert actions.do_sweep_divorces(system_actor, today=D(2027, 2, 4)) == {"opened": 0, "lapsed": 1, "day": "2027-02-04"}
    d = Divorce.objects.get(pk=divorce.pk)
    assert (d.status, d.lapsed_on) == ("lapsed", D(2027, 2, 4))
    assert Marriage.objects.get(pk=married.pk).ended_on is None


def test_the_workbench_shows_the_deadlines(registrar, divorce):

    ctx = FeedContext(today=D(2026, 12, 4), calendar=WorkCalendar(), cutoff=D(2026, 12, 9), limit=20)
    result = divorces_due(registrar, ctx)
    assert (result.total, [(i.title, i.step, i.deadline) for i in result.items]) == (1, [(f"{divorce.number} · 冷静期", "冷静期（可撤回）", D(2027, 1, 4))])


@pytest.mark.parametrize("who", ["town", "village", "staff", "leader", "rescue"])
def test_other_roles_cannot_act_on_a_divorce(registrar, divorce, others, who):
    with pytest.raises((PermissionDenied, NotFound)):
        actions.do_withdraw_divorce(others[who], divorce, expected_version=divorce.version, party="man")
    with pytest.raises(PermissionDenied):
        actions.do_apply_divorce(others[who], actions.DivorceInput(agreement_children="无", agreement_property="无", marriage_id=divorce.marriage_id))
    assert Divorce.objects.get(pk=divorce.pk).status == "accepted"
