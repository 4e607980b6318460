"""The two case walks of issue 14's "Done when", through every transition, each refused for
the wrong role, the wrong division and the wrong date, with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import MissingDocuments, Stale, WrongState
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.models import AuditEvent
from minzheng.rescue import actions
from minzheng.rescue.models import (
    BedAssignment,
    RescueCase,
    ReturnFollowUp,
    SearchRecord,
    SettlementDocument,
)

from .conftest import DADONGMEN, at

pytestmark = pytest.mark.django_db
D = dt.date


def unchanged(case: RescueCase) -> tuple:
    fresh = RescueCase.objects.get(pk=case.pk)
    audit = AuditEvent.objects.filter(object_type="rescue.case", object_id=str(case.pk))
    return (
        fresh.status, fresh.version, fresh.identified_on, fresh.handed_over_on, fresh.settled_on,
        CaseEvent.objects.filter(workflow="rescue.case", case_id=case.pk).count(), audit.count(),
        BedAssignment.objects.filter(case=case, end_on__isnull=True).count(), ReturnFollowUp.objects.count(),
        SettlementDocument.objects.filter(case=case).count(),
    )  # fmt: skip


def refused(call, case, error, message=None):
    before = unchanged(case)
    with pytest.raises(error) as info:
        call()
    assert unchanged(case) == before
    if message is not None:
        text = info.value.errors if isinstance(info.value, ValidationFailed) else info.value.message
        assert text == message
    return info.value


def wrong_role_and_division(staff, call):
    """``call(actor)`` refused to a town officer (no station permission) and to the station's
    role scoped to 珍溪镇 (not the district: the station's case is not theirs)."""
    with pytest.raises(PermissionDenied):
        call(staff.town)
    with pytest.raises(NotFound):
        call(staff.zhenxi_staff)


def test_walk_intake_stay_identified_escorted_home_follow_up(staff, station, take_in, make_person, travel):
    person = make_person(DADONGMEN, "刘长贵", birth="19700315")
    case = take_in(bed_id=station.beds.get(number="001").pk)
    assert (case.number, case.status, case.name, case.stay_until) == (f"JZ2026{case.pk:06d}", "in_station", "不详", D(2026, 12, 11))
    assert BedAssignment.objects.get(case=case, end_on__isnull=True).bed.number == "001"

    # 户籍人口比对 with the number he finally gives: matched, linked.
    full = decrypt_text(person.id_number_encrypted)
    for actor, error in ((staff.town, PermissionDenied), (staff.zhenxi_staff, NotFound)):
        refused(lambda a=actor: actions.do_match_registry(a, case, expected_version=case.version, id_number=full), case, error)
    refused(lambda: actions.do_match_registry(staff.station, case, expected_version=case.version, id_number="5001021970"), case,
            ValidationFailed, {"id_number": "身份证号码应为18位（或旧式15位），当前为10位"})  # fmt: skip
    case = actions.do_match_registry(staff.station, case, expected_version=case.version, id_number=full)
    assert case.person_id == person.pk and case.id_number_masked == person.id_number_masked
    assert SearchRecord.objects.get(case=case).get_result_display() == "比中"

    # 查明身份
    identify = dict(name="刘长贵", identified_on=D(2026, 12, 2), how="户籍人口库比中，本人确认")
    wrong_role_and_division(staff, lambda a: actions.do_identify(a, case, expected_version=case.version, **identify))
    refused(lambda: actions.do_identify(staff.station, case, expected_version=case.version, **{**identify, "identified_on": D(2026, 11, 30)}),
            case, ValidationFailed, {"identified_on": "查明身份日期不能早于入站日期（2026-12-01）"})  # fmt: skip
    refused(lambda: actions.do_identify(staff.station, case, expected_version=case.version, **{**identify, "name": "", "how": ""}),
            case, ValidationFailed, {"name": "请填写查明的姓名", "how": "请填写查明身份的途径"})  # fmt: skip
    refused(lambda: actions.do_identify(staff.station, case, expected_version=case.version - 1, **identify), case, Stale,
            "该受助记录已被其他用户处理，请刷新后重试")  # fmt: skip
    case = actions.do_identify(staff.station, case, expected_version=case.version, **identify)
    assert (case.status, case.name, case.home_division_code) == ("identified", "刘长贵", DADONGMEN)

    # 接送返回: refused before identification's date and in the future; the bed is freed.
    home = dict(mode="escort", receiver_kind="village", receiver_name="大东门社区居委会", handed_over_on=D(2026, 12, 3))
    wrong_role_and_division(staff, lambda a: actions.do_return_home(a, case, expected_version=case.version, **home))
    refused(lambda: actions.do_return_home(staff.station, case, expected_version=case.version, **{**home, "handed_over_on": D(2026, 12, 1)}),
            case, ValidationFailed, {"handed_over_on": "交接日期不能早于查明身份日期（2026-12-02）"})  # fmt: skip
    refused(lambda: actions.do_return_home(staff.station, case, expected_version=case.version, **{**home, "handed_over_on": D(2026, 12, 5)}),
            case, ValidationFailed, {"handed_over_on": "交接日期不能晚于今天"})  # fmt: skip
    refused(lambda: actions.do_confirm_arrival(staff.station, case, expected_version=case.version, arrived_on=D(2026, 12, 3)),
            case, WrongState, "受助记录当前处于“已查明身份”环节，不能执行“确认到达”")  # fmt: skip
    case = actions.do_return_home(staff.station, case, expected_version=case.version, **home)
    assert (case.status, case.left_on) == ("escorting", D(2026, 12, 3))
    assert not BedAssignment.objects.filter(case=case, end_on__isnull=True).exists()

    # 确认到达 → the village's 返乡回访.
    wrong_role_and_division(staff, lambda a: actions.do_confirm_arrival(a, case, expected_version=case.version, arrived_on=D(2026, 12, 3)))
    refused(lambda: actions.do_confirm_arrival(staff.station, case, expected_version=case.version, arrived_on=D(2026, 12, 2)),
            case, ValidationFailed, {"arrived_on": "到达日期不能早于交接日期（2026-12-03）"})  # fmt: skip
    case = actions.do_confirm_arrival(staff.station, case, expected_version=case.version, arrived_on=D(2026, 12, 3))
    assert (case.status, case.arrived_home_on) == ("returned", D(2026, 12, 3))
    follow_up = ReturnFollowUp.objects.get(case=case)
    assert (follow_up.person_id, follow_up.division_code, follow_up.returned_on) == (person.pk, DADONGMEN, D(2026, 12, 3))

    # 返乡回访 by 大东门社区; 兴盛社区 (珍溪镇) does not see it; a station-less role cannot.
    visit = dict(visited_on=D(2026, 12, 4), found_at_home=True, note="在家，与家人同住，情绪稳定")
    with pytest.raises(NotFound):
        actions.do_record_follow_up_visit(staff.other_village, follow_up, expected_version=1, **visit)
    with pytest.raises(NotFound):
        actions.do_record_follow_up_visit(staff.other_town, follow_up, expected_version=1, **visit)
    with pytest.raises(PermissionDenied):
        actions.do_record_follow_up_visit(staff.leader, follow_up, expected_version=1, **visit)
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_follow_up_visit(staff.village, follow_up, expected_version=1, **{**visit, "visited_on": D(2026, 12, 2), "note": ""})
    assert e.value.errors == {"visited_on": "回访日期不能早于返回日期（2026-12-03）", "note": "请填写回访情况"}
    follow_up = actions.do_record_follow_up_visit(staff.village, follow_up, expected_version=1, **visit)
    assert follow_up.visits == [{"on": "2026-12-04", "at_home": True, "note": "在家，与家人同住，情绪稳定", "by": "村（社区）经办人 · 大东门社区"}]

    history = list(CaseEvent.objects.filter(workflow="rescue.case", case_id=case.pk).order_by("id").values_list("label", "from_status", "to_status"))
    assert history == [
        ("入站登记", "", "in_station"),
        ("户籍人口比对", "in_station", "in_station"),
        ("查明身份", "in_station", "identified"),
        ("接送返回", "identified", "escorting"),
        ("确认到达", "escorting", "returned"),
    ]
    # A returned case takes no step.
    refused(lambda: actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 12, 4), reason="x"),
            case, WrongState, "受助记录当前处于“已返回”环节，不能执行“自行离站”")  # fmt: skip


