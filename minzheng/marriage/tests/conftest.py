import datetime as dt

import pytest

from minzheng.accounts.roles import Role
from minzheng.marriage import actions


@pytest.fixture
def registrar(make_user, actor_of):
    return actor_of(make_user(Role.MARRIAGE_REGISTRAR, "500102", username="registrar"))


@pytest.fixture
def others(make_user, actor_of):
    """A town officer, a village worker, the district staff (read only) and the leader."""
    return {
        "town": actor_of(make_user(Role.TOWN_OFFICER, "500102006")),
        "village": actor_of(make_user(Role.VILLAGE_WORKER, "500102006001")),
        "staff": actor_of(make_user(Role.DISTRICT_STAFF, "500102")),
        "leader": actor_of(make_user(Role.DISTRICT_LEADER, "500102")),
        "rescue": actor_of(make_user(Role.RESCUE_STATION, "500102")),
    }


@pytest.fixture
def couple(make_person, id_number):
    """王建国 (man, born 1998-03-01, Fuling) and 李秀英 (woman, born 2000-06-15, Fuling)."""
    man = make_person("500102006001", "王建国", id_number=id_number("19980301", "011"))
    woman = make_person("500102119001", "李秀英", id_number=id_number("20000615", "022"))
    return man, woman


def marriage_input(man=None, woman=None, **kw):
    data = dict(
        man=actions.PartyInput(person_id=man.pk) if man is not None else kw.pop("man_party"),
        woman=actions.PartyInput(person_id=woman.pk) if woman is not None else kw.pop("woman_party"),
        both_present=True, voluntary=True, declaration_signed=True, no_prohibited_relation=True,
    )
    data.update(kw)
    return actions.MarriageInput(**data)


@pytest.fixture
def married(registrar, couple):
    man, woman = couple
    m = actions.do_apply_marriage(registrar, marriage_input(man, woman))
    return actions.do_register_marriage(registrar, m, expected_version=m.version)


D = dt.date
