"""惠民殡葬 settled monthly with the funeral home: maker-checker, idempotent (a waiver is settled
once however often the settlement runs), the bank file read back; the online memorial with
consent and moderated messages."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.funerals import actions, exports
from minzheng.funerals.access import memorial_by_token
from minzheng.funerals.models import MemorialMessage, Waiver, WaiverSettlement
from minzheng.funerals.selectors import approved_messages
from minzheng.funerals.tests.conftest import (
    DADONGMEN,
    D,
    enrol_tekun,
    through_cremation,
)


@pytest.fixture
def waived(staff, make_person, home):
    person = make_person(DADONGMEN, "郑特困")
    enrol_tekun(person)
    return through_cremation(staff, person, home)


def test_the_month_is_settled_once_however_often_it_runs(staff, waived, home, travel):
    travel(D(2027, 1, 5))
    batch = actions.do_prepare_settlement(staff.district, home, period="2026-12")
    assert (batch.status, batch.waiver_count, batch.total_fen, batch.run_count) == ("prepared", 1, 117000, 1)
    again = actions.do_prepare_settlement(staff.district, home, period="2026-12")
    assert (again.pk, again.waiver_count, again.total_fen, again.run_count) == (batch.pk, 1, 117000, 2)
    with pytest.raises(PermissionDenied) as e:
        actions.do_approve_settlement(staff.district, again, expected_version=again.version)
    assert e.value.message == "制表人与审批人不能为同一人"
    with pytest.raises(DomainError) as e:
        actions.do_approve_settlement(staff.checker, again, expected_version=again.version - 1)
    assert e.value.code == "stale"
    approved = actions.do_approve_settlement(staff.checker, again, expected_version=again.version)
    assert approved.status == "approved"
    # A rerun of an approved month changes nothing; the next month does not take the waiver again.
    rerun = actions.do_prepare_settlement(staff.district, home, period="2026-12")
    assert (rerun.status, rerun.waiver_count, rerun.run_count) == ("approved", 1, 2)
    travel(D(2027, 2, 3))
    january = actions.do_prepare_settlement(staff.district, home, period="2027-01")
    assert (january.waiver_count, january.total_fen) == (0, 0)
    assert Waiver.objects.get().settlement_id == batch.pk


def test_the_bank_file_after_approval_reads_back(staff, waived, home, travel):
    travel(D(2027, 1, 5))
    batch = actions.do_prepare_settlement(staff.district, home, period="2026-12")
    with pytest.raises(DomainError) as e:
        exports.settlement_bank_file(staff.district, batch)
    assert e.value.message == "结算表审批后方可导出银行代发文件"
    batch = actions.do_approve_settlement(staff.checker, batch, expected_version=batch.version)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.settlement_bank_file(staff.district, batch))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["序号", "收款单位", "开户银行", "银行账号", "结算月份", "减免笔数", "金额（元）"]
    assert rows[1] == [1, "涪陵区殡仪馆", "重庆农村商业银行", "6224000011112222", "2026-12", 1, 1170]
    assert Decimal(str(rows[-1][-1])) == Decimal("1170")


def test_only_the_district_settles(staff, waived, home, travel):
    travel(D(2027, 1, 5))
    for actor in (staff.town, staff.village, staff.leader):
        with pytest.raises(PermissionDenied):
            actions.do_prepare_settlement(actor, home, period="2026-12")
    with pytest.raises(ValidationFailed) as e:
        actions.do_prepare_settlement(staff.district, home, period="2027-01")
    assert e.value.errors == {"period": "只能结算已结束的月份"}
    assert not WaiverSettlement.objects.exists()


def test_a_memorial_needs_consent_and_messages_wait_for_moderation(staff, waived):
    with pytest.raises(ValidationFailed) as e:
        actions.do_open_memorial(staff.village, waived, consent_by="", consent_relation="")
    assert e.value.errors == {"consent_by": "请填写同意开通的家属姓名", "consent_relation": "请填写与逝者关系"}
    with pytest.raises(NotFound):
        actions.do_open_memorial(staff.other_village, waived, consent_by="郑大", consent_relation="儿子")
    memorial = actions.do_open_memorial(staff.village, waived, consent_by="郑大", consent_relation="儿子", epitaph="慈父千古")
    assert memorial_by_token(memorial.token) == memorial
    with pytest.raises(NotFound):
        memorial_by_token("guess")
    message = actions.do_post_memorial_message(memorial, author="邻居", text="一路走好")
    assert list(approved_messages(memorial)) == []
    with pytest.raises(NotFound):
        actions.do_moderate_message(staff.other_town, message, approve=True)
    actions.do_moderate_message(staff.village, message, approve=True)
    assert [m.text for m in approved_messages(memorial)] == ["一路走好"]
    with pytest.raises(ValidationFailed) as e:
        actions.do_post_memorial_message(memorial, author="", text="x" * 301)
    assert e.value.errors == {"author": "请填写留言人", "text": "留言不能超过300字"}
    assert MemorialMessage.objects.count() == 1


def test_an_incomplete_or_empty_settlement_is_never_approved(staff, waived, home, travel):
    """Issue 20: a settlement row without its preparer (a crash) or without waivers is refused at
    审批 and prepared again by the next run."""
    travel(D(2027, 1, 5))
    broken = WaiverSettlement.objects.create(funeral_home=home, period="2026-12", division_code=home.division_code)
    with pytest.raises(DomainError) as e:
        actions.do_approve_settlement(staff.checker, broken, expected_version=broken.version)
    assert (e.value.code, e.value.message) == ("incomplete", "该结算表未生成完成（没有制表人），请重新生成后再审批")
    batch = actions.do_prepare_settlement(staff.district, home, period="2026-12")
    assert (batch.pk, batch.waiver_count, batch.total_fen) == (broken.pk, 1, 117000)
    travel(D(2027, 2, 3))
    january = actions.do_prepare_settlement(staff.district, home, period="2027-01")
    with pytest.raises(DomainError) as e:
        actions.do_approve_settlement(staff.checker, january, expected_version=january.version)
    assert e.value.message == "该结算表没有减免记录，不能审批；请核对后重新生成"
    assert actions.do_approve_settlement(staff.checker, batch, expected_version=batch.version).status == "approved"


class _Crash(Exception):
    pass


@pytest.mark.parametrize("step", ["after_the_batch_row", "after_the_waivers_are_taken", "before_the_audit", "after_the_audit"])
@pytest.mark.django_db(transaction=True)
def test_a_settlement_interrupted_at_any_step_leaves_nothing_and_is_prepared_once_after(staff, waived, home, travel, monkeypatch, step):
    """The settlement row, its waivers, its totals and preparer commit together: a crash between
    any two steps (a real transaction, not the test's) leaves no settlement and every waiver
    unsettled; the next run prepares the month exactly once."""
    travel(D(2027, 1, 5))
    target, name = {
        "after_the_batch_row": (actions.WaiverSettlement.objects, "select_for_update"),
        "after_the_waivers_are_taken": (actions, "timezone"),
        "before_the_audit": (actions, "format_yuan"),
        "after_the_audit": (actions, "_audit"),
    }[step]
    real = getattr(target, name)

    class Boom:
        def __getattr__(self, attr):
            raise _Crash(step)

    def crash(*args, **kwargs):
        if step == "after_the_audit":
            real(*args, **kwargs)
        raise _Crash(step)

    monkeypatch.setattr(target, name, Boom() if step == "after_the_waivers_are_taken" else crash)
    with pytest.raises(_Crash):
        actions.do_prepare_settlement(staff.district, home, period="2026-12")
    monkeypatch.setattr(target, name, real)
    assert (WaiverSettlement.objects.count(), Waiver.objects.filter(settlement__isnull=False).count()) == (0, 0)
    batch = actions.do_prepare_settlement(staff.district, home, period="2026-12")
    assert (batch.waiver_count, batch.total_fen, batch.run_count) == (1, 117000, 1)
    assert Waiver.objects.get().settlement_id == batch.pk
