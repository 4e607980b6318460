"""Every write of the community-governance line: named, atomic, audited ``do_*`` actions.
Refusals are Chinese ``ValidationFailed({field: message})`` and write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.cases.actions import Step, do_transition, lock_case, record_event, update_case
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.divisions.directory import get_directory
from minzheng.divisions.outline import in_bbox
from minzheng.communities.access import access_facility_by_id, access_matter_by_id, access_worker_by_id
from minzheng.communities.enums import (
    DEFAULT_OWNER,
    GRADE_BANDS,
    CharterKind,
    DisclosureCategory,
    ElectionStatus,
    FacilityStatus,
    MatterCategory,
    MatterOwner,
    MatterStatus,
    Ownership,
    Post,
    SiteEvaluation,
    SiteLevel,
    WorkerPost,
)
from minzheng.communities.models import (
    Candidate,
    Charter,
    CommitteeMember,
    Consultation,
    DemonstrationSite,
    Disclosure,
    Election,
    Matter,
    QualificationAnswer,
    ServiceFacility,
    Training,
    Worker,
)
from minzheng.communities.permissions import CommunityPerm
from minzheng.communities.workflow import ELECTION_WORKFLOW

TERM_YEARS = 5  # 村委会、居委会每届任期五年 (since 2018-12-29, service-lines.md §10)


def _village(actor: Actor, division_code: str, errors: dict, field: str = "division_code") -> None:
    info = get_directory().get(division_code or "")
    if info is None or len(division_code) != 12:
        errors[field] = "请选择村（社区）"
        return
    check_division_in_scope(actor, division_code)


def _text(value: str, errors: dict, field: str, message: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = message
    elif len(value) > max_length:
        errors[field] = f"不能超过{max_length}个字"
    return value


MAX_ROOMS = 10_000  # no facility has more; the column holds up to 32,767
MAX_DECIMAL = Decimal(10**8)  # the columns hold 8 digits before the point


def _decimal(value, errors: dict, field: str, label: str) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = f"{label}须为数字"
        return None
    if not number.is_finite():
        errors[field] = f"{label}须为数字"
        return None
    if number < 0:
        errors[field] = f"{label}不能为负数"
        return None
    if number >= MAX_DECIMAL:
        errors[field] = f"{label}过大，请核对"
        return None
    return number.quantize(Decimal("0.01"))


def _degrees(value, errors: dict, field: str, label: str) -> Decimal | None:
    """An optional longitude or latitude in degrees, to the micro-degree (≈ 0.1 m)."""
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite() or abs(number) > 180:
        errors[field] = f"{label}须为度数（如 107.39）"
        return None
    return number.quantize(Decimal("0.000001"))


def _choice(value: str, choices, errors: dict, field: str, message: str) -> str:
    if value not in choices.values:
        errors[field] = message
    return value


def _date(value, errors: dict, field: str, label: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        errors[field] = f"请填写{label}（年-月-日）"
        return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _audit(actor: Actor, action: str, object_type: str, obj, summary: str) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=obj.division_code, summary=summary)


# --- 1. 社区综合服务设施 ------------------------------------------------------------------------


@transaction.atomic
def do_save_facility(
    actor: Actor, *, facility_id: int | None = None, division_code: str, name: str, area_m2, rooms: int = 0,
    functions: str = "", hours: str = "", ownership: str,
    status: str = FacilityStatus.IN_USE, opened_on: dt.date | None = None, lon=None, lat=None,
) -> ServiceFacility:
    """Register a facility, or correct one (``facility_id``) of a village the actor covers."""
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    facility = access_facility_by_id(actor, facility_id, for_update=True) if facility_id else None
    _village(actor, division_code, errors)
    name = _text(name, errors, "name", "请填写设施名称", 100)
    area = _decimal(area_m2, errors, "area_m2", "建筑面积")
    _choice(ownership, Ownership, errors, "ownership", "请选择产权")
    _choice(status, FacilityStatus, errors, "status", "请选择状态")
    if rooms is None or int(rooms) < 0:
        errors["rooms"] = "功能室数不能为负数"
    elif int(rooms) > MAX_ROOMS:
        errors["rooms"] = f"功能室数不能超过{MAX_ROOMS}间，请核对"
    if opened_on and opened_on > clock.today():
        errors["opened_on"] = "投入使用日期不能晚于今天"
    x = _degrees(lon, errors, "lon", "经度")
    y = _degrees(lat, errors, "lat", "纬度")
    if (x is None) != (y is None) and "lon" not in errors and "lat" not in errors:
        errors["lon" if x is None else "lat"] = "经度和纬度须同时填写"
    elif x is not None and y is not None and not in_bbox(x, y):
        errors["lon"] = "坐标不在涪陵区范围内"
    if errors:
        raise ValidationFailed(errors)
    values = dict(division_code=division_code, name=name, area_m2=area, rooms=int(rooms), functions=functions.strip()[:300],
                  hours=hours.strip()[:100], ownership=ownership, status=status,
                  opened_on=opened_on, lon=x, lat=y)  # fmt: skip
    if facility is None:
        facility = ServiceFacility.objects.create(**values)
        _audit(actor, AuditAction.CREATE, "communities.facility", facility, f"登记社区综合服务设施：{name}，{area}平方米")
    else:
        for k, v in values.items():
            setattr(facility, k, v)
        facility.save()
        _audit(actor, AuditAction.UPDATE, "communities.facility", facility, f"修改社区综合服务设施：{name}，{area}平方米")
    return facility


# --- 2. 村（居）委会、选举、公开、协商 ---------------------------------------------------------------


@transaction.atomic
def do_add_member(actor: Actor, *, division_code: str, name: str, post: str, term_start: dt.date, term_end: dt.date | None = None,
                  is_woman: bool = False, party_secretary: bool = False) -> CommitteeMember:
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    name = _text(name, errors, "name", "请填写姓名", 50)
    _choice(post, Post, errors, "post", "请选择职务")
    start = _date(term_start, errors, "term_start", "任期开始日期")
    end = _date(term_end, errors, "term_end", "任期届满日期") if term_end else (_add_years(start, TERM_YEARS) - dt.timedelta(days=1) if start else None)
    if start and end and end <= start:
        errors["term_end"] = "任期届满日期须晚于任期开始日期"
    if errors:
        raise ValidationFailed(errors)
    member = CommitteeMember.objects.create(division_code=division_code, name=name, post=post, term_start=start, term_end=end,
                                            is_woman=is_woman, party_secretary=party_secretary)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "communities.member", member, f"登记村（居）委会成员：{name}（{Post(post).label}）")
    return member


@transaction.atomic
def do_end_member_term(actor: Actor, member_id, *, left_on) -> CommitteeMember:
    """离任 before the term ends (辞职、罢免、去世): the member leaves the sitting committee."""
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    try:
        member = CommitteeMember.objects.visible_to(actor).select_for_update().get(pk=int(member_id), left_on__isnull=True)
    except (CommitteeMember.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该成员") from None
    errors: dict[str, str] = {}
    day = _date(left_on, errors, "left_on", "离任日期")
    if day and day > clock.today():
        errors["left_on"] = "离任日期不能晚于今天"
    elif day and day < member.term_start:
        errors["left_on"] = "离任日期不能早于任期开始日期"
    if errors:
        raise ValidationFailed(errors)
    member.left_on = day
    member.save(update_fields=["left_on"])
    _audit(actor, AuditAction.UPDATE, "communities.member", member, f"村（居）委会成员离任：{member.name}（{day:%Y-%m-%d}）")
    return member


@transaction.atomic
def do_open_election(actor: Actor, *, division_code: str, term_start, voting_date, registered_voters: int,
                     candidates: list[dict]) -> Election:
    """Open a 换届选举 of a village the actor covers, with its candidates; it starts in 资格联审."""
    actor.require(CommunityPerm.MANAGE_ELECTIONS)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    start = _date(term_start, errors, "term_start", "届期开始日期")
    voting = _date(voting_date, errors, "voting_date", "选举日期")
    if start and voting and voting < start:
        errors["voting_date"] = "选举日期不能早于届期开始日期"
    if not isinstance(registered_voters, int) or registered_voters <= 0:
        errors["registered_voters"] = "登记选民数须为正整数"
    clean = []
    for c in candidates or []:
        cname = (c.get("name") or "").strip()
        if not cname:
            continue
        if c.get("post") not in Post.values:
            errors["candidates"] = f"候选人{cname}的拟任职务无效"
        clean.append((cname[:50], c.get("post"), bool(c.get("is_woman"))))
    if not clean:
        errors.setdefault("candidates", "请至少填写一名候选人")
    if errors:
        raise ValidationFailed(errors)
    if Election.objects.filter(division_code=division_code).exclude(status__in=[ElectionStatus.CERTIFIED, ElectionStatus.CANCELLED]).exists():
        raise ValidationFailed({"division_code": "该村（社区）已有进行中的换届选举"})
    election = Election.objects.create(division_code=division_code, status=ElectionStatus.QUALIFYING, term_start=start,
                                       term_end=_add_years(start, TERM_YEARS) - dt.timedelta(days=1), voting_date=voting,
                                       registered_voters=registered_voters, step_started_on=clock.today())  # fmt: skip
    Candidate.objects.bulk_create([Candidate(election=election, division_code=division_code, name=n, post=p, is_woman=w) for n, p, w in clean])
    record_event(actor, ELECTION_WORKFLOW, election, action="create", label="启动换届选举", from_status="", to_status=election.status)
    _audit(actor, AuditAction.CREATE, "communities.election", election, f"启动换届选举，候选人{len(clean)}名，选举日期{voting.isoformat()}")
    return election


@transaction.atomic
def do_record_answer(actor: Actor, election: Election, *, candidate_id, department: str, passed: bool, note: str = "",
                     answered_on=None, expected_version: int) -> QualificationAnswer:
    """A department's answer in the 资格联审 of a candidate (only while the election is in 资格联审)."""
    actor.require(CommunityPerm.MANAGE_ELECTIONS)
    current = lock_case(actor, ELECTION_WORKFLOW, election, expected_version)
    if current.status != ElectionStatus.QUALIFYING:
        raise ValidationFailed({"department": "资格联审已结束，不能再录入联审意见"})
    errors: dict[str, str] = {}
    candidate = current.candidates.filter(pk=candidate_id).first() if str(candidate_id or "").isdigit() else None
    if candidate is None:
        errors["candidate"] = "请选择候选人"
    department = _text(department, errors, "department", "请填写联审部门", 40)
    day = _date(answered_on or clock.today(), errors, "answered_on", "答复日期")
    if day and day > clock.today():
        errors["answered_on"] = "答复日期不能晚于今天"
    if not passed and not (note or "").strip():
        errors["note"] = "审查不通过时请填写理由"
    if candidate is not None and department and candidate.answers.filter(department=department).exists():
        errors["department"] = f"{department}已答复该候选人"
    if errors:
        raise ValidationFailed(errors)
    answer = QualificationAnswer.objects.create(candidate=candidate, division_code=current.division_code, department=department,
                                                passed=bool(passed), note=(note or "").strip()[:200], answered_on=day)  # fmt: skip
    update_case(actor, ELECTION_WORKFLOW, current, action="answer", label="录入联审意见",
                reason=f"{department}：{candidate.name}{'通过' if passed else '不通过（' + answer.note + '）'}", updates={})  # fmt: skip
    return answer


