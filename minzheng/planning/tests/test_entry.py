"""Hand-entered values: validation, maker-checker approval, lock dates, scope, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.planning import adapters
from minzheng.planning.actions import (
    ValueInput,
    computation_blocks_entry,
    do_approve_submission,
    do_recompute_indicators,
    do_return_submission,
    do_set_period_lock,
    do_set_reference_value,
    do_submit_value,
)
from minzheng.planning.enums import SubmissionStatus
from minzheng.planning.models import IndicatorValue, ReferenceSeries
from minzheng.planning.selectors import scorecard

from .conftest import DUNREN, ZHENXI


def entry(code="7", year=2023, division="500102", value="4200", **kw):
    kw.setdefault("as_of", dt.date(year, 12, 31))
    kw.setdefault("evidence", "区社工协会年度统计表")
    return ValueInput(indicator_code=code, year=year, division_code=division, value=value, **kw)


def test_maker_submits_and_another_district_staff_approves(plan, actor_of, district_staff, district_checker, indicator):
    submission = do_submit_value(actor_of(district_staff), plan, entry())
    assert submission.status == SubmissionStatus.PENDING
    assert not IndicatorValue.objects.exists()  # nothing is published before approval
    value = do_approve_submission(actor_of(district_checker), submission.pk, note="核对无误")
    assert value.value == D(4200) and value.source == "manual" and value.approved_by_id == district_checker.pk
    assert value.as_of == timezone.make_aware(dt.datetime(2023, 12, 31, 23, 59, 59))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED and submission.reviewed_by_id == district_checker.pk
    row = next(r for r in scorecard(actor_of(district_staff), plan, year=2023) if r.indicator.code == "7")
    assert row.value.pk == value.pk and row.assessment.status == "off_track"  # (4200−3700)/(6000−3700)=0.217 < 0.8×0.6
    events = AuditEvent.objects.filter(object_type="planning_submission").order_by("id")
    assert [e.action for e in events] == ["create", "transition"]


def test_the_maker_cannot_approve_their_own_value(plan, actor_of, district_staff):
    submission = do_submit_value(actor_of(district_staff), plan, entry())
    with pytest.raises(DomainError, match="不能审核本人"):
        do_approve_submission(actor_of(district_staff), submission.pk)


def test_town_officers_enter_their_town_and_cannot_approve(plan, actor_of, dunren_officer, district_checker):
    officer = actor_of(dunren_officer)
    submission = do_submit_value(
        officer, plan, entry("13", division=DUNREN, value=None, numerator="52000", denominator="65000",
                             evidence="辖区火化区户籍人口统计")
    )
    assert submission.value == D("80.0000")
    with pytest.raises(PermissionDenied):
        do_approve_submission(officer, submission.pk)
    with pytest.raises(ValidationFailed) as e:
        do_submit_value(officer, plan, entry("13", division=ZHENXI, value=None, numerator="1", denominator="2"))
    assert "管辖范围" in e.value.errors["division_code"]
    do_approve_submission(actor_of(district_checker), submission.pk)


def test_return_needs_a_reason_and_leaves_nothing_published(plan, actor_of, district_staff, district_checker):
    submission = do_submit_value(actor_of(district_staff), plan, entry())
    with pytest.raises(ValidationFailed):
        do_return_submission(actor_of(district_checker), submission.pk, note="")
    do_return_submission(actor_of(district_checker), submission.pk, note="请附统计表")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and not IndicatorValue.objects.exists()
    with pytest.raises(DomainError, match="已退回"):
        do_approve_submission(actor_of(district_checker), submission.pk)


@pytest.mark.parametrize(
    "data, field, message",
    [
        (entry(value="abc"), "value", "请填写数字"),
        (entry(value="4200.5"), "value", "应为整数"),
        (entry(value="-1"), "value", "不能为负数"),
        (entry("13", value="101"), "value", "0—100"),
        (entry(year=2030), "year", "2021—2025"),
        (entry(evidence=""), "evidence", "佐证"),
        (entry(as_of=None), "as_of", "数据截至"),
        (entry(as_of=dt.date(2022, 5, 1)), "as_of", "不能早于"),
        (entry(division="500102006001"), "division_code", "全区或乡镇"),
        (entry("8", division=DUNREN), "division_code", "全区统一"),
        (entry("13", division=DUNREN, value="80"), "numerator", "分子和分母"),
        (entry("13", value="70", numerator="8", denominator="10"), "value", "不一致"),
        (entry("13", value=None, numerator="11", denominator="10"), "numerator", "不能大于分母"),
        (entry("2"), "indicator", "系统计算"),
        (entry("O28"), "indicator", "主要指标16"),
        (entry("99"), "indicator", "不存在"),
    ],
)
def test_validation_messages(plan, actor_of, district_staff, data, field, message):
    with pytest.raises(ValidationFailed) as e:
        do_submit_value(actor_of(district_staff), plan, data)
    assert message in e.value.errors[field], e.value.errors


def test_a_second_pending_value_for_the_same_period_is_refused(plan, actor_of, district_staff):
    do_submit_value(actor_of(district_staff), plan, entry())
    with pytest.raises(ValidationFailed, match="待审核"):
        do_submit_value(actor_of(district_staff), plan, entry(value="4300"))


def test_after_the_lock_date_a_year_is_frozen(plan, actor_of, district_staff, district_checker):
    pending = do_submit_value(actor_of(district_staff), plan, entry(year=2022, value="4000"))
    do_set_period_lock(actor_of(district_checker), plan, year=2022, locks_on=dt.date(2023, 3, 31))
    with pytest.raises(DomainError, match="锁定"):
        do_submit_value(actor_of(district_staff), plan, entry(year=2022, value="4100"))
    with pytest.raises(DomainError, match="锁定"):
        do_approve_submission(actor_of(district_checker), pending.pk)
    # A lock date still ahead leaves the year open.
    today = timezone.localdate()
    do_set_period_lock(actor_of(district_checker), plan, year=2024, locks_on=today)
    do_submit_value(actor_of(district_staff), plan, entry(year=2024, value="5000"))


def test_only_district_staff_set_locks(plan, actor_of, dunren_officer):
    with pytest.raises(PermissionDenied):
        do_set_period_lock(actor_of(dunren_officer), plan, year=2022, locks_on=dt.date(2023, 3, 31))


def test_computed_indicators_are_entered_only_where_the_computation_cannot_reach(plan, indicator, monkeypatch):
    this_year = timezone.localdate().year
    beds, ratio = indicator("16"), indicator("2")
    # 16 is computed from the current state of the registry: past years are back-filled by hand.
    assert "系统计算" in computation_blocks_entry(beds, this_year)
    assert computation_blocks_entry(beds, this_year - 1) is None
    # 2 is computed from dated parameters: every year is computed, none entered.
    assert "系统计算" in computation_blocks_entry(ratio, this_year - 3)
    # A computation whose data source is missing leaves its indicator to hand entry.
    monkeypatch.setattr(adapters, "ELDERCARE_INDICATORS", "eldercare.not_registered")
    assert computation_blocks_entry(beds, this_year) is None


def test_a_past_year_of_a_current_state_indicator_is_back_filled(plan, actor_of, district_staff):
    submission = do_submit_value(actor_of(district_staff), plan, entry("16", value="7000", evidence="2023年民政统计年报"))
    assert submission.value == D(7000)


def test_another_towns_submission_is_not_found(plan, actor_of, dunren_officer, zhenxi_officer, make_user):
    submission = do_submit_value(
        actor_of(dunren_officer), plan, entry("13", division=DUNREN, value=None, numerator="5", denominator="10")
    )
    with pytest.raises((NotFound, PermissionDenied)):
        do_approve_submission(actor_of(zhenxi_officer), submission.pk)


def test_reference_series_value_makes_indicator_1_assessable(plan, actor_of, district_staff, system_actor):
    do_recompute_indicators(system_actor, plan, year=2023)
    row = next(r for r in scorecard(system_actor, plan, year=2023) if r.indicator.code == "1")
    assert row.assessment.status == "not_assessable"
    series = ReferenceSeries.objects.get(code="prev_year_consumption_growth")
    do_set_reference_value(actor_of(district_staff), series, year=2022, value="2.2", evidence="2022年重庆市统计公报")
    row = next(r for r in scorecard(system_actor, plan, year=2023) if r.indicator.code == "1")
    assert row.reference == D("2.2") and row.assessment.status == "on_track"  # 2.5105 ≥ 2.2
