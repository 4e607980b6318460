"""The 养老服务 dashboard of the district and of a town reads the snapshot: the same figures as
counted live, 统计时间 on screen, a facility change marks it stale, scoped to the officer's town."""

from __future__ import annotations

import pytest

from minzheng.core.snapshots import read_snapshot, refresh_snapshots
from minzheng.eldercare.dashboard import SNAPSHOT, dashboard_data, dashboard_figures
from minzheng.eldercare.demo import seed_demo
from minzheng.eldercare.mapdata import MAP_SNAPSHOT, map_figures, map_page
from minzheng.eldercare.models import Facility
from minzheng.eldercare.tests.conftest import DUNREN, ZHENXI


@pytest.fixture
def network(db):
    seed_demo(seed=11, scale=0.0)
    refresh_snapshots([SNAPSHOT, MAP_SNAPSHOT])


def test_the_snapshot_holds_the_live_figures_of_the_district_and_each_town(network, system_actor, make_user, actor_of):
    for code in ("500102", DUNREN, ZHENXI):
        assert read_snapshot(SNAPSHOT, code).data == dashboard_figures(system_actor, division_code=code), code
    officer = actor_of(make_user("town_officer", ZHENXI))
    data = dashboard_data(officer)
    assert data["stored"] is not None and data["towns"] == dashboard_figures(officer)["towns"]
    assert [t["code"] for t in data["towns"]] == [ZHENXI]


def test_the_page_says_when_it_was_counted_and_a_change_marks_it_stale(network, make_user, client):
    client.force_login(make_user("town_officer", ZHENXI))
    page = client.get("/eldercare/").content.decode()
    assert "统计时间：2026-12-04 09:00" in page and "数字可能尚未包含" not in page
    assert "珍溪镇" in page and "敦仁街道" not in page
    assert "敦仁街道" not in client.get(f"/eldercare/?division={DUNREN}").content.decode()  # not its snapshot
    facility = Facility.objects.filter(division_code__startswith=DUNREN).first()
    facility.name = facility.name + "（更名）"
    facility.save()
    assert read_snapshot(SNAPSHOT, DUNREN).stale and read_snapshot(SNAPSHOT, "500102").stale
    assert not read_snapshot(SNAPSHOT, ZHENXI).stale
    assert "数字可能尚未包含" not in client.get("/eldercare/").content.decode()


def test_a_village_dashboard_is_counted_live(network, make_user, client):
    client.force_login(make_user("village_worker", "500102006001"))
    page = client.get("/eldercare/").content.decode()
    assert "统计时间" not in page and 'id="town-table"' in page


def test_the_map_of_a_town_comes_from_the_snapshot_and_equals_the_live_one(network, system_actor, make_user, actor_of, client):
    for code in ("500102", ZHENXI):
        assert read_snapshot(MAP_SNAPSHOT, code).data == map_figures(system_actor, division_code=code), code
    officer = make_user("town_officer", ZHENXI)
    data = map_page(actor_of(officer))
    assert data["stored"] is not None and data["payload"]["outline"]  # the outline is added live
    assert {v["code"][:9] for v in data["payload"]["villages"]} == {ZHENXI}
    client.force_login(officer)
    page = client.get("/eldercare/map/").content.decode()
    assert "统计时间：2026-12-04 09:00" in page and "大东门" not in page
    Facility.objects.filter(division_code__startswith=ZHENXI).first().save()
    assert read_snapshot(MAP_SNAPSHOT, ZHENXI).stale and not read_snapshot(MAP_SNAPSHOT, DUNREN).stale
    assert "数字可能尚未包含" in client.get("/eldercare/map/").content.decode()