def qualified_candidates(election: Election) -> list[Candidate]:
    return [c for c in election.candidates.prefetch_related("answers") if c.answers.all() and not c.refused]


def take_election_step(actor: Actor, election: Election, action: str, *, expected_version: int, reason: str = "",
                       votes_cast=None, votes: dict | None = None, certificate_no: str = "") -> Election:
    """资格联审通过 (qualify), 录入选举结果 (vote), 发放当选证书 (certify), 终止 (cancel)."""

    def prepare(current: Election, transition) -> Step:
        candidates = list(current.candidates.prefetch_related("answers"))
        if transition.action == "qualify":
            unanswered = [c.name for c in candidates if not c.answers.all()]
            if unanswered:
                raise ValidationFailed({"candidates": f"尚未收到联审意见的候选人：{'、'.join(unanswered)}"})
            ok = [c for c in candidates if not c.refused]
            if not ok:
                raise ValidationFailed({"candidates": "没有通过资格联审的候选人"})
            refused = [c.name for c in candidates if c.refused]
            return Step(reason=f"通过{len(ok)}名" + (f"；不通过：{'、'.join(refused)}" if refused else ""))
        if transition.action == "vote":
            errors: dict[str, str] = {}
            if current.voting_date > clock.today():
                errors["voting_date"] = "选举日期未到，不能录入结果"
            try:
                cast = int(votes_cast)
            except (TypeError, ValueError):
                cast = -1
            if cast < 0 or cast > current.registered_voters:
                errors["votes_cast"] = "参加投票人数须为0至登记选民数之间的整数"
            elif cast * 2 <= current.registered_voters:
                errors["votes_cast"] = "参加投票的选民未过登记选民半数，选举无效"
            counted: dict[int, int] = {}
            for c in candidates:
                if c.refused:
                    continue
                raw = (votes or {}).get(c.pk, (votes or {}).get(str(c.pk)))
                try:
                    n = int(raw)
                except (TypeError, ValueError):
                    errors[f"votes_{c.pk}"] = f"请填写{c.name}的得票数"
                    continue
                if n < 0 or (cast >= 0 and n > cast):
                    errors[f"votes_{c.pk}"] = f"{c.name}的得票数须在0至参加投票人数之间"
                counted[c.pk] = n
            if errors:
                raise ValidationFailed(errors)
            elected = []
            for c in candidates:
                if c.pk in counted:
                    c.votes = counted[c.pk]
                    c.elected = counted[c.pk] * 2 > cast  # 获得参加投票的选民过半数的选票，始得当选
                    c.save(update_fields=["votes", "elected"])
                    if c.elected:
                        elected.append(c.name)
            return Step(updates={"votes_cast": cast}, reason=f"参加投票{cast}人；当选：{'、'.join(elected) or '无'}")
        if transition.action == "certify":
            number = (certificate_no or "").strip()
            if not number:
                raise ValidationFailed({"certificate_no": "请填写当选证书编号"})
            winners = [c for c in candidates if c.elected]
            if not winners:
                raise ValidationFailed({"certificate_no": "没有当选人，不能发证"})
            day = clock.today()
            CommitteeMember.objects.filter(division_code=current.division_code, left_on__isnull=True).update(left_on=day)
            CommitteeMember.objects.bulk_create([
                CommitteeMember(division_code=current.division_code, name=c.name, post=c.post, is_woman=c.is_woman,
                                term_start=current.voting_date, term_end=current.term_end, election=current)
                for c in winners
            ])  # fmt: skip
            return Step(updates={"certificate_no": number[:40], "certified_on": day}, reason=f"证书{number}，当选{len(winners)}人")
        return Step()

    return do_transition(actor, ELECTION_WORKFLOW, election, action, expected_version=expected_version, reason=reason, prepare=prepare)


