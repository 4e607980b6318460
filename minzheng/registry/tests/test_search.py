import pytest

from minzheng.accounts.models import Role
from minzheng.core.pinyin import name_pinyin
from minzheng.registry.selectors import search_persons


@pytest.mark.parametrize(
    "name, initials",
    [("张三丰", "zsf"), ("曾国藩", "zgf"), ("单雄信", "sxx"), ("翟志刚", "zzg"), ("解缙", "xj"), ("仇英", "qy"),
     ("朴树", "ps"), ("查良镛", "zly"), ("覃振", "qz"), ("区志坚", "ozj")],
)
def test_surname_overrides(name, initials):
    assert name_pinyin(name)[1] == initials


def test_search_by_initials_id_number_and_name(make_person, make_user, actor_of, id_number):
    number = id_number("19800101", "123")
    zsf = make_person("500102006001", "张三丰", id_number=number)
    make_person("500102006001", "张三")
    make_person("500102006001", "曾国藩")
    actor = actor_of(make_user(Role.VILLAGE_WORKER, "500102006001"))

    assert [p.name for p in search_persons(actor, "zsf")[0]] == ["张三丰"]
    assert [p.name for p in search_persons(actor, "zs")[0]] == ["张三", "张三丰"]
    assert [p.name for p in search_persons(actor, "zgf")[0]] == ["曾国藩"]
    assert [p.pk for p in search_persons(actor, number)[0]] == [zsf.pk]
    assert [p.name for p in search_persons(actor, "张三")[0]] == ["张三", "张三丰"]


def test_partial_id_number_is_explained(make_user, actor_of):
    actor = actor_of(make_user(Role.VILLAGE_WORKER, "500102006001"))
    qs, query = search_persons(actor, "500102")
    assert qs.count() == 0
    assert query.message.startswith("按身份证号码查询须输入完整号码")