def test_walk_intake_no_identity_long_stay_settled(staff, station, take_in):
    case = take_in(arrived_at=at(2026, 8, 1), features="约40岁女性，不能言语", sex="F", estimated_age=40, bed_id=station.beds.get(number="002").pk)
    assert case.stay_until == D(2026, 8, 11)
    early = take_in(arrived_at=at(2026, 10, 1), features="约30岁男性")

    # 转为长期滞留: not before the 3 months (参数待确认) have passed.
    refused(lambda: actions.do_mark_long_stay(staff.station, early, expected_version=early.version), early, DomainError,
            "在站未满3个月（2027-01-01届满），不能转为长期滞留")  # fmt: skip
    wrong_role_and_division(staff, lambda a: actions.do_mark_long_stay(a, case, expected_version=case.version))
    case = actions.do_mark_long_stay(staff.station, case, expected_version=case.version)
    assert (case.status, case.long_stay_on) == ("long_stay", D(2026, 12, 4))

    # 启动落户安置: refused until the report and the 寻亲 results are on file.
    refused(lambda: actions.do_start_settlement(staff.station, case, expected_version=case.version), case, MissingDocuments,
            "办理“启动落户安置”前须上传：滞留人员情况报告、寻亲公告及DNA比对结果")  # fmt: skip
    refused(lambda: actions.do_add_settlement_document(staff.station, case, expected_version=case.version, kind="report", reference="", dated_on=D(2026, 12, 5)),
            case, ValidationFailed, {"reference": "请填写文号或编号", "dated_on": "材料日期不能晚于今天"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.do_add_settlement_document(staff.town, case, expected_version=case.version, kind="report", reference="涪救〔2026〕31号", dated_on=D(2026, 12, 4))
    with pytest.raises(NotFound):
        actions.do_add_settlement_document(staff.zhenxi_staff, case, expected_version=case.version, kind="report", reference="涪救〔2026〕31号", dated_on=D(2026, 12, 4))
    for kind, ref in (("report", "涪救〔2026〕31号"), ("search", "寻亲公告2026-088；DNA比对回执A1203")):
        case = actions.do_add_settlement_document(staff.station, case, expected_version=case.version, kind=kind, reference=ref, dated_on=D(2026, 12, 4))
    wrong_role_and_division(staff, lambda a: actions.do_start_settlement(a, case, expected_version=case.version))
    case = actions.do_start_settlement(staff.station, case, expected_version=case.version)
    assert case.status == "settling"

    settle = dict(placement="welfare", placement_unit="涪陵区社会福利院", settled_on=D(2026, 12, 4))
    refused(lambda: actions.do_settle(staff.station, case, expected_version=case.version, **settle), case, MissingDocuments,
            "办理“落户安置完成”前须上传：公安机关户籍登记意见、安置协议")  # fmt: skip
    for kind, ref in (("police", "涪公户〔2026〕7号"), ("placement", "安置协议2026-03")):
        case = actions.do_add_settlement_document(staff.station, case, expected_version=case.version, kind=kind, reference=ref, dated_on=D(2026, 12, 4))
    wrong_role_and_division(staff, lambda a: actions.do_settle(a, case, expected_version=case.version, **settle))
    refused(lambda: actions.do_settle(staff.station, case, expected_version=case.version, **{**settle, "settled_on": D(2026, 12, 3), "placement_unit": " "}),
            case, ValidationFailed, {"placement_unit": "请填写安置机构名称", "settled_on": "落户日期不能早于启动落户安置日期（2026-12-04）"})  # fmt: skip
    case = actions.do_settle(staff.station, case, expected_version=case.version, **settle)
    assert (case.status, case.settled_on, case.placement_unit) == ("settled", D(2026, 12, 4), "涪陵区社会福利院")
    assert not BedAssignment.objects.filter(case=case, end_on__isnull=True).exists()
    steps = list(CaseEvent.objects.filter(workflow="rescue.case", case_id=case.pk).exclude(action="document").order_by("id").values_list("label", flat=True))
    assert steps == ["入站登记", "转为长期滞留", "启动落户安置", "落户安置完成"]


def test_leaving_of_ones_own_will_needs_the_declaration_and_frees_the_bed(staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="003").pk)
    wrong_role_and_division(staff, lambda a: actions.do_leave(a, case, expected_version=case.version, left_on=D(2026, 12, 2), reason="本人要求离站"))
    refused(lambda: actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 12, 2), reason=" "), case,
            ValidationFailed, {"reason": "请填写离站情况（受助人员自行离站声明）"})  # fmt: skip
    refused(lambda: actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 11, 30), reason="本人要求离站"), case,
            ValidationFailed, {"left_on": "离站日期不能早于入站日期（2026-12-01）"})  # fmt: skip
    case = actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 12, 2), reason="本人要求离站，已签自行离站声明书")
    assert (case.status, case.left_on) == ("left", D(2026, 12, 2))
    assert BedAssignment.objects.get(case=case).end_on == D(2026, 12, 2)


def test_of_two_staff_on_the_same_version_only_the_first_succeeds(staff, station, take_in):
    case = take_in()
    actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 12, 2), reason="本人要求离站")
    with pytest.raises(Stale):
        actions.do_identify(staff.station2, case, expected_version=case.version, name="王五", identified_on=D(2026, 12, 2), home_address="四川省达州市", how="本人陈述")