@transaction.atomic
def do_add_disclosure(actor: Actor, *, division_code: str, year: int, quarter: int, category: str, title: str,
                      published_on) -> Disclosure:
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    title = _text(title, errors, "title", "请填写公开事项", 200)
    _choice(category, DisclosureCategory, errors, "category", "请选择类别")
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "季度应为1至4"
    if not isinstance(year, int) or not 2000 <= year <= clock.today().year:
        errors["year"] = "年度无效"
    day = _date(published_on, errors, "published_on", "公开日期")
    if day and day > clock.today():
        errors["published_on"] = "公开日期不能晚于今天"
    if errors:
        raise ValidationFailed(errors)
    item = Disclosure.objects.create(division_code=division_code, year=year, quarter=quarter, category=category, title=title, published_on=day)
    _audit(actor, AuditAction.CREATE, "communities.disclosure", item, f"村（居）务公开：{year}年第{quarter}季度 {title}")
    return item


@transaction.atomic
def do_add_consultation(actor: Actor, *, division_code: str, held_on, topic: str, participants: int = 0, outcome: str = "") -> Consultation:
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    topic = _text(topic, errors, "topic", "请填写协商议题", 200)
    day = _date(held_on, errors, "held_on", "协商日期")
    if day and day > clock.today():
        errors["held_on"] = "协商日期不能晚于今天"
    if not isinstance(participants, int) or participants < 0:
        errors["participants"] = "参加人数不能为负数"
    if errors:
        raise ValidationFailed(errors)
    meeting = Consultation.objects.create(division_code=division_code, held_on=day, topic=topic, participants=participants, outcome=outcome.strip())
    _audit(actor, AuditAction.CREATE, "communities.consultation", meeting, f"协商会议：{topic}")
    return meeting


