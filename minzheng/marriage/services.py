"""Computations of the marriage registry other code may call: the divorce calendar, the civil
code's conditions of a marriage, the 户籍 province of a party (跨省通办), the current marriage
of an ID number in our own records."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from minzheng.cases.calendar import WorkCalendar, work_calendar
from minzheng.core.ages import age_on
from minzheng.core.district import district_code
from minzheng.marriage.enums import MarriageStatus, PriorStatus, Residence
from minzheng.marriage.params import param, value

CHONGQING = "50"  # GB/T 2260 province code of Chongqing (policy-facts §10.1)
ONE_DAY = dt.timedelta(days=1)


# --- 跨省通办 --------------------------------------------------------------------------------------


def residence_of(hukou_code: str) -> str:
    """本区 / 市内其他区县 / 外省 from the 户籍 code (the registry's 户籍地 code, or the ID
    number's address code for a party entered at the counter)."""
    code = hukou_code or ""
    if code.startswith(district_code()):
        return Residence.DISTRICT
    if code[:2] == CHONGQING:
        return Residence.CHONGQING
    return Residence.OTHER_PROVINCE


def is_cross_province(*hukou_codes: str) -> bool:
    """跨省通办: a party's 户籍 is outside Chongqing (province digits 1–2 not 50)."""
    return any((code or "")[:2] != CHONGQING for code in hukou_codes)


# --- the divorce calendar ---------------------------------------------------------------------------


def period_end(start: dt.date, days: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of a period of ``days`` calendar days counted from the day after ``start``;
    a period ending on a rest day or public holiday ends on the first working day after it
    (service-lines §0: 民法典 第201–203条, applied by MCA to the cooling-off period)."""
    cal = calendar or work_calendar()
    end = start + dt.timedelta(days=days)
    while not cal.is_workday(end):
        end += ONE_DAY
    return end


@dataclass(frozen=True)
class DivorceCalendar:
    accepted_on: dt.date
    cooling_end_on: dt.date  # last day either party may withdraw
    issue_from: dt.date  # first day both may come to register
    issue_deadline_on: dt.date  # last day; after it the application is deemed withdrawn


def divorce_calendar(accepted_on: dt.date, calendar: WorkCalendar | None = None) -> DivorceCalendar:
    cal = calendar or work_calendar()
    cooling_end = period_end(accepted_on, value("divorce.cooling_off_days", accepted_on), cal)
    deadline = period_end(cooling_end, value("divorce.issue_days", accepted_on), cal)
    return DivorceCalendar(accepted_on, cooling_end, cooling_end + ONE_DAY, deadline)


# --- the conditions of a marriage ---------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    article: str
    passed: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def current_marriage_of(id_index: str, *, exclude_pk: int | None = None):
    """The registered, not ended marriage of this ID number in our records whose other spouse
    is not recorded dead, or None."""
    from minzheng.marriage.models import Marriage  # local import: services is read by models' neighbours at import time

    qs = Marriage.objects.filter(status=MarriageStatus.REGISTERED, ended_on__isnull=True).select_related("man_person", "woman_person")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    for m in qs.filter(man_id_index=id_index) | qs.filter(woman_id_index=id_index):
        spouse = m.woman_person if m.man_id_index == id_index else m.man_person
        if spouse is not None and spouse.is_deceased:
            continue
        return m
    return None


def evaluate(m, today: dt.date) -> list[Condition]:
    """The civil code's conditions on the day, each with its reason (民法典 第1046–1049条)."""
    man_min, woman_min = param("conditions.min_age_man", today), param("conditions.min_age_woman", today)
    out: list[Condition] = []
    man_age, woman_age = age_on(m.man_birth_date, today), age_on(m.woman_birth_date, today)
    out.append(Condition("age_man", "男方达到法定婚龄", "民法典第一千零四十七条", man_age >= int(man_min.value),
                         f"男方{man_age}周岁，法定婚龄{int(man_min.value)}周岁"))  # fmt: skip
    out.append(Condition("age_woman", "女方达到法定婚龄", "民法典第一千零四十七条", woman_age >= int(woman_min.value),
                         f"女方{woman_age}周岁，法定婚龄{int(woman_min.value)}周岁"))  # fmt: skip
    out.append(Condition("present", "双方亲自到场", "婚姻登记条例第五条", bool(m.both_present),
                         "双方亲自到场" if m.both_present else "男女双方须亲自到婚姻登记机关申请"))  # fmt: skip
    out.append(Condition("voluntary", "双方完全自愿", "民法典第一千零四十六条", bool(m.voluntary),
                         "双方完全自愿" if m.voluntary else "结婚须男女双方完全自愿"))  # fmt: skip
    out.append(Condition("declaration", "签署声明书", "婚姻登记条例第五条", bool(m.declaration_signed),
                         "已签署本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的声明" if m.declaration_signed else "未签署声明书"))  # fmt: skip
    out.append(Condition("relation", "无禁止结婚的亲属关系", "民法典第一千零四十八条", bool(m.no_prohibited_relation),
                         "双方声明无直系血亲和三代以内旁系血亲关系" if m.no_prohibited_relation else "双方为直系血亲或三代以内旁系血亲（含拟制血亲）"))  # fmt: skip
    for side, label in (("man", "男方"), ("woman", "女方")):
        existing = current_marriage_of(getattr(m, f"{side}_id_index"), exclude_pk=m.pk)
        prior = getattr(m, f"{side}_prior")
        detail = (
            f"{label}在本处有未解除的婚姻登记（{existing.certificate_number}，{existing.registered_on:%Y-%m-%d}登记）"
            if existing else f"{label}在本处无未解除的婚姻登记（声明：{PriorStatus(prior).label}）"
        )  # fmt: skip
        out.append(Condition(f"married_{side}", f"{label}无配偶", "民法典第一千零四十二条", existing is None, detail))
        person = getattr(m, f"{side}_person", None)
        if person is not None and person.is_deceased:
            out.append(Condition(f"alive_{side}", f"{label}在世", "", False, f"{label}已登记死亡"))
    if m.man_id_index and m.man_id_index == m.woman_id_index:
        out.append(Condition("distinct", "双方为不同的人", "", False, "男方与女方身份证号码相同"))
    return out


def unmet(conditions: list[Condition]) -> list[Condition]:
    return [c for c in conditions if not c.passed]


def refusal_text(conditions: list[Condition]) -> str:
    return "；".join(f"{c.label}（{c.detail}）" for c in unmet(conditions))


def age_band(age: int) -> str:
    """The age bands of the statistics (presentation only)."""
    if age < 25:
        return "25岁以下"
    if age < 30:
        return "25–29岁"
    if age < 40:
        return "30–39岁"
    if age < 50:
        return "40–49岁"
    return "50岁及以上"


AGE_BANDS = ("25岁以下", "25–29岁", "30–39岁", "40–49岁", "50岁及以上")
