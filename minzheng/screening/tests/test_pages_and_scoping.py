"""Screens and API of screening results: scoped (a village worker sees only the village,
page and API), the "why" panel, the parameter browser, simulation and running a screening."""

from __future__ import annotations

import pytest

from minzheng.jobs.models import BackgroundJob
from minzheng.rules import load_parameters
from minzheng.registry.models import Person
from minzheng.screening.models import ScreeningResult, ScreeningRun
from minzheng.screening.tests.conftest import DUNREN_COMMUNITY, PERIOD


def table(page: str, table_id: str) -> str:
    """The HTML of one table of a page (the jurisdiction tree beside it lists every town)."""
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- results by town → village → household --------------------------------------------------


def test_district_staff_sees_every_town_and_drills_down(logged_in, district_staff, screened, poor_households):
    a, b, c = poor_households
    client = logged_in(district_staff)
    page = client.get("/screening/", {"period": PERIOD}).content.decode()
    assert "敦仁街道" in table(page, "division-table") and "珍溪镇" in table(page, "division-table")
    assert 'id="total-dibao">3 / 6<' in page
    page = client.get("/screening/", {"period": PERIOD, "division": "500102006"}).content.decode()
    towns = table(page, "division-table")
    assert "珍溪镇" not in towns and "大东门社区" in towns and "黔靖街社区" in towns
    assert f"division={DUNREN_COMMUNITY}" in towns
    page = client.get("/screening/", {"period": PERIOD, "division": DUNREN_COMMUNITY}).content.decode()
    assert f"/households/{a.pk}/" in page and f"/households/{c.pk}/" not in page


def test_a_village_worker_sees_only_the_village(logged_in, village_worker, screened, poor_households):
    a, b, c = poor_households
    client = logged_in(village_worker)
    page = client.get("/screening/").content.decode()  # starts at the village itself
    assert f"/households/{a.pk}/" in page
    assert f"/households/{b.pk}/" not in page and f"/households/{c.pk}/" not in page
    assert 'id="total-dibao">1 / 2<' in page
    # Asking for the district or the other town shows only their own part, or nothing.
    page = client.get("/screening/", {"division": "500102"}).content.decode()
    assert 'id="total-dibao">1 / 2<' in page
    assert "珍溪镇" not in table(page, "division-table") and "敦仁街道" in table(page, "division-table")
    page = client.get("/screening/", {"division": "500102119"}).content.decode()
    assert 'id="total-dibao">0 / 0<' in page and "您的辖区内没有筛查数据" in page
    page = client.get("/screening/", {"division": "500102006003"}).content.decode()
    assert f"/households/{c.pk}/" not in page


def test_the_api_is_scoped_the_same_way(api_as, village_worker, zhenxi_officer, screened, poor_households):
    a, b, c = poor_households
    worker = api_as(village_worker)
    summary = worker.get("/api/v1/rules/screening/summary", period=PERIOD).json()
    assert summary["division_code"] == DUNREN_COMMUNITY
    assert summary["totals"]["programs"]["dibao"]["eligible"] == 1
    summary = worker.get("/api/v1/rules/screening/summary", period=PERIOD, division="500102").json()
    assert [row["code"] for row in summary["rows"]] == ["500102006"]
    assert summary["totals"]["programs"]["dibao"]["eligible"] == 1
    results = worker.get("/api/v1/rules/screening/results", period=PERIOD, division="500102").json()
    assert {r["household_id"] for r in results["results"]} == {a.pk}
    assert all(r["division_code"] == DUNREN_COMMUNITY for r in results["results"])
    missed = worker.get("/api/v1/rules/screening/discrepancies", period=PERIOD, division="500102").json()
    assert {d["household_id"] for d in missed["discrepancies"]} == {a.pk}  # no enrolments: all missed
    assert {d["kind"] for d in missed["discrepancies"]} == {"missed"}

    officer = api_as(zhenxi_officer)
    results = officer.get("/api/v1/rules/screening/results", period=PERIOD).json()
    assert {r["household_id"] for r in results["results"]} == {b.pk}
    dibao = next(r for r in results["results"] if r["program"] == "dibao")
    assert dibao["eligible"] and dibao["amount"].endswith(".00") and "." in dibao["amount"]