@transaction.atomic
def do_add_matter(actor: Actor, *, division_code: str, title: str, category: str, owner: str = "", handled_by: str = "",
                  raised_on=None, consultation_id=None) -> Matter:
    """A 三事分流 matter; the owner defaults to the category's (大事→政府, 小事→村（社区）, 私事→居民);
    ``consultation_id``: the village's 协商 meeting it was raised at."""
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    title = _text(title, errors, "title", "请填写事项", 200)
    _choice(category, MatterCategory, errors, "category", "请选择大事、小事或私事")
    owner = owner or (DEFAULT_OWNER.get(category, "") if category in MatterCategory.values else "")
    _choice(owner, MatterOwner, errors, "owner", "请选择承办主体")
    day = _date(raised_on or clock.today(), errors, "raised_on", "提出日期")
    consultation = None
    if consultation_id not in (None, ""):
        found = str(consultation_id).isdigit() and Consultation.objects.filter(pk=int(consultation_id), division_code=division_code).first()
        if found:
            consultation = found
        else:
            errors["consultation"] = "请选择本村（社区）的协商会议"
    if errors:
        raise ValidationFailed(errors)
    matter = Matter.objects.create(division_code=division_code, raised_on=day, title=title, category=category, owner=owner,
                                   handled_by=handled_by.strip()[:100], consultation=consultation)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "communities.matter", matter, f"三事分流（{MatterCategory(category).label}）：{title}")
    return matter


