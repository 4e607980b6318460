"""Family screens and the person picker, through the Django test client: scoped (another
town's person or household is never listed nor accepted), masked, Chinese errors next to the
field with nothing written, every change dated in the membership history."""

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.core.crypto import decrypt_text
from minzheng.core.models import AuditEvent
from minzheng.registry.models import DeathReport, Household, HouseholdMembership, Person

pytestmark = pytest.mark.django_db

DADONGMEN = "500102006001"  # 敦仁街道
XINGSHENG = "500102119001"  # 珍溪镇


@pytest.fixture
def worker(client, make_user):
    client.force_login(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    return client


@pytest.fixture
def family(make_household):
    return make_household(DADONGMEN, names=("王大贵", "刘小芳"))


@pytest.fixture
def stranger(make_household):
    return make_household(XINGSHENG, names=("张翠山", "殷素素"))


def pick(client, q, field="person"):
    return client.get("/persons/pick/", {"field": field, "id": f"id_{field}", f"{field}_q": q}).content.decode()


# ------------------------------------------------------------------------------- the picker


def test_picker_finds_by_name_initials_and_last_four_digits_masked(worker, family, stranger):
    head = family.head
    full = decrypt_text(head.id_number_encrypted)
    for q in ("王大", "wdg", full[-4:], full):
        html = pick(worker, q)
        assert "王大贵" in html, q
        assert head.id_number_masked in html and full not in html
        assert f"person={head.pk}" in html
    assert "张翠山" not in pick(worker, "张") and "张翠山" not in pick(worker, "zcs")


def test_picker_never_lists_another_towns_person(worker, family, stranger):
    theirs = decrypt_text(stranger.head.id_number_encrypted)
    for q in (theirs, theirs[-4:], "张翠山"):
        html = pick(worker, q)
        assert "张翠山" not in html and "本辖区内没有找到符合条件的在册人员" in html, q


def test_picker_asks_for_four_digits_or_the_full_number(worker, family):
    assert "请输入身份证号码后4位或完整号码" in pick(worker, "12")
    assert not AuditEvent.objects.filter(action="search").exists()
    pick(worker, "wdg")
    assert AuditEvent.objects.filter(action="search", summary="选择人员（拼音首字母）").count() == 1


def test_picker_choose_refuses_another_towns_person(worker, family, stranger):
    mine = worker.get("/persons/pick/choose/", {"field": "applicant", "id": "id_applicant", "person": family.head_id}).content.decode()
    assert f'name="applicant" value="{family.head_id}"' in mine and "王大贵" in mine
    theirs = worker.get("/persons/pick/choose/", {"field": "applicant", "id": "id_applicant", "person": stranger.head_id}).content.decode()
    assert 'name="applicant" value=""' in theirs and "张翠山" not in theirs


def test_picker_lists_at_most_eight(worker, make_person):
    for i in range(10):
        make_person(DADONGMEN, f"李{'一二三四五六七八九十'[i]}")
    html = pick(worker, "李")
    assert html.count("data-pick=") == 8 and "结果较多，仅显示前 8 位" in html


# ------------------------------------------------------------------------------- families


def test_establish_household_from_the_person_page(worker, make_person):
    person = make_person(DADONGMEN, "赵铁柱")
    page = worker.get(f"/persons/{person.pk}/").content.decode()
    assert f'href="/households/new/?head={person.pk}"' in page and "申请救助" in page
    form = worker.get(f"/households/new/?head={person.pk}").content.decode()
    assert f'name="head" value="{person.pk}"' in form and 'value="urban" selected' in form  # 大东门社区 is urban
    r = worker.post("/households/new/", {"head": person.pk, "address": "人民路1号", "zone": "urban", "since": "2026-12-01"})
    household = Household.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/households/{household.pk}/"
    page = worker.get(r["Location"]).content.decode()
    assert "<h1>赵铁柱户" in page and "人民路1号" in page and "家庭 " not in page
    assert "2026-12-01" in page and "立户" in page


def test_establish_refuses_bad_input_in_chinese(worker, make_person):
    person = make_person(DADONGMEN, "赵铁柱")
    r = worker.post("/households/new/", {"head": person.pk, "address": "", "zone": "urban", "since": "2026-12-09"})
    html = r.content.decode()
    assert r.status_code == 200 and "该输入项为必填项" in html
    r = worker.post("/households/new/", {"head": person.pk, "address": "人民路1号", "zone": "urban", "since": "2026-12-09"})
    assert "变动日期不能晚于今天" in r.content.decode()
    assert not Household.objects.exists()


def test_establish_refuses_another_towns_person(worker, make_person):
    theirs = make_person(XINGSHENG, "张翠山")
    assert worker.get(f"/households/new/?head={theirs.pk}").status_code == 404
    r = worker.post("/households/new/", {"head": theirs.pk, "address": "人民路1号", "zone": "urban", "since": "2026-12-01"})
    assert "请从列表中选择本辖区内的在册人员" in r.content.decode()
    assert not Household.objects.exists()


def test_add_existing_and_new_member(worker, family, make_person, id_number):
    child = make_person(DADONGMEN, "王小明", birth="20150301")
    r = worker.post(f"/households/{family.pk}/members/new/", {"person": child.pk, "relation": "child", "reason": "birth", "since": "2026-11-01", "hukou_type": "resident"})
    assert r.status_code == 302
    number = id_number("19500101", "331")
    r = worker.post(
        f"/households/{family.pk}/members/new/",
        {"person": "", "id_number": number, "name": "王老太", "hukou_type": "agricultural", "relation": "parent", "reason": "moved_in", "since": "2026-12-01"},
    )
    assert r.status_code == 302
    grandma = Person.objects.get(name="王老太")
    assert (grandma.division_code, grandma.hukou_type, grandma.household_id) == (DADONGMEN, "agricultural", family.pk)
    family.refresh_from_db()
    assert family.member_count == 4
    page = worker.get(f"/households/{family.pk}/").content.decode()
    assert number not in page and grandma.id_number_masked in page


def test_add_member_bad_new_number_writes_nothing(worker, family):
    r = worker.post(
        f"/households/{family.pk}/members/new/",
        {"person": "", "id_number": "500102195001013310", "name": "王老太", "hukou_type": "resident", "relation": "parent", "reason": "moved_in", "since": "2026-12-01"},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "身份证号码校验位错误，请核对" in html
    assert not Person.objects.filter(name="王老太").exists() and HouseholdMembership.objects.count() == 2
    r = worker.post(f"/households/{family.pk}/members/new/", {"relation": "parent", "reason": "moved_in", "since": "2026-12-01"})
    assert "请选择已登记人员，或填写新人员的身份证号码和姓名" in r.content.decode()


def test_another_towns_household_pages_are_404(worker, stranger, family):
    for url in (
        f"/households/{stranger.pk}/members/new/",
        f"/households/{stranger.pk}/split/",
        f"/households/{stranger.pk}/head/",
        f"/households/{stranger.pk}/members/{stranger.head_id}/leave/",
        f"/persons/{stranger.head_id}/edit/",
        f"/persons/{stranger.head_id}/death/",
    ):
        assert worker.get(url).status_code == 404, url
        assert worker.post(url, {"on": "2026-12-01", "kind": "moved_out"}).status_code == 404, url
    r = worker.post(f"/households/{family.pk}/members/new/", {"person": stranger.head_id, "relation": "child", "reason": "moved_in", "since": "2026-12-01"})
    assert "请从列表中选择本辖区内的在册人员" in r.content.decode()
    assert HouseholdMembership.objects.filter(household=family).count() == 2


def test_departure_and_death_on_the_household_page(worker, family, make_person):
    spouse = Person.objects.get(name="刘小芳")
    r = worker.post(f"/households/{family.pk}/members/{family.head_id}/leave/", {"kind": "moved_out", "on": "2026-12-01"})
    assert "王大贵是户主，请先变更户主再办理迁出" in r.content.decode()
    r = worker.post(f"/households/{family.pk}/members/{spouse.pk}/leave/", {"kind": "death", "on": "2026-12-02", "note": "家属告知"})
    assert r.status_code == 302
    spouse.refresh_from_db()
    assert spouse.is_deceased and spouse.death_date == dt.date(2026, 12, 2)
    report = DeathReport.objects.get(person=spouse)
    assert (report.source, report.status, report.reference) == ("village", "confirmed", "村（社区）登记：家属告知")
    row = HouseholdMembership.objects.get(person=spouse)
    assert (row.valid_to, row.reason_left) == (dt.date(2026, 12, 2), "death")


def test_split_and_change_head_pages(worker, make_household):
    household = make_household(DADONGMEN, names=("王大贵", "王二", "李梅"))
    son, wife = Person.objects.get(name="王二"), Person.objects.get(name="李梅")
    r = worker.post(f"/households/{household.pk}/split/", {"head": son.pk, f"relation_{wife.pk}": "spouse", "address": "", "on": "2026-12-04"})
    new = Household.objects.exclude(pk=household.pk).get()
    assert r.status_code == 302 and r["Location"] == f"/households/{new.pk}/"
    assert (new.head_id, new.member_count, new.address) == (son.pk, 2, household.address)
    r = worker.post(f"/households/{new.pk}/head/", {"new_head": wife.pk, "old_head_relation": "spouse", "on": "2026-12-04"})
    assert r.status_code == 302
    new.refresh_from_db()
    assert new.head_id == wife.pk
    page = worker.get(f"/households/{new.pk}/").content.decode()
    assert "<h1>李梅户" in page and "变更户主" in page and "分户" in page


def test_edit_facts_page(worker, family):
    person = Person.objects.get(name="刘小芳")
    page = worker.get(f"/persons/{person.pk}/edit/").content.decode()
    for label in ("残疾类别", "残疾等级", "患重特大疾病", "劳动能力", "生活自理能力", "在校学生", "儿童类别", "有履行能力的法定赡养、抚养、扶养义务人", "在机构集中供养或养育", "工资性收入（元/月）"):
        assert label in page, label
    data = {
        "version": person.version, "name": "刘小芳", "hukou_type": "resident", "disability_category": "physical", "disability_grade": "2",
        "serious_illness": "on", "work_capacity": "none", "self_care": "partly_unable", "child_status": "", "has_capable_supporter": "on",
        "income_wage": "0", "income_business": "0", "income_property": "0", "income_transfer": "320.50",
    }  # fmt: skip
    r = worker.post(f"/persons/{person.pk}/edit/", data)
    assert r.status_code == 302
    person.refresh_from_db()
    assert (person.disability_category, person.disability_grade, person.serious_illness, person.work_capacity) == ("physical", 2, True, "none")
    assert (person.income_transfer_fen, person.has_capable_supporter, person.in_institution) == (32050, True, False)


def test_edit_facts_refuses_bad_input_next_to_the_field(worker, family):
    person = Person.objects.get(name="刘小芳")
    base = {
        "version": person.version, "name": "刘小芳", "hukou_type": "resident", "disability_category": "", "disability_grade": "2",
        "work_capacity": "full", "self_care": "able", "child_status": "", "income_wage": "-1", "income_business": "0",
        "income_property": "0", "income_transfer": "0",
    }  # fmt: skip
    html = worker.post(f"/persons/{person.pk}/edit/", base).content.decode()
    assert "金额不能为负数" in html
    html = worker.post(f"/persons/{person.pk}/edit/", {**base, "income_wage": "0"}).content.decode()
    assert "请选择残疾类别" in html
    html = worker.post(f"/persons/{person.pk}/edit/", {**base, "income_wage": "0", "disability_grade": "0", "version": "0"}).content.decode()
    assert "该记录已被其他用户修改，请刷新后重试" in html
    assert Person.objects.get(pk=person.pk).version == person.version


def test_next_steps_follow_permissions(client, make_user, family):
    leader = make_user(Role.DISTRICT_LEADER, "500102")
    client.force_login(leader)
    page = client.get(f"/persons/{family.head_id}/").content.decode()
    assert "可办理" not in page and "申请救助" not in page and "编辑信息" not in page
    approver = make_user(Role.TOWN_APPROVER, "500102006")
    client.force_login(approver)
    page = client.get(f"/households/{family.pk}/").content.decode()
    assert "添加成员" not in page and "申请低保" not in page


def test_next_steps_give_reasons(worker, make_household):
    one = make_household(DADONGMEN, names=("孤老汉",))
    page = worker.get(f"/households/{one.pk}/").content.decode()
    assert "本户只有一名成员，无需分户" in page
    assert f'href="/assistance/applications/new/?applicant={one.head_id}&amp;program=dibao"' in page
    young = make_household(DADONGMEN, names=("小青年",))
    Person.objects.filter(pk=young.head_id).update(birth_date=dt.date(2000, 1, 1))
    page = worker.get(f"/persons/{young.head_id}/").content.decode()
    assert "未满60周岁" in page
