"""Fixtures of the rescue tests: the station (80 beds, district-owned), its staff (district
staff), a user with the station's role but scoped to 珍溪镇 (wrong division), staff of 敦仁街道
and 珍溪镇 villages and towns."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from minzheng.accounts.models import Role
from minzheng.rescue.actions import IntakeInput, do_intake, do_register_station

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区, 珍溪镇
DISTRICT = "500102"
HONGXING = "500102014010"  # 红星社区, 马鞍街道 (the station's site)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, h=10, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        pass

    s = Staff()
    for name, role, code in [
        ("station", Role.RESCUE_STATION, DISTRICT),
        ("station2", Role.RESCUE_STATION, DISTRICT),
        ("zhenxi_staff", Role.RESCUE_STATION, ZHENXI),  # the station's role, but a town's scope
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
        ("district", Role.DISTRICT_STAFF, DISTRICT),  # the bureau's 科室人员: not the station's staff
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def station(staff):
    return do_register_station(staff.station, name="涪陵区救助管理站", address="马鞍街道红星社区5组", location_code=HONGXING, capacity=80)


def intake_input(station, **kw) -> IntakeInput:
    data = dict(
        station_id=station.pk, name="不详", sex="M", source="police", source_unit="敦仁派出所", found_place="人民路天桥下",
        found_division_code=DADONGMEN, arrived_at=at(2026, 12, 1), features="约50岁，身高170厘米，灰色外套", estimated_age=50,
    )  # fmt: skip
    data.update(kw)
    return IntakeInput(**data)


@pytest.fixture
def take_in(staff, station):
    def make(**kw):
        photos = kw.pop("photos", [])
        return do_intake(staff.station, intake_input(station, **kw), photos=photos)

    return make


def jpeg_with_exif() -> bytes:
    """A JPEG carrying EXIF: camera make, a date and a GPS position."""
    img = Image.new("RGB", (40, 30), (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x0132] = "2026:12:01 10:00:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (29.0, 42.0, 0.0), 3: "E", 4: (107.0, 23.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()
