"""The workbench (工作台, issue 11 §3): one feed of open tasks across the lines (the case kit's
workflows and the registered task sources) with 超期 / 临期 counts, quick actions by
permission, the records this user opened last; leaders land on the 驾驶舱 after login."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.cases import tasks as feed
from minzheng.cases.tasks import FeedContext, SourceResult
from minzheng.planning.loader import load_plan

pytestmark = pytest.mark.django_db

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"
PASSWORD = "test-pass-12345"


@pytest.fixture
def fake_source(monkeypatch):
    """A task source with one overdue, one due-soon and one later task, for users of 大东门社区."""
    sources = dict(feed._SOURCES)

    def source(actor, context: FeedContext):
        if not actor.covers(DADONGMEN):
            return None
        items = [
            context.item(label="测试业务", title="王五 · 走访", step="待走访", url="/persons/", deadline=context.today - dt.timedelta(days=1)),
            context.item(label="测试业务", title="赵六 · 复核", step="待复核", deadline=context.cutoff),
            context.item(label="测试业务", title="钱七 · 复核", step="待复核", deadline=context.today + dt.timedelta(days=30)),
        ]
        return SourceResult(label="测试业务", total=3, overdue=1, near=1, items=items, url="/persons/")

    sources["test.fake"] = source
    monkeypatch.setattr(feed, "_SOURCES", sources)


def test_the_feed_merges_the_sources_overdue_first(make_user, actor_of, fake_source):
    village = actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    counts, items = feed.workbench_feed(village)
    row = next(c for c in counts if c["workflow"] == "test.fake")
    assert (row["label"], row["total"], row["overdue"], row["near"], row["url"]) == ("测试业务", 3, 1, 1, "/persons/")
    titles = [t.title for t in items]
    assert titles[:3] == ["王五 · 走访", "赵六 · 复核", "钱七 · 复核"]
    assert [t.tone for t in items[:3]] == ["danger", "warn", "ok"]
    # 2026-12-04 is a Friday: three working days ahead is Wednesday 12-09.
    assert items[1].deadline == dt.date(2026, 12, 9) and items[1].remaining == 3
    other = actor_of(make_user(Role.VILLAGE_WORKER, XINGSHENG))
    assert all(c["workflow"] != "test.fake" for c in feed.workbench_feed(other)[0])


def test_the_workbench_shows_counts_tasks_and_quick_actions(client, make_user, fake_source):
    client.force_login(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    html = client.get("/").content.decode()
    assert 'id="open-tasks"' in html
    assert '共 <strong>3</strong> 项，<span class="remaining-danger">超期 1</span>，<span class="remaining-warn">三个工作日内到期 1</span>' in html
    assert '<a href="/persons/">王五 · 走访</a>' in html and "<td>已超期</td>" not in html
    assert '<a class="button" href="/persons/new/">登记人员</a>' in html
    assert '<a class="button" href="/assistance/applications/new/">新建申请</a>' in html
    assert "运行筛查" not in html and "导入数据" not in html  # district work


def test_the_other_village_sees_no_task_and_says_so(client, make_user, fake_source):
    client.force_login(make_user(Role.VILLAGE_WORKER, XINGSHENG))
    html = client.get("/").content.decode()
    assert 'id="open-tasks"' not in html and "目前没有待办事项。" in html


def test_district_staff_get_the_district_quick_actions(client, make_user):
    client.force_login(make_user(Role.DISTRICT_STAFF, "500102"))
    html = client.get("/").content.decode()
    assert '<a class="button" href="/screening/">运行筛查</a>' in html
    assert '<a class="button" href="/exchange/">导入数据</a>' in html
    assert "新建申请" not in html  # applications are taken at village and town


def test_the_leader_sees_no_quick_action(client, make_user):
    client.force_login(make_user(Role.DISTRICT_LEADER, "500102"))
    assert 'id="quick-actions"' not in client.get("/").content.decode()


def test_recently_opened_records_are_this_users_own(client, make_user, make_household):
    household = make_household(DADONGMEN, names=("张三丰", "李四"))
    worker = make_user(Role.VILLAGE_WORKER, DADONGMEN)
    client.force_login(worker)
    assert "还没有打开过人员、家庭或救助申请。" in client.get("/").content.decode()
    head = household.head
    assert client.get(f"/persons/{head.pk}/").status_code == 200
    assert client.get(f"/households/{household.pk}/").status_code == 200
    assert client.get(f"/persons/{head.pk}/").status_code == 200  # again: listed once
    html = client.get("/").content.decode()
    recent = html.split('id="recent-records"')[1].split("</div>")[0]
    assert recent.count(f'href="/persons/{head.pk}/"') == 1
    assert recent.index(f'href="/persons/{head.pk}/"') < recent.index(f'href="/households/{household.pk}/"')
    assert f"人员 张三丰（{head.id_number_masked}）" in recent
    client.force_login(make_user(Role.VILLAGE_WORKER, DADONGMEN))  # a colleague: not theirs
    assert "还没有打开过" in client.get("/").content.decode()


def test_leaders_land_on_the_dashboard_others_on_the_workbench(client, make_user):
    load_plan()
    leader = make_user(Role.DISTRICT_LEADER, "500102")
    response = client.post("/login/", {"username": leader.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/planning/"
    client.logout()
    worker = make_user(Role.VILLAGE_WORKER, DADONGMEN)
    response = client.post("/login/", {"username": worker.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    client.logout()
    response = client.post("/login/?next=/persons/", {"username": leader.username, "password": PASSWORD})
    assert response["Location"] == "/persons/"  # a page asked for wins
