"""区划统计 from the snapshot: counted in bulk for every division, equal to a direct count,
marked stale by a registration, recounted by 重新统计 (district staff only), scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.core.models import Snapshot
from minzheng.core.snapshots import read_snapshot, refresh_snapshots
from minzheng.divisions.directory import get_directory
from minzheng.jobs.models import BackgroundJob, JobStatus
from minzheng.registry.selectors import division_statistics, living_by_village
from minzheng.registry.statistics import SNAPSHOT, as_page

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN_OTHER = "500102006003"  # 黔靖街社区, 敦仁街道
XINGSHENG = "500102119001"  # 兴盛社区, 珍溪镇


@pytest.fixture
def population(make_household, make_person):
    """On 2026-12-04: 大东门 4 living people (two aged 74 in one household, a child of 11, a
    man of 96 with a grade-1 physical disability) and one dead; 黔靖街 one of 36 (grade-2
    visual); 兴盛 one of 74 alone in a household and one of 86."""
    make_household(DADONGMEN, names=("张一", "张二"))
    make_person(DADONGMEN, "李小", birth="20150601")
    make_person(DADONGMEN, "王老", birth="19300101", disability_category="physical", disability_grade=1)
    dead = make_person(DADONGMEN, "周故", birth="19450101")
    type(dead).objects.filter(pk=dead.pk).update(is_deceased=True)
    make_person(DUNREN_OTHER, "赵中", birth="19900101", disability_category="visual", disability_grade=2)
    make_household(XINGSHENG, names=("钱一",))
    make_person(XINGSHENG, "孙老", birth="19400101")
    refresh_snapshots([SNAPSHOT])


def stored(code: str) -> dict:
    return as_page(read_snapshot(SNAPSHOT, code).data)


def test_the_snapshot_counts_equal_a_direct_count(population, system_actor):
    assert stored(DADONGMEN) == {
        "total": 4,
        "age_bands": {"0–17岁": 1, "18–59岁": 0, "60–69岁": 0, "70–79岁": 2, "80–89岁": 0, "90岁及以上": 1},
        "disability_grades": {1: 1, 2: 0, 3: 0, 4: 0},
        "disability_categories": {"physical": 1},
        "household_sizes": {"1人": 0, "2人": 1, "3人": 0, "4人": 0, "5人及以上": 0},
        "households": 1,
    }
    assert stored("500102006") == {
        "total": 5,
        "age_bands": {"0–17岁": 1, "18–59岁": 1, "60–69岁": 0, "70–79岁": 2, "80–89岁": 0, "90岁及以上": 1},
        "disability_grades": {1: 1, 2: 1, 3: 0, 4: 0},
        "disability_categories": {"physical": 1, "visual": 1},
        "household_sizes": {"1人": 0, "2人": 1, "3人": 0, "4人": 0, "5人及以上": 0},
        "households": 1,
    }
    assert stored("500102")["total"] == 7 and stored("500102")["households"] == 2
    assert stored("500102")["age_bands"] == {"0–17岁": 1, "18–59岁": 1, "60–69岁": 0, "70–79岁": 3, "80–89岁": 1, "90岁及以上": 1}
    empty = next(v.code for v in get_directory().villages("500102006") if v.code not in (DADONGMEN, DUNREN_OTHER))
    assert stored(empty) == division_statistics(system_actor, empty) and stored(empty)["total"] == 0  # zeros, not missing
    for code in (DADONGMEN, DUNREN_OTHER, "500102006", XINGSHENG, "500102119", "500102"):
        assert stored(code) == division_statistics(system_actor, code), code
    assert Snapshot.objects.filter(kind=SNAPSHOT, stale=True).count() == 0


def test_a_registration_marks_its_village_town_and_district_stale(population, make_person, make_user, client):
    make_person(DADONGMEN, "新生", birth="20260101")
    stale = set(Snapshot.objects.filter(kind=SNAPSHOT, stale=True).values_list("division_code", flat=True))
    assert stale == {DADONGMEN, "500102006", "500102"}  # not 珍溪镇, not 黔靖街
    client.force_login(make_user(Role.TOWN_OFFICER, "500102006"))
    page = client.get("/divisions/").content.decode()
    assert "此后本区划有新的登记或变更，数字可能尚未包含。" in page
    assert '<div class="value" id="stat-total">5</div>' in page  # the snapshot's count, said to be old
    refresh_snapshots([SNAPSHOT])
    assert stored(DADONGMEN)["total"] == 5 and not read_snapshot(SNAPSHOT, DADONGMEN).stale


def test_a_town_officer_sees_only_its_own_counts(population, make_user, client):
    client.force_login(make_user(Role.TOWN_OFFICER, "500102119"))
    page = client.get("/divisions/").content.decode()
    assert "珍溪镇" in page and '<div class="value" id="stat-total">2</div>' in page and "统计时间：2026-12-04 09:00" in page
    assert '<div class="value" id="stat-households">1</div>' in page
    assert client.get("/divisions/500102006/").status_code == 404  # 敦仁街道's counts are not its own
    assert client.get("/divisions/500102/").status_code == 404
    assert "重新统计</button>" not in page


def test_district_staff_recount_in_the_background_a_town_officer_may_not(population, make_person, make_user, client):
    make_person(XINGSHENG, "新来", birth="19800101")
    client.force_login(make_user(Role.TOWN_OFFICER, "500102119"))
    assert client.post("/statistics/refresh/").status_code == 403
    assert not BackgroundJob.objects.exists()
    client.force_login(make_user(Role.DISTRICT_STAFF, "500102"))
    page = client.get("/divisions/500102119/").content.decode()
    assert "重新统计</button>" in page and '<div class="value" id="stat-total">2</div>' in page
    response = client.post("/statistics/refresh/", {"division": "500102119"}, follow=True)
    job = BackgroundJob.objects.get(kind="registry.refresh_statistics")
    assert job.status == JobStatus.DONE and job.result["lines"][0] == "已重新统计区划人口统计（461 个区划）。"
    page = response.content.decode()
    assert '<div class="value" id="stat-total">3</div>' in page and "此后本区划有新的登记" not in page


def test_living_by_village_reads_the_snapshot_and_recounts_only_stale_villages(population, make_person, django_assert_max_num_queries):
    today = dt.date(2026, 12, 4)
    expected = {DADONGMEN: 4, DUNREN_OTHER: 1, XINGSHENG: 2}
    with django_assert_max_num_queries(1):  # the snapshot rows only: no count of people
        assert {k: v for k, v in living_by_village(today).items() if v} == expected
    make_person(XINGSHENG, "新来")  # marks 兴盛's row stale: that village alone is counted live
    assert {k: v for k, v in living_by_village(today).items() if v} == {**expected, XINGSHENG: 3}
    # another day is always counted live
    assert {k: v for k, v in living_by_village(dt.date(2000, 1, 1)).items() if v} == {DADONGMEN: 3, DUNREN_OTHER: 1, XINGSHENG: 3}