@transaction.atomic
def do_close_matter(actor: Actor, matter_id, *, outcome: str) -> Matter:
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    matter = access_matter_by_id(actor, matter_id, for_update=True)
    errors: dict[str, str] = {}
    outcome = _text(outcome, errors, "outcome", "请填写办理结果", 2000)
    if matter.status == MatterStatus.DONE:
        errors["outcome"] = "该事项已办结"
    if errors:
        raise ValidationFailed(errors)
    matter.status, matter.outcome, matter.closed_on = MatterStatus.DONE, outcome, clock.today()
    matter.save(update_fields=["status", "outcome", "closed_on"])
    _audit(actor, AuditAction.UPDATE, "communities.matter", matter, f"三事分流事项办结：{matter.title}")
    return matter


# --- 3. 自治章程与村规民约 ---------------------------------------------------------------------------


@transaction.atomic
def do_add_charter(actor: Actor, *, division_code: str, kind: str, approved_on, approved_by: str = "", text: str = "") -> Charter:
    """A new version of a community's 自治章程 or 村规民约 (the version number follows the last)."""
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    _choice(kind, CharterKind, errors, "kind", "请选择自治章程或村规民约")
    day = _date(approved_on, errors, "approved_on", "通过日期")
    if day and day > clock.today():
        errors["approved_on"] = "通过日期不能晚于今天"
    if errors:
        raise ValidationFailed(errors)
    last = Charter.objects.select_for_update().filter(division_code=division_code, kind=kind).order_by("-version").first()
    if last is not None and day <= last.approved_on:
        raise ValidationFailed({"approved_on": f"通过日期须晚于上一版本（第{last.version}版，{last.approved_on.isoformat()}）"})
    charter = Charter.objects.create(division_code=division_code, kind=kind, version=(last.version + 1) if last else 1,
                                     approved_on=day, approved_by=approved_by.strip()[:100], text=text.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, "communities.charter", charter, f"{CharterKind(kind).label}第{charter.version}版")
    return charter


