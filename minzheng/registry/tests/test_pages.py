"""Registry pages: masked everywhere, scoped, audited; login protection."""

import io

import pytest
from python_calamine import CalamineWorkbook

from minzheng.accounts.models import Role
from minzheng.core.crypto import decrypt_text
from minzheng.core.models import AuditEvent
from minzheng.jobs.models import BackgroundJob
from minzheng.divisions.models import Division
from minzheng.registry.models import Person

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"


@pytest.fixture
def people(make_household):
    mine = make_household(DADONGMEN, names=("张三丰", "李四"))
    theirs = make_household(XINGSHENG, names=("张翠山",))
    return mine, theirs


@pytest.fixture
def worker_client(client, make_user):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN)
    client.force_login(user)
    client.user = user
    return client


def full_number(person):
    return decrypt_text(person.id_number_encrypted)


def test_search_page_lists_masked_numbers_only(worker_client, people):
    mine, _ = people
    head = mine.head
    response = worker_client.get("/persons/", {"q": "zsf"})
    html = response.content.decode()
    assert response.status_code == 200
    assert head.id_number_masked in html
    assert full_number(head) not in html
    assert "张翠山" not in html  # other town


def test_search_by_full_number_of_other_village_finds_nothing(worker_client, people):
    _, theirs = people
    response = worker_client.get("/persons/", {"q": full_number(theirs.head)})
    html = response.content.decode()
    assert "张翠山" not in html
    assert "没有找到符合条件的人员" in html


def test_person_page_is_masked_and_audited(worker_client, people):
    mine, _ = people
    response = worker_client.get(f"/persons/{mine.head_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.head.id_number_masked in html and full_number(mine.head) not in html
    assert "查看完整" not in html  # village workers may not reveal
    assert AuditEvent.objects.filter(action="view", object_type="person", object_id=str(mine.head_id)).count() == 1


def test_other_village_person_and_household_pages_are_404(worker_client, people):
    _, theirs = people
    assert worker_client.get(f"/persons/{theirs.head_id}/").status_code == 404
    assert worker_client.get(f"/households/{theirs.pk}/").status_code == 404
    assert worker_client.get("/persons/99999999/").status_code == 404
    assert worker_client.get(f"/divisions/{XINGSHENG}/").status_code == 404
    assert worker_client.get("/divisions/500102119/").status_code == 404


def test_division_page_counts_only_visible_people(client, make_user, people):
    client.force_login(make_user(Role.TOWN_OFFICER, "500102006"))
    response = client.get("/divisions/500102006/")
    assert response.status_code == 200
    assert response.context["stats"]["total"] == 2
    assert response.context["stats"]["household_sizes"]["2人"] == 1
    # the district page is above a town officer
    assert client.get("/divisions/500102/").status_code == 404


def test_household_page_masks_members(worker_client, people):
    mine, _ = people
    html = worker_client.get(f"/households/{mine.pk}/").content.decode()
    for m in mine.memberships.select_related("person"):
        assert m.person.id_number_masked in html
        assert full_number(m.person) not in html


def test_export_is_masked_scoped_and_audited(client, make_user, people):
    mine, theirs = people
    user = make_user(Role.TOWN_OFFICER, "500102006")
    client.force_login(user)
    response = client.get("/persons/export.xlsx")  # a background job; its page offers the file
    job = BackgroundJob.objects.get(kind="registry.person_export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert "下载 人员名单.xlsx" in client.get(response["Location"]).content.decode()
    response = client.get(f"/jobs/{job.pk}/file/")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("人员名单").to_python()
    assert rows[0][:5] == ["序号", "姓名", "性别", "出生日期", "身份证号码"]
    numbers = sorted(r[4] for r in rows[1:])
    assert numbers == sorted(m.person.id_number_masked for m in mine.memberships.select_related("person"))
    event = AuditEvent.objects.get(action="export", object_type="person", username=user.username)
    assert event.extra["rows"] == 2


def test_village_worker_may_not_export(worker_client, people):
    assert worker_client.get("/persons/export.xlsx").status_code == 403


def test_reveal_needs_permission_and_is_audited(client, make_user, people):
    mine, _ = people
    approver = make_user(Role.TOWN_APPROVER, "500102006")
    client.force_login(approver)
    response = client.post(f"/persons/{mine.head_id}/reveal/")
    assert response.status_code == 200
    assert full_number(mine.head) in response.content.decode()
    assert AuditEvent.objects.filter(action="reveal", username=approver.username).count() == 1


def test_reveal_refused_for_village_worker(worker_client, people):
    mine, _ = people
    response = worker_client.post(f"/persons/{mine.head_id}/reveal/")
    assert response.status_code == 403
    assert full_number(mine.head) not in response.content.decode()
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_user_without_assignment_sees_empty_tree_and_no_people(client, make_user, people):
    client.force_login(make_user(Role.DISTRICT_STAFF))
    html = client.get("/persons/", {"q": "张"}).content.decode()
    assert "张三丰" not in html and "张翠山" not in html
    assert "未分配辖区" in html


def test_pages_require_login(client):
    response = client.get("/persons/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_person_form_shows_inline_chinese_errors_and_writes_nothing(worker_client):
    response = worker_client.post(
        "/persons/new/",
        {"id_number": "500102195201207808", "name": "", "division_code": "500102119001", "hukou_type": "resident",
         "disability_grade": "0", "work_capacity": "full", "self_care": "able"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "该输入项为必填项" in html  # name
    assert "请选择有效的选项" in html  # a village outside the worker's scope is not offered
    assert Person.objects.count() == 0
    response = worker_client.post(
        "/persons/new/",
        {"id_number": "500102195201207808", "name": "王小明", "division_code": DADONGMEN, "hukou_type": "resident",
         "disability_grade": "0", "work_capacity": "full", "self_care": "able"},
    )
    assert "身份证号码校验位错误，请核对" in response.content.decode()
    assert Person.objects.count() == 0
    response = worker_client.post(
        "/persons/new/",
        {"id_number": "500102195201207809", "name": "王小明", "division_code": DADONGMEN, "hukou_type": "resident",
         "disability_grade": "0", "work_capacity": "full", "self_care": "able"},
    )
    assert response.status_code == 302
    assert Person.objects.get().id_number_masked == "500102********7809"


def test_administrator_sets_a_village_zone_on_the_division_page(client, make_user):
    client.force_login(make_user(Role.SYSTEM_ADMIN, "500102"))
    assert "城乡属性（影响低保标准类别的默认值）" in client.get("/divisions/500102119001/").content.decode()
    response = client.post("/divisions/500102119001/zone/", {"zone": "rural"})
    assert response.status_code == 302
    division = Division.objects.get(code="500102119001", valid_to__isnull=True)
    assert (division.zone, division.zone_is_manual) == ("rural", True)
    assert AuditEvent.objects.filter(object_type="division", object_id="500102119001").count() == 1


def test_town_officer_cannot_set_a_zone(client, make_user):
    client.force_login(make_user(Role.TOWN_OFFICER, "500102119"))
    assert "城乡属性（影响" not in client.get("/divisions/500102119001/").content.decode()
    assert client.post("/divisions/500102119001/zone/", {"zone": "rural"}).status_code == 403
