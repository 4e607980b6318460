"""The 两项补贴 line under the death policy (ADR 0004). Assistance's handler (order before this
one) suspends the payment on a report and, on confirmation, ends the enrolment with the month
of death; this handler then ends the line's approved cases (停发: 死亡, paid through the month
of death). Nothing on a report or a refutation: the payment is assistance's."""

from __future__ import annotations

from minzheng.registry.deaths import DeathHandler, register_death_handler


def register() -> None:
    # local import: called from ready(); actions use models, not loaded when apps.py is imported.
    from minzheng.disability.actions import end_on_confirmed_death

    register_death_handler(DeathHandler(line="disability", label="残疾人两项补贴", order=20, on_confirm=end_on_confirmed_death))
