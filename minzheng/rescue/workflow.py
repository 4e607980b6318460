"""The station case, declared with the case kit (docs/cases.md).

入站登记 (在站救助) → 查明身份 → 接送返回 (交接) → 确认到达 (已返回; a Fuling person gets the
village's 返乡回访) — or 自行离站 from any state in the station — or, unidentified for the
review period (3 months, parameter ``long_stay.review_months``, 参数待确认), 转为长期滞留 →
启动落户安置 → 落户安置完成. A person identified during a long stay goes back to 查明身份.
A person who dies in hospital (送医救治 ended by 在院死亡) ends in 死亡 from any state in the
station; one discharged from hospital who leaves takes 自行离站.

Who: every step is the station's (``rescue.station``) at the district level — the station is a
unit of the district bureau and its cases carry the district's code (docs/rescue.md §1).

Time: the stay limit (10 days, ``stay.standard_days``) is not a kit ``TimeLimit``: it may be
extended again and again (working default: no cap; each extension with its reason and 备案),
the kit allows one extension. It is the case's ``stay_until``; an over-stay is on the
workbench through the task source ``rescue.overstay`` (task_source.py). The date rules of
the steps (not before the previous step, not in the future, the long-stay review period) are
checked by the actions and refused in Chinese.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import DocumentRequirement, State, Transition, Workflow
from minzheng.rescue.enums import CaseStatus, SettlementDoc
from minzheng.rescue.permissions import RescuePerm

S = CaseStatus
D = Level.DISTRICT
STATION = RescuePerm.STATION_WORK

START_DOCS = (
    DocumentRequirement(SettlementDoc.REPORT, SettlementDoc.REPORT.label),
    DocumentRequirement(SettlementDoc.SEARCH, SettlementDoc.SEARCH.label),
)
SETTLE_DOCS = (
    DocumentRequirement(SettlementDoc.POLICE, SettlementDoc.POLICE.label),
    DocumentRequirement(SettlementDoc.PLACEMENT, SettlementDoc.PLACEMENT.label),
)

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action             label           source          target         permission  levels
    *(Transition("identify", "查明身份", source, S.IDENTIFIED, STATION, (D,))
      for source in (S.IN_STATION, S.LONG_STAY, S.SETTLING)),
    Transition("return_home",     "接送返回",     S.IDENTIFIED, S.ESCORTING, STATION, (D,)),
    Transition("confirm_arrival", "确认到达",     S.ESCORTING,  S.RETURNED,  STATION, (D,)),
    *(Transition("leave", "自行离站", source, S.LEFT, STATION, (D,),
                 reason_required="请填写离站情况（受助人员自行离站声明）", task=False)
      for source in (S.IN_STATION, S.IDENTIFIED, S.LONG_STAY)),
    Transition("refuse", "不予救助", S.IN_STATION, S.REFUSED, STATION, (D,),
               reason_required="请填写不予救助的具体理由（不予救助通知书）", task=False),
    # 在院死亡 (送医救治 ended by death, actions.do_record_hospital_return): the case ends.
    *(Transition("die", "在院死亡", source, S.DIED, STATION, (D,), task=False)
      for source in (S.IN_STATION, S.IDENTIFIED, S.LONG_STAY, S.SETTLING)),
    Transition("mark_long_stay",   "转为长期滞留", S.IN_STATION, S.LONG_STAY, STATION, (D,)),
    Transition("start_settlement", "启动落户安置", S.LONG_STAY,  S.SETTLING,  STATION, (D,), documents=START_DOCS),
    Transition("settle",           "落户安置完成", S.SETTLING,   S.SETTLED,   STATION, (D,), documents=SETTLE_DOCS),
)
# fmt: on


def _url(case) -> str:
    return reverse("rescue:case-detail", args=[case.pk])


CASE_WORKFLOW = Workflow(
    name="rescue.case",  # stable: the history is keyed by it — never rename
    label="流浪乞讨人员救助",
    noun="受助记录",
    model="rescue.RescueCase",
    states=(
        State(S.IN_STATION, S.IN_STATION.label),
        State(S.IDENTIFIED, S.IDENTIFIED.label),
        State(S.ESCORTING, S.ESCORTING.label),
        State(S.LONG_STAY, S.LONG_STAY.label),
        State(S.SETTLING, S.SETTLING.label),
        State(S.RETURNED, S.RETURNED.label, terminal=True),
        State(S.LEFT, S.LEFT.label, terminal=True),
        State(S.SETTLED, S.SETTLED.label, terminal=True),
        State(S.REFUSED, S.REFUSED.label, terminal=True),
        State(S.DIED, S.DIED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    audit_type="rescue.case",
    attached_documents=lambda case: case.settlement_documents.values_list("kind", flat=True),
    describe=lambda case: case.number,  # no personal name on the feed
    url=_url,
)