# --- 4. 社区工作者 -------------------------------------------------------------------------------------


@transaction.atomic
def do_add_worker(actor: Actor, *, division_code: str, name: str, post: str, grade: int | None, started_on,
                  certified_social_worker: bool = False, certificate_no: str = "") -> Worker:
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    name = _text(name, errors, "name", "请填写姓名", 50)
    _choice(post, WorkerPost, errors, "post", "请选择岗位")
    if grade is not None and post in WorkerPost.values:
        lo, hi = GRADE_BANDS[WorkerPost(post)]
        if not lo <= grade <= hi:
            errors["grade"] = f"{WorkerPost(post).label}的等级应在{lo}至{hi}级之间"
    day = _date(started_on, errors, "started_on", "入职日期")
    if day and day > clock.today():
        errors["started_on"] = "入职日期不能晚于今天"
    if certified_social_worker and not certificate_no.strip():
        errors["certificate_no"] = "请填写证书编号"
    if errors:
        raise ValidationFailed(errors)
    worker = Worker.objects.create(division_code=division_code, name=name, post=post, grade=grade, started_on=day,
                                   certified_social_worker=certified_social_worker, certificate_no=certificate_no.strip()[:40])  # fmt: skip
    _audit(actor, AuditAction.CREATE, "communities.worker", worker, f"登记社区工作者：{name}")
    return worker


@transaction.atomic
def do_add_training(actor: Actor, worker_id, *, course: str, held_on, hours) -> Training:
    actor.require(CommunityPerm.MANAGE_COMMUNITY)
    worker = access_worker_by_id(actor, worker_id)
    errors: dict[str, str] = {}
    course = _text(course, errors, "course", "请填写培训内容", 100)
    day = _date(held_on, errors, "held_on", "培训日期")
    if day and day > clock.today():
        errors["held_on"] = "培训日期不能晚于今天"
    h = _decimal(hours, errors, "hours", "学时")
    if h is not None and h == 0:
        errors["hours"] = "学时须大于0"
    if errors:
        raise ValidationFailed(errors)
    training = Training.objects.create(worker=worker, division_code=worker.division_code, course=course, held_on=day, hours=h.quantize(Decimal("0.1")))
    _audit(actor, AuditAction.CREATE, "communities.training", training, f"培训记录：{worker.name} {course}")
    return training


# --- 5. 社区治理示范点 ---------------------------------------------------------------------------------


@transaction.atomic
def do_add_site(actor: Actor, *, division_code: str, level: str, year: int, theme: str,
                evaluation: str = SiteEvaluation.PENDING) -> DemonstrationSite:
    actor.require(CommunityPerm.MANAGE_DEMONSTRATION_SITES)
    if actor.level != "district":
        raise PermissionDenied("社区治理示范点由区民政局认定")
    errors: dict[str, str] = {}
    _village(actor, division_code, errors)
    _choice(level, SiteLevel, errors, "level", "请选择区级或市级")
    _choice(evaluation, SiteEvaluation, errors, "evaluation", "请选择评估结果")
    theme = _text(theme, errors, "theme", "请填写示范主题", 100)
    if not isinstance(year, int) or not 2021 <= year <= clock.today().year:
        errors["year"] = f"命名年度应在2021至{clock.today().year}年之间"
    if not errors and DemonstrationSite.objects.filter(division_code=division_code, level=level).exists():
        errors["division_code"] = f"该村（社区）已是{SiteLevel(level).label}示范点"
    if errors:
        raise ValidationFailed(errors)
    site = DemonstrationSite.objects.create(division_code=division_code, level=level, year=year, theme=theme, evaluation=evaluation)
    _audit(actor, AuditAction.CREATE, "communities.site", site, f"{SiteLevel(level).label}社区治理示范点：{theme}")
    return site
