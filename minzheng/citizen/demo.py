"""Demo data of the citizens' site (called by `minzheng demo`): one synthetic family in
大东门社区 whose head a tester binds to (name and ID number printed by the demo and in the
README). Sign-in works with any mobile number: the SMS stand-in shows the code on the page.
Idempotent: the family is created once."""

from __future__ import annotations

from typing import Any

from minzheng.accounts.actor import Actor
from minzheng.registry.actions import PersonInput, do_add_household_member, do_create_household, do_register_person
from minzheng.registry.selectors import find_person_by_id_number

VILLAGE = "500102006001"  # 敦仁街道 大东门社区
# Synthetic: names and numbers made up for the demo (valid check digits, no real person).
HEAD = ("陈晓梅", "500102198507150044")
MEMBERS = (("周建军", "500102198302110014", "spouse"), ("周子涵", "500102201309200025", "child"))


def seed_demo(*, seed: int, scale: float) -> dict[str, Any]:  # noqa: ARG001 - the same family at any scale
    actor = Actor.system("演示数据：网上办演示家庭")
    name, number = HEAD
    existing = find_person_by_id_number(actor, number)
    if existing is None:
        head = do_register_person(actor, PersonInput(id_number=number, name=name, division_code=VILLAGE))
        household = do_create_household(actor, head=head)
        for member_name, member_number, relation in MEMBERS:
            member = do_register_person(actor, PersonInput(id_number=member_number, name=member_name, division_code=VILLAGE))
            do_add_household_member(actor, household, member, relation=relation)
        status = "已生成"
    else:
        name, status = existing.name, "已存在，未改动"
    return {"演示家庭": status, "网上办实名认证": f"姓名 {name}，身份证号码 {number}（任意手机号登录，验证码显示在页面上）"}
