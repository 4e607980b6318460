"""Every write of the volunteer line: named, atomic, audited; Chinese refusals naming the
field, nothing written on bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Sum

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.communities.access import access_facility_by_id
from minzheng.communities.enums import FacilityStatus
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.registry.selectors import list_persons_for
from minzheng.volunteers.enums import RequestSource, RequestStatus
from minzheng.volunteers.models import (
    Activity,
    Certificate,
    Organisation,
    ServiceHours,
    ServiceRequest,
    Station,
    Team,
    Volunteer,
)
from minzheng.volunteers.permissions import VolunteerPerm

P = VolunteerPerm
GUARDIAN_AGE = 14  # under 14: hours only with a guardian's consent on record (issue 18)
MAX_HOURS = Decimal("24")


def _audit(actor: Actor, action: str, obj, object_type: str, summary: str) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=obj.division_code, summary=summary)


def _division(actor: Actor, code: str, errors: dict, *, length: tuple[int, ...] = (6, 9, 12), field: str = "division_code") -> None:
    if not code or get_directory().get(code) is None:
        errors[field] = "请选择区划"
    elif not actor.covers(code):
        errors[field] = "该区划不在您的管辖范围内"
    elif len(code) not in length:
        errors[field] = "请选择村（社区）" if length == (12,) else "请选择乡镇（街道）或区级"


def _past_date(value: dt.date | None, field: str, label: str, errors: dict) -> None:
    if value is None:
        errors[field] = f"请填写{label}"
    elif value > clock.today():
        errors[field] = f"{label}不能晚于今天"


@transaction.atomic
def do_register_organisation(actor: Actor, *, name: str, division_code: str, founded_on: dt.date | None,
                             registration_no: str = "") -> Organisation:  # fmt: skip
    actor.require(P.MANAGE_VOLUNTEER_ORGS)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写组织名称"
    _division(actor, division_code, errors, length=(6, 9))
    _past_date(founded_on, "founded_on", "成立日期", errors)
    if errors:
        raise ValidationFailed(errors)
    org = Organisation.objects.create(name=name.strip(), division_code=division_code, founded_on=founded_on,
                                      registration_no=registration_no.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, org, "volunteers.organisation", f"登记志愿服务组织：{org.name}")
    return org


@transaction.atomic
def do_add_team(actor: Actor, organisation: Organisation, *, name: str, division_code: str) -> Team:
    actor.require(P.MANAGE_VOLUNTEER_ORGS)
    check_division_in_scope(actor, organisation.division_code)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写队伍名称"
    _division(actor, division_code, errors)
    if "division_code" not in errors and not division_code.startswith(organisation.division_code):
        errors["division_code"] = "队伍应在所属组织的辖区内"
    if errors:
        raise ValidationFailed(errors)
    team = Team.objects.create(organisation=organisation, name=name.strip(), division_code=division_code)
    _audit(actor, AuditAction.CREATE, team, "volunteers.team", f"成立志愿服务队伍：{organisation.name} {team.name}")
    return team


@transaction.atomic
def do_register_station(actor: Actor, *, name: str, division_code: str, opened_on: dt.date | None, facility_id: object = None) -> Station:
    """建立站点 in a village, placed in one of its community service facilities in use (the
    facility register of ``communities``) or, with no facility, outside one."""
    actor.require(P.MANAGE_VOLUNTEER_ORGS)
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写站点名称"
    _division(actor, division_code, errors, length=(12,))
    _past_date(opened_on, "opened_on", "建成日期", errors)
    facility = None
    if facility_id not in (None, ""):
        try:
            facility = access_facility_by_id(actor, facility_id)
        except NotFound:
            errors["facility"] = "请选择本辖区内的社区综合服务设施"
        else:
            if facility.status != FacilityStatus.IN_USE:
                errors["facility"] = f"{facility.name}未在使用中，不能设立站点"
            elif "division_code" not in errors and facility.division_code != division_code:
                errors["facility"] = f"{facility.name}不在所选村（社区），请选择该村（社区）的设施"
    if "division_code" not in errors and Station.objects.filter(division_code=division_code, closed_on__isnull=True).exists():
        errors["division_code"] = "该村（社区）已有志愿服务站点"
    if errors:
        raise ValidationFailed(errors)
    station = Station.objects.create(name=name.strip(), division_code=division_code, opened_on=opened_on, facility=facility)
    where = f"，设在{facility.name}" if facility else "，未设在社区综合服务设施内"
    _audit(actor, AuditAction.CREATE, station, "volunteers.station", f"建立志愿服务站点：{station.name}{where}")
    return station


@transaction.atomic
def do_register_volunteer(actor: Actor, *, person, consent_on: dt.date | None, organisation: Organisation | None = None,
                          team: Team | None = None, skills: str = "", available_time: str = "", guardian_name: str = "",
                          guardian_consent_on: dt.date | None = None) -> Volunteer:  # fmt: skip
    """登记: a person of the registry (of the actor's divisions), with their consent."""
    actor.require(P.MANAGE_VOLUNTEERS)
    errors: dict[str, str] = {}
    today = clock.today()
    if person is None:
        errors["person"] = "请从人口登记中选择人员"
    else:
        if not actor.covers(person.division_code or ""):
            errors["person"] = "该人员不在您的管辖范围内"
        elif person.is_deceased:
            errors["person"] = "该人员已登记死亡"
        elif Volunteer.objects.filter(person=person, left_on__isnull=True).exists():
            errors["person"] = "该人员已是注册志愿者"
    _past_date(consent_on, "consent_on", "本人同意登记日期", errors)
    if guardian_consent_on is not None:
        if guardian_consent_on > today:
            errors["guardian_consent_on"] = "监护人同意日期不能晚于今天"
        if not (guardian_name or "").strip():
            errors["guardian_name"] = "请填写监护人姓名"
    if team is not None and organisation is not None and team.organisation_id != organisation.pk:
        errors["team"] = "队伍不属于所选组织"
    if errors:
        raise ValidationFailed(errors)
    volunteer = Volunteer.objects.create(
        person=person, division_code=person.division_code, organisation=organisation or (team.organisation if team else None),
        team=team, skills=skills.strip(), available_time=available_time.strip(), consent_on=consent_on,
        guardian_name=guardian_name.strip(), guardian_consent_on=guardian_consent_on, registered_on=today,
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, volunteer, "volunteers.volunteer", f"志愿者登记：{person.name}（本人同意）")
    return volunteer


ONLINE_MIN_AGE = 18  # a minor registers at the village with a guardian's consent on record


@transaction.atomic
def do_register_volunteer_online(actor: Actor, *, person, consent: bool, skills: str = "", available_time: str = "") -> Volunteer:
    """自行注册 (志愿服务条例 第七条: a volunteer may register themselves) by a signed-in,
    real-name adult on the citizens' site (``Actor.citizen``; ``person`` is the account's own):
    their consent given on screen today. The registration is the village's like any other (its
    list, its activities, its hours); one active registration a person."""
    if actor.role != "citizen" or person is None:
        raise PermissionDenied()
    errors: dict[str, str] = {}
    today = clock.today()
    if not consent:
        errors["consent"] = "须本人同意登记为注册志愿者，并同意记录志愿服务信息"
    if person.is_deceased or age_on(person.birth_date, today) < ONLINE_MIN_AGE:
        errors["consent"] = "未满18周岁的，请在监护人陪同下到所在村（社区）登记"
    elif Volunteer.objects.filter(person=person, left_on__isnull=True).exists():
        errors["consent"] = "您已是注册志愿者，无需重复登记"
    skills, available_time = (skills or "").strip(), (available_time or "").strip()
    if len(skills) > 200:
        errors["skills"] = "服务技能不能超过200字"
    if len(available_time) > 100:
        errors["available_time"] = "可服务时间不能超过100字"
    if errors:
        raise ValidationFailed(errors)
    volunteer = Volunteer.objects.create(
        person=person, division_code=person.division_code, skills=skills, available_time=available_time,
        consent_on=today, registered_on=today,
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, volunteer, "volunteers.volunteer", f"志愿者网上自行注册：{person.name}（本人在线同意）")
    return volunteer


@transaction.atomic
def do_register_volunteers_in_bulk(actor: Actor, *, person_ids: list[int], consent_on: dt.date, organisations: dict[str, Organisation],
                                   source: str) -> int:  # fmt: skip
    """A list of adults who consented, registered at once (a roster from the national volunteer
    system, the demo's district at its baseline rate): the checks of ``do_register_volunteer``
    asked of the whole list in three queries, one INSERT, one audit event. ``organisations``
    maps a town (or the district) to the organisation the volunteers join. All or nothing."""
    actor.require(P.MANAGE_VOLUNTEERS)
    if consent_on > clock.today():
        raise ValidationFailed({"consent_on": "本人同意登记日期不能晚于今天"})
    people = list(list_persons_for(actor).filter(pk__in=person_ids).values_list("pk", "division_code", "is_deceased", "birth_date"))
    taken = set(Volunteer.objects.filter(person_id__in=person_ids, left_on__isnull=True).values_list("person_id", flat=True))
    today = clock.today()
    problems = [pk for pk, code, dead, born in people if dead or pk in taken or age_on(born, today) < 18]
    if problems or len(people) != len(set(person_ids)):
        raise ValidationFailed({"person_ids": f"{len(problems) or len(set(person_ids)) - len(people)}人不能登记（已死亡、已是志愿者、不在辖区、未成年或不在人口库）"})
    rows = [
        Volunteer(person_id=pk, division_code=code, organisation=organisations.get(code[:9]) or organisations.get(code[:6]),
                  consent_on=consent_on, registered_on=today)
        for pk, code, _, _ in people
    ]  # fmt: skip
    Volunteer.objects.bulk_create(rows, batch_size=5000)
    record_audit_event(actor, AuditAction.IMPORT, object_type="volunteers.volunteer", division_code=district_code(),
                       summary=f"批量登记志愿者{len(rows)}人（{source}，本人同意）")  # fmt: skip
    return len(rows)


@transaction.atomic
def do_leave(actor: Actor, volunteer: Volunteer, *, left_on: dt.date | None) -> Volunteer:
    actor.require(P.MANAGE_VOLUNTEERS)
    check_division_in_scope(actor, volunteer.division_code)
    errors: dict[str, str] = {}
    _past_date(left_on, "left_on", "退出日期", errors)
    if errors:
        raise ValidationFailed(errors)
    volunteer.left_on = left_on
    volunteer.save(update_fields=["left_on"])
    _audit(actor, AuditAction.UPDATE, volunteer, "volunteers.volunteer", f"志愿者退出：{volunteer.person.name}")
    return volunteer


@transaction.atomic
def do_create_activity(actor: Actor, *, title: str, division_code: str, held_on: dt.date | None, station: Station | None = None,
                       organisation: Organisation | None = None, description: str = "") -> Activity:  # fmt: skip
    actor.require(P.MANAGE_VOLUNTEERS)
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = "请填写活动名称"
    _division(actor, division_code, errors)
    if held_on is None:
        errors["held_on"] = "请填写活动日期"
    if errors:
        raise ValidationFailed(errors)
    activity = Activity.objects.create(title=title.strip(), division_code=division_code, held_on=held_on, station=station,
                                       organisation=organisation, description=description.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, activity, "volunteers.activity", f"发布志愿服务活动：{activity.title}")
    return activity


def _hours(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None


@transaction.atomic
def do_sign_in(actor: Actor, activity: Activity, volunteer: Volunteer, *, hours) -> ServiceHours:
    """签到并记录时长: once per person and activity; not for a day to come; a volunteer under 14
    only with a guardian's consent on record; hours above 0 and at most 24."""
    actor.require(P.MANAGE_VOLUNTEERS)
    check_division_in_scope(actor, activity.division_code)
    errors: dict[str, str] = {}
    amount = _hours(hours)
    if amount is None:
        errors["hours"] = "请填写服务时长（小时）"
    elif amount <= 0:
        errors["hours"] = "服务时长应大于0小时，不能为负数或0"
    elif amount > MAX_HOURS:
        errors["hours"] = "服务时长一天不能超过24小时"
    elif amount != amount.quantize(Decimal("0.1")):
        errors["hours"] = "服务时长最多保留一位小数"
    if activity.held_on > clock.today():
        errors["activity"] = "活动尚未开始，不能记录时长"
    if volunteer.left_on is not None and volunteer.left_on <= activity.held_on:
        errors["volunteer"] = "该志愿者已退出"
    elif age_on(volunteer.person.birth_date, activity.held_on) < GUARDIAN_AGE and volunteer.guardian_consent_on is None:
        errors["volunteer"] = "未满14周岁的志愿者须有监护人同意记录，方可记录服务时长"
    elif ServiceHours.objects.filter(activity=activity, volunteer=volunteer).exists():
        errors["volunteer"] = "该志愿者本次活动的时长已记录，不能重复记录"
    if errors:
        raise ValidationFailed(errors)
    row = ServiceHours.objects.create(activity=activity, volunteer=volunteer, division_code=activity.division_code, hours=amount,
                                      signed_in_at=clock.now(), recorded_by_id=actor.user_id)  # fmt: skip
    _audit(actor, AuditAction.CREATE, row, "volunteers.hours", f"志愿服务签到：{volunteer.person.name} {activity.title} {amount}小时")
    return row


@transaction.atomic
def do_issue_certificate(actor: Actor, volunteer: Volunteer) -> Certificate:
    """时长证明 (free): the volunteer's total hours on the day, logged with a number."""
    actor.require(P.MANAGE_VOLUNTEERS)
    check_division_in_scope(actor, volunteer.division_code)
    totals = ServiceHours.objects.filter(volunteer=volunteer).aggregate(total=Sum("hours"), n=Count("id"))
    if not totals["n"]:
        raise DomainError("该志愿者尚无服务时长记录，不能出具时长证明", code="no_hours")
    today = clock.today()
    seq = Certificate.objects.filter(issued_on__year=today.year).count() + 1
    cert = Certificate.objects.create(volunteer=volunteer, division_code=volunteer.division_code, number=f"ZYSC{today.year}{seq:06d}",
                                      issued_on=today, total_hours=totals["total"], activities=totals["n"])  # fmt: skip
    _audit(actor, AuditAction.PRINT, cert, "volunteers.certificate", f"出具志愿服务时长证明：{volunteer.person.name} {cert.total_hours}小时")
    return cert


@transaction.atomic
def do_raise_request(actor: Actor, *, person, source: str, need: str) -> ServiceRequest:
    """A need from an elderly person's (60+) or a child's (under 18) file, or a 三留守 visit."""
    actor.require(P.MANAGE_VOLUNTEERS)
    errors: dict[str, str] = {}
    today = clock.today()
    if person is None or not actor.covers(person.division_code or ""):
        errors["person"] = "请选择本辖区内的在册人员"
    elif person.is_deceased:
        errors["person"] = "该人员已登记死亡"
    if source not in RequestSource.values:
        errors["source"] = "请选择需求来源"
    elif person is not None and "person" not in errors:
        age = age_on(person.birth_date, today)
        if source == RequestSource.ELDERLY and age < 60:
            errors["source"] = "该人员未满60周岁，不能从老年人档案提出"
        if source == RequestSource.CHILD and age >= 18:
            errors["source"] = "该人员已满18周岁，不能从儿童档案提出"
    if not (need or "").strip():
        errors["need"] = "请填写服务需求"
    if errors:
        raise ValidationFailed(errors)
    req = ServiceRequest.objects.create(person=person, division_code=person.division_code, source=source, need=need.strip(),
                                        raised_on=today)  # fmt: skip
    _audit(actor, AuditAction.CREATE, req, "volunteers.request", f"提出志愿服务需求：{person.name}（{req.get_source_display()}）")
    return req


@transaction.atomic
def do_offer_request(actor: Actor, req: ServiceRequest, *, station: Station | None = None, organisation: Organisation | None = None,
                     social_work_station=None) -> ServiceRequest:  # fmt: skip
    """派单 to one party serving the person's village: its volunteer station, a volunteer
    organisation of its town or the district, or a station of the social-work network (the
    district centre, the town's 社工站 or the village's 社工室)."""
    actor.require(P.MANAGE_VOLUNTEERS)
    check_division_in_scope(actor, req.division_code)
    if req.status not in (RequestStatus.OPEN, RequestStatus.OFFERED):
        raise DomainError("该需求已响应，不能再派单", code="wrong_state")
    chosen = [(field, party) for field, party in (("station", station), ("organisation", organisation),
                                                   ("social_work_station", social_work_station)) if party is not None]  # fmt: skip
    if not chosen:
        raise ValidationFailed({"station": "请选择对接的志愿服务站点、志愿服务组织或社会工作站点"})
    if len(chosen) > 1:
        raise ValidationFailed({chosen[1][0]: "每次只能派给一个对接方，请只选择一项"})
    field, party = chosen[0]
    serves = party.division_code == req.division_code if field == "station" else req.division_code.startswith(party.division_code)
    if not serves:
        raise ValidationFailed({field: f"{party.name}不服务于{get_directory().name(req.division_code)}，请选择服务该村（社区）的对接方"})
    if getattr(party, "closed_on", None) or getattr(party, "dissolved_on", None):
        raise ValidationFailed({field: f"{party.name}已撤销，不能派单"})
    req.station, req.organisation, req.social_work_station = station, organisation, social_work_station
    req.status, req.offered_on = RequestStatus.OFFERED, clock.today()
    req.save(update_fields=["station", "organisation", "social_work_station", "status", "offered_on"])
    _audit(actor, AuditAction.UPDATE, req, "volunteers.request", f"志愿服务需求派单：{party.name}")
    return req


@transaction.atomic
def do_record_response(actor: Actor, req: ServiceRequest, *, response: str, responded_on: dt.date | None) -> ServiceRequest:
    actor.require(P.MANAGE_VOLUNTEERS)
    check_division_in_scope(actor, req.division_code)
    if req.status != RequestStatus.OFFERED:
        raise DomainError("需求派单后方可登记响应情况", code="wrong_state")
    errors: dict[str, str] = {}
    if not (response or "").strip():
        errors["response"] = "请填写响应情况"
    _past_date(responded_on, "responded_on", "响应日期", errors)
    if errors:
        raise ValidationFailed(errors)
    req.response, req.responded_on, req.status = response.strip(), responded_on, RequestStatus.ANSWERED
    req.save(update_fields=["response", "responded_on", "status"])
    _audit(actor, AuditAction.UPDATE, req, "volunteers.request", f"志愿服务需求已响应：{req.person.name}")
    return req
