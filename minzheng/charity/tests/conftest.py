from __future__ import annotations

import pytest

from minzheng.charity import actions
from minzheng.planning.loader import load_plan
from minzheng.planning.models import Plan
from minzheng.sociorgs import actions as so_actions
from minzheng.sociorgs.tests.conftest import (
    XINGSHENG,
    D,
    code,
    items,
    staff,  # noqa: F401  (the same staff)
)


@pytest.fixture
def charity(staff):  # noqa: F811
    org = so_actions.do_register_organisation(staff.district, credit_code=code("52", 3), registered_on=D(2019, 5, 1),
                                              **items(name="涪陵区乐善公益服务中心", org_type="service", sector="charity"))  # fmt: skip
    return actions.do_recognise_charity(staff.district, org, applied_on=D(2021, 3, 1), recognised_on=D(2021, 3, 15), decision_no="涪民发〔2021〕8号")


@pytest.fixture
def zhenxi_charity(staff):  # noqa: F811
    org = so_actions.do_register_organisation(staff.district, credit_code=code("52", 4), registered_on=D(2019, 5, 1),
                                              **items(name="珍溪镇慈善服务中心", org_type="service", sector="charity", division_code=XINGSHENG))  # fmt: skip
    return actions.do_recognise_charity(staff.district, org, applied_on=D(2022, 3, 1), recognised_on=D(2022, 3, 15), decision_no="涪民发〔2022〕3号")


@pytest.fixture
def plan(db):
    load_plan()
    return Plan.objects.get(code="2021-2025")
