"""The 村（居）委会换届选举 as a case of the kit (docs/cases.md), workflow ``communities.election``:

资格联审 (departments' answers recorded in-state) → 待投票 → 已选举 (results) → 已发证 (当选证书;
the elected become the committee's members for the term). The town (乡镇街道) guides the
election and takes every step; the district may too. No time limit: the policy facts set none.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import State, Transition, Workflow
from minzheng.communities.enums import ElectionStatus
from minzheng.communities.permissions import CommunityPerm

S = ElectionStatus
T, D = Level.TOWN, Level.DISTRICT
ELECT = CommunityPerm.MANAGE_ELECTIONS

TRANSITIONS: tuple[Transition, ...] = (
    Transition("qualify", "资格联审通过", S.QUALIFYING, S.SCHEDULED, ELECT, (T, D)),
    Transition("vote", "录入选举结果", S.SCHEDULED, S.VOTED, ELECT, (T, D)),
    Transition("certify", "发放当选证书", S.VOTED, S.CERTIFIED, ELECT, (T, D)),
    *(
        Transition("cancel", "终止选举", source, S.CANCELLED, ELECT, (T, D), reason_required="请填写终止原因", task=False)
        for source in (S.QUALIFYING, S.SCHEDULED)
    ),
)


def _describe(election) -> str:
    return f"换届选举 {election.pk}"


def _url(election) -> str:
    return reverse("communities:election-detail", args=[election.pk])


ELECTION_WORKFLOW = Workflow(
    name="communities.election",  # stable: the history is keyed by it — never rename
    label="村（居）委会换届选举",
    noun="选举",
    model="communities.Election",
    states=(
        State(S.QUALIFYING, S.QUALIFYING.label),
        State(S.SCHEDULED, S.SCHEDULED.label),
        State(S.VOTED, S.VOTED.label),
        State(S.CERTIFIED, S.CERTIFIED.label, terminal=True),
        State(S.CANCELLED, S.CANCELLED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    audit_type="communities.election",
    describe=_describe,
    url=_url,
)
