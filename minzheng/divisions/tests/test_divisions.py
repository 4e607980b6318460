import datetime as dt

import pytest
from django.db.models import F

from minzheng.accounts.models import Role
from minzheng.core.errors import PermissionDenied
from minzheng.divisions.actions import do_change_division, do_set_division_zone
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import CodeSystem, Division, DivisionCode, Kind, Level

pytestmark = pytest.mark.django_db


def test_real_tree_is_loaded():
    current = Division.objects.current()
    assert current.filter(level=Level.DISTRICT).get().name == "涪陵区"
    assert current.filter(level=Level.TOWN).count() == 27
    assert current.filter(level=Level.VILLAGE).count() == 433
    assert current.filter(kind=Kind.SUBDISTRICT).count() == 11
    assert current.filter(kind=Kind.TOWN).count() == 14
    assert current.filter(kind=Kind.TOWNSHIP).count() == 2
    assert current.filter(kind=Kind.COMMUNITY).count() == 130
    assert current.filter(kind=Kind.VILLAGE).count() == 303
    village = current.get(code="500102006001")
    assert (village.name, village.full_name, village.zone) == ("大东门社区", "大东门社区居民委员会", "urban")
    assert current.get(code="500102119001").name == "兴盛社区"


def test_town_codes_in_both_systems_are_kept_apart():
    # 500102006 means 敦仁街道 to NBS; the MCA data use 500102006000 for 李渡街道.
    nbs = DivisionCode.objects.get(system=CodeSystem.NBS, code="500102006")
    assert nbs.name_in_system == "敦仁街道" and nbs.division_code == "500102006"
    mca_dunren = DivisionCode.objects.get(system=CodeSystem.MCA, division_code="500102006")
    assert (mca_dunren.code, mca_dunren.name_in_system) == ("500102001000", "敦仁街道")
    mca_lidu = DivisionCode.objects.get(system=CodeSystem.MCA, code="500102006000")
    assert mca_lidu.division_code == "500102011"  # NBS code of 李渡街道
    assert DivisionCode.objects.filter(system=CodeSystem.NBS).count() == 27
    assert DivisionCode.objects.filter(system=CodeSystem.MCA).count() == 27
    assert DivisionCode.objects.get(system=CodeSystem.MCA, division_code="500102206").name_in_system == "大木镇"


def test_township_becoming_town_keeps_history(make_user, actor_of):
    admin = actor_of(make_user(Role.SYSTEM_ADMIN, "500102"))
    new = do_change_division(
        admin, "500102206", name="大木镇", kind=Kind.TOWN, effective=dt.date(2024, 1, 1), source="测试批文"
    )
    versions = list(Division.objects.filter(code="500102206").order_by(F("valid_from").asc(nulls_first=True)))
    assert [(v.name, v.kind, v.valid_to) for v in versions] == [
        ("大木乡", "乡", dt.date(2023, 12, 31)),
        ("大木镇", "镇", None),
    ]
    assert new.valid_from == dt.date(2024, 1, 1)
    assert get_directory().name("500102206") == "大木镇"


def test_zone_is_editable_by_administrators_only(make_user, actor_of):
    admin = actor_of(make_user(Role.SYSTEM_ADMIN, "500102"))
    do_set_division_zone(admin, "500102119001", zone="rural")
    assert get_directory().get("500102119001").zone == "rural"
    officer = actor_of(make_user(Role.TOWN_OFFICER, "500102119"))
    with pytest.raises(PermissionDenied):
        do_set_division_zone(officer, "500102119001", zone="urban")