def test_api_without_a_run_is_404_and_bad_kind_is_422(api_as, village_worker, screened):
    client = api_as(village_worker)
    assert client.get("/api/v1/rules/screening/summary", period="2020-01").status_code == 404
    assert client.get("/api/v1/rules/screening/discrepancies", period=PERIOD, kind="x").status_code == 422
    runs = client.get("/api/v1/rules/screening/runs").json()
    assert [r["period"] for r in runs] == [PERIOD]


def test_discrepancy_page_is_scoped(logged_in, village_worker, district_staff, screened, poor_households):
    a, b, c = poor_households
    page = logged_in(village_worker).get("/screening/discrepancies/", {"period": PERIOD}).content.decode()
    assert f"/households/{a.pk}/" in page and f"/households/{b.pk}/" not in page
    assert "疑似漏保" in page
    page = logged_in(district_staff).get(
        "/screening/discrepancies/", {"period": PERIOD, "kind": "missed", "program": "dibao"}
    ).content.decode()
    for household in (a, b, c):
        assert f"/households/{household.pk}/" in page


# --- the why panel ----------------------------------------------------------------------------


def test_household_page_loads_the_why_panel_lazily(logged_in, village_worker, poor_households):
    a, b, c = poor_households
    client = logged_in(village_worker)
    page = client.get(f"/households/{a.pk}/").content.decode()
    assert f'hx-get="/screening/households/{a.pk}/why/"' in page
    panel = client.get(f"/screening/households/{a.pk}/why/", {"period": "2024-10"}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    html = panel.content.decode()
    assert "城乡居民最低生活保障" in html and "家庭月人均收入低于当地低保标准" in html
    assert "750.00" in html  # the urban standard of 2024-10 as the threshold
    assert "渝民发〔2024〕9号" in html
    assert "参数待确认" in html  # the employment-cost deduction is a working default
    assert "<html" not in html  # a fragment, not a page


def test_why_panel_of_another_village_is_not_found(logged_in, village_worker, poor_households):
    a, b, c = poor_households
    response = logged_in(village_worker).get(f"/screening/households/{b.pk}/why/")
    assert response.status_code == 404


def test_api_explain_is_scoped(api_as, village_worker, poor_households):
    a, b, c = poor_households
    client = api_as(village_worker)
    body = client.get(f"/api/v1/rules/households/{a.pk}/explain", period="2024-10").json()
    dibao = next(r for r in body["results"] if r["program"] == "dibao")
    assert dibao["eligible"] is True and dibao["amount"] == "1500.00"
    assert client.get(f"/api/v1/rules/households/{b.pk}/explain").status_code == 404


# --- parameters, simulation, running --------------------------------------------------------


def test_parameter_browser_lists_every_parameter_with_history(logged_in, village_worker):
    page = logged_in(village_worker).get("/screening/parameters/", {"on": "2024-10"}).content.decode()
    for name in load_parameters().names():
        assert f'id="param-{name}"' in page, name
    assert "渝民发〔2024〕9号" in page and "2025-07-01" in page  # history of the standard
    assert "参数待确认" in page and "参数未设置" in page


def test_api_parameters(api_as, village_worker):
    body = api_as(village_worker).get("/api/v1/rules/parameters", on="2024-10").json()
    urban = next(p for p in body["parameters"] if p["name"] == "dibao.standard.urban")
    assert urban["value"] == "750.00" and urban["effective_from"] == "2024-09-01"
    assert [h["effective_from"] for h in urban["history"]][:2] == ["2025-07-01", "2024-09-01"]


def test_simulation_page_shows_current_and_changed(logged_in, district_staff, poor_households):
    client = logged_in(district_staff)
    page = client.get("/screening/simulate/").content.decode()
    # the indicator-2 suggestion is pre-filled: the rural standard chosen from the list
    assert '<option value="dibao.standard.rural" selected>' in page
    assert "dibao.standard.rural=" not in page
    page = client.get(
        "/screening/simulate/", {"period": PERIOD, "param": ["dibao.standard.urban", ""], "value": ["800", ""]}, follow=True
    ).content.decode()
    # The simulation runs as a background job (at once in tests); the page shows its result.
    assert "现行对象" in page and "敦仁街道" in page and "城市居民最低生活保障标准" in page
    page = client.get("/screening/simulate/", {"period": PERIOD, "set": "dibao.standard.urban=800"}, follow=True).content.decode()
    assert "现行对象" in page  # the older set=name=value form still works
    page = client.get(
        "/screening/simulate/", {"period": PERIOD, "param": ["no.such", "dibao.standard.urban"], "value": ["1", "abc"]}
    ).content.decode()
    assert "参数：所选参数不存在，请从列表中选择" in page
    assert "城市居民最低生活保障标准" in page and "应为不小于0的数字" in page
    assert "set." not in page and "no.such" not in page.split("messages")[-1]


def test_run_screening_from_the_screen(logged_in, district_staff, village_worker, poor_households):
    response = logged_in(village_worker).post("/screening/run/", {"period": PERIOD})
    assert response.status_code == 403
    assert not ScreeningRun.objects.exists()
    response = logged_in(district_staff).post("/screening/run/", {"period": PERIOD})
    assert response.status_code == 302
    run = ScreeningRun.objects.get()  # the immediate task backend ran it
    assert run.started_by == district_staff.username and run.actor_kind == "user"
    response = logged_in(district_staff).post("/screening/run/", {"period": "2031-01"}, follow=True)
    assert "覆盖范围" in response.content.decode()


def test_navigation_has_the_module(logged_in, village_worker):
    page = logged_in(village_worker).get("/").content.decode()
    assert 'href="/screening/"' in page and "规则与筛查" in page


def test_a_rerun_in_progress_is_shown_and_the_old_results_are_labelled(logged_in, district_staff, screened, poor_households):
    client = logged_in(district_staff)
    old = ScreeningRun.objects.get(period=PERIOD, is_current=True)
    job = BackgroundJob.objects.create(kind="screening.run", label=f"{PERIOD} 全区救助资格筛查", owner=district_staff, params={"period": PERIOD})
    page = client.get("/screening/", {"period": PERIOD}).content.decode()
    assert f'id="job-{job.pk}"' in page and 'hx-trigger="every 2s"' in page and "?then=reload" in page
    assert f"下方仍是上次筛查（批次 {old.pk}，" in page and "十秒" not in page
    # Asking again while it is queued does not queue a second run.
    response = client.post("/screening/run/", {"period": PERIOD})
    assert response["Location"].endswith(f"job={job.pk}") and BackgroundJob.objects.count() == 1
    BackgroundJob.objects.filter(pk=job.pk).delete()
    response = client.post("/screening/run/", {"period": PERIOD}, follow=True)
    page = response.content.decode()
    new = ScreeningRun.objects.get(period=PERIOD, is_current=True)
    assert new.pk != old.pk and f"全区筛查完成（批次 {new.pk}）" in page and 'data-job-status="done"' in page
    assert "下方仍是上次筛查" not in page


def test_refresh_only_the_changed_households_from_the_screen(logged_in, district_staff, village_worker, screened, poor_households):
    """Issue 21 item 2 on the screen: 只更新有变化的家庭 refreshes the current run in place."""
    old = ScreeningRun.objects.get(period=PERIOD, is_current=True)
    assert logged_in(village_worker).post("/screening/run/", {"period": PERIOD, "mode": "incremental"}).status_code == 403
    client = logged_in(district_staff)
    page = client.get("/screening/", {"period": PERIOD}).content.decode()
    assert 'id="refresh-run"' in page and "只更新有变化的家庭" in page
    a, b, c = poor_households
    Person.objects.filter(pk=a.head_id).update(income_wage_fen=900_000)  # a's income now far above the line
    response = client.post("/screening/run/", {"period": PERIOD, "mode": "incremental"}, follow=True)
    page = response.content.decode()
    run = ScreeningRun.objects.get(period=PERIOD, is_current=True)
    assert run.pk == old.pk and run.refreshes == 1 and run.counts["refreshed_households"] >= 1
    assert f"全区筛查增量更新完成（批次 {run.pk}）" in page and "此后增量更新 1 次" in page
    assert not ScreeningResult.objects.filter(run=run, household_id=a.pk, program="dibao", eligible=True).exists()
