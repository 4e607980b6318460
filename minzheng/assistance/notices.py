"""公示 per village: built from a whitelist of fields — name (masked where the program's
setting says so), people covered, program, amount, period — plus the complaint phone.
Nothing else of the record (no ID number, address or income) ever enters a notice."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.assistance.actions import program_config
from minzheng.core.clock import today
from minzheng.assistance.documents import org_name, render_pdf
from minzheng.assistance.engine import parameter
from minzheng.assistance.enums import EnrolmentStatus, Level, NoticeKind, Program, Status
from minzheng.assistance.models import Application, Enrolment, PublicNotice
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.core.money import format_yuan
from minzheng.core.xlsx import safe_cell
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level as DivisionLevel

ENTRY_FIELDS = ("name", "people", "program", "amount_fen", "period")  # the whitelist
NOTICE_PROGRAMS = (Program.DIBAO, Program.TEKUN)


def _entry(name: str, people: int, program: str, amount_fen: int, period: str, mask: bool) -> dict:
    entry = {
        "name": mask_name(name) if mask else name,
        "people": int(people),
        "program": Program(program).label,
        "amount_fen": int(amount_fen),
        "period": period,
    }
    assert tuple(entry) == ENTRY_FIELDS
    return entry


@transaction.atomic
def do_publish_notice(actor: Actor, *, division_code: str, kind: str, program: str = "") -> PublicNotice:
    actor.require(Perm.REVIEW_APPLICATION)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("公示须由乡镇（街道）或区民政局发布")
    info = get_directory().get(division_code)
    if info is None or info.level != DivisionLevel.VILLAGE:
        raise ValidationFailed({"division_code": "请选择村（社区）"})
    check_division_in_scope(actor, division_code)
    if kind not in NoticeKind.values:
        raise ValidationFailed({"kind": "请选择公示类型"})
    programs = [Program(program)] if program else list(NOTICE_PROGRAMS)
    masks = {p: program_config(p)["mask_names_in_notice"] for p in programs}
    phones = {program_config(p)["complaint_phone"] for p in programs}
    day = today()
    entries: list[dict] = []
    cases: list[dict] = []
    if kind == NoticeKind.APPLICATIONS:
        qs = (
            Application.objects.visible_to(actor)
            .filter(division_code=division_code, status=Status.PUBLICITY, program__in=programs)
            .select_related("applicant", "household__head", "person")
            .order_by("id")
        )
        for app in qs:
            holder = app.person if app.subject_kind == "person" else (app.household.head if app.household and app.household.head_id else app.applicant)
            people = len(app.household_snapshot.get("members", [])) if app.subject_kind == "household" else 1
            entries.append(_entry(holder.name, people, app.program, app.proposed_amount_fen or 0, "拟自确认次月起", masks[app.program]))
            cases.append({"application": app.pk})
        start = min([a.publicity_start for a in qs] or [day])
        end = max([a.publicity_end for a in qs] or [day + dt.timedelta(days=parameter("dibao.procedure.publicity_days", day) - 1)])
    else:
        qs = (
            Enrolment.objects.visible_to(actor)
            .filter(division_code=division_code, status=EnrolmentStatus.ACTIVE, program__in=programs)
            .select_related("payee")
            .order_by("program", "id")
        )
        for e in qs:
            entries.append(_entry(e.payee.name, e.people_covered, e.program, e.amount_fen, f"{e.start_month:%Y年%m月}起", masks[e.program]))
            cases.append({"enrolment": e.pk})
        start = day
        end = day + dt.timedelta(days=parameter("dibao.procedure.publicity_days", day) - 1)
    if not entries:
        raise ValidationFailed({"division_code": "该村（社区）没有可公示的对象"})
    notice = PublicNotice.objects.create(
        number=placeholder_number(),
        division_code=division_code,
        kind=kind,
        program=program,
        period_start=start,
        period_end=end,
        complaint_phone="；".join(sorted(phones)),
        names_masked=all(masks.values()),
        entries=entries,
        entry_cases=cases,
        created_by_id=actor.user_id,
    )
    notice.number = f"GS{day:%Y%m%d}-{division_code}-{notice.pk}"
    PublicNotice.objects.filter(pk=notice.pk).update(number=notice.number)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="public_notice", object_id=notice.pk, division_code=division_code,
        summary=f"发布公示 {notice.number}（{NoticeKind(kind).label}，{len(entries)}条）",
    )
    return notice


def _heading(notice: PublicNotice) -> tuple[str, str, str]:
    directory = get_directory()
    village = directory.get(notice.division_code)
    town = directory.town_of(notice.division_code)
    label = Program(notice.program).label if notice.program else "最低生活保障和特困人员救助供养"
    kind_text = f"拟纳入{label}的对象" if notice.kind == NoticeKind.APPLICATIONS else f"{label}在保对象"
    title = f"{town.name if town else ''}{village.name if village else ''}{label}{'审核确认' if notice.kind == NoticeKind.APPLICATIONS else '对象'}公示"
    return title, kind_text, directory.path_name(notice.division_code)


def notice_pdf(actor: Actor, notice: PublicNotice) -> bytes:
    heading, kind_text, village_path = _heading(notice)
    pdf = render_pdf(
        "assistance/pdf/public_notice.html",
        {"title": heading, "heading": heading, "notice": notice, "kind_text": kind_text, "village_path": village_path, "town_org": org_name(notice.division_code[:9])},
    )
    record_audit_event(actor, AuditAction.PRINT, object_type="public_notice", object_id=notice.pk, division_code=notice.division_code, summary=f"打印公示 {notice.number}")
    return pdf


NOTICE_HEADERS = ["序号", "姓名", "保障人数", "救助项目", "月保障金额（元）", "保障期"]


def notice_xlsx(actor: Actor, notice: PublicNotice) -> tuple[bytes, int]:
    heading, _, _ = _heading(notice)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("公示名单")
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    cell = wb.add_format({"border": 1})
    ws.write_string(0, 0, heading, bold)
    ws.write_string(1, 0, f"公示期：{notice.period_start:%Y-%m-%d} 至 {notice.period_end:%Y-%m-%d}")
    for c, h in enumerate(NOTICE_HEADERS):
        ws.write_string(2, c, h, head)
        ws.set_column(c, c, 16)
    for r, e in enumerate(notice.entries, start=3):
        ws.write_number(r, 0, r - 2, cell)
        ws.write_string(r, 1, safe_cell(e["name"]), cell)
        ws.write_number(r, 2, e["people"], cell)
        ws.write_string(r, 3, e["program"], cell)
        ws.write_string(r, 4, format_yuan(e["amount_fen"], grouping=False), cell)
        ws.write_string(r, 5, safe_cell(e["period"]), cell)
    last = 3 + len(notice.entries)
    ws.write_string(last + 1, 0, f"监督举报电话：{notice.complaint_phone}")
    wb.close()
    record_audit_event(actor, AuditAction.EXPORT, object_type="public_notice", object_id=notice.pk, division_code=notice.division_code, summary=f"导出公示 {notice.number}（{len(notice.entries)}条）")
    return buf.getvalue(), len(notice.entries)
