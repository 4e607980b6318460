"""The children's and disability allowances online (issue 22 item 3): a real-name citizen applies
for 两项补贴 for a disabled member of the household and, as the guardian, for a grandchild's
孤儿 allowance; the members come from the registry, masked; the cases are the lines' own and wait
in the town's 待办 marked 网上申请; photos lose their metadata; the family follows the step, who
has it, the deadline and the decision; another family gets 404; each step is told by SMS.
Clock: 2026-12-04 (root conftest)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minzheng.accounts.models import Role
from minzheng.cases.tasks import open_tasks_for
from minzheng.children import actions as children_actions
from minzheng.children.models import Recognition, RecognitionPhoto
from minzheng.citizen import demo
from minzheng.citizen.models import SmsOutbox
from minzheng.citizen.tests.test_apply import jpeg_with_exif, signed_in
from minzheng.citizen.tests.test_signin import last_code
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import decrypt_text
from minzheng.disability import actions as disability_actions
from minzheng.disability.actions import Certificate
from minzheng.disability.models import SubsidyApplication, SubsidyPhoto
from minzheng.registry.actions import do_add_household_member
from minzheng.registry.models import Person

pytestmark = pytest.mark.django_db
DADONGMEN = "500102006001"
PHONE = "13812345678"


@pytest.fixture
def family(make_household, make_person, system_actor, id_number):
    """刘建国 (head), 刘秀兰 (spouse), their disabled son 刘小军 (1990) and grandson 刘乐乐 (2015)."""
    household = make_household(DADONGMEN, names=("刘建国", "刘秀兰"))
    son = make_person(DADONGMEN, "刘小军", id_number=id_number("19900415", "321"))
    do_add_household_member(system_actor, household, son, relation="child")
    grandson = make_person(DADONGMEN, "刘乐乐", birth="20150610")
    do_add_household_member(system_actor, household, grandson, relation="grandchild")
    household.son, household.grandson = son, grandson
    return household


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        pass

    s = Staff()
    for name, role, code in [("village", Role.VILLAGE_WORKER, DADONGMEN), ("town", Role.TOWN_OFFICER, "500102006"),
                             ("district", Role.DISTRICT_STAFF, "500102")]:  # fmt: skip
        s.__dict__[f"{name}_user"] = user = make_user(role, code, username=f"allowances_{name}")
        s.__dict__[name] = actor_of(user)
    return s


def certificate(person, grade=2) -> str:
    return f"{decrypt_text(person.id_number_encrypted)}4{grade}"


def care_body(person, **kw):
    return {"person_id": person.pk, "subsidy": "severe_disability_care_subsidy", "certificate_number": certificate(person),
            "certificate_category": "physical", "certificate_grade": "2", "certificate_issued_on": "2026-03-10",
            "situation": "下肢瘫痪，需人照料", **kw}  # fmt: skip


def orphan_body(child, **kw):
    return {"person_id": child.pk, "category": "orphan", "grounds": ["both_dead"], "guardian_relation": "祖父",
            "situation": "父母因车祸去世", **kw}  # fmt: skip


def test_apply_for_the_care_subsidy_for_a_member_and_the_town_finds_it_marked(client, family, staff):
    son = family.son
    signed_in(client, family, PHONE)
    choose = client.get("/citizen/apply/").content.decode()
    assert 'href="/citizen/apply/disability/"' in choose and 'href="/citizen/apply/children/"' in choose
    form = client.get("/citizen/apply/disability/").content.decode()
    assert "本人（刘建国）" in form and "刘*军（子女，" in form and "刘小军" not in form and "刘*兰（配偶，" in form
    assert decrypt_text(son.id_number_encrypted) not in form and son.id_number_masked in form
    bad = client.post("/citizen/apply/disability/", care_body(son, certificate_grade="3")).content.decode()
    assert "残疾人证号第20位（残疾等级）与所填残疾等级不一致" in bad
    missing = client.post("/citizen/apply/disability/", care_body(son, subsidy="")).content.decode()
    assert "请选择补贴项目" in missing
    assert not SubsidyApplication.objects.exists()
    done = client.post("/citizen/apply/disability/", care_body(son))
    a = SubsidyApplication.objects.get()
    assert done.url == f"/citizen/cases/disability/{a.pk}/"
    assert (a.channel, a.applicant_id, a.person_id, a.subsidy, a.certificate_grade, a.certificate_checked, a.situation) == (
        "online", family.head_id, son.pk, "severe_disability_care_subsidy", 2, False, "下肢瘫痪，需人照料")
    assert [t.title for t in open_tasks_for(staff.town) if t.case == a] == [f"{a.number}（网上申请）"]
    client.force_login(staff.town_user)
    assert "网上申请" in client.get("/disability/applications/").content.decode()
    assert "网上申请，由家庭成员刘建国提交" in client.get(f"/disability/applications/{a.pk}/").content.decode()
    event = AuditEvent.objects.get(object_type="disability_application", action="create")
    assert event.actor_kind == "citizen" and event.summary == f"网上申请重度残疾人护理补贴申请：{a.number}（本人或家属申请）"


def test_apply_for_a_grandchilds_orphan_allowance_as_the_guardian(client, family, staff):
    grandson = family.grandson
    signed_in(client, family, PHONE)
    form = client.get("/citizen/apply/children/").content.decode()
    assert "刘*乐（孙子女，" in form and "刘*军" not in form and "本人（" not in form  # children only, not oneself
    wrong = client.post("/citizen/apply/children/", orphan_body(grandson, grounds=["parent_detained"])).content.decode()
    assert "所选情形不属于孤儿的认定情形" in wrong
    unnamed = client.post("/citizen/apply/children/", orphan_body(grandson, guardian_relation="")).content.decode()
    assert "请填写您与儿童的关系" in unnamed
    assert not Recognition.objects.exists()
    done = client.post("/citizen/apply/children/", orphan_body(grandson))
    r = Recognition.objects.get()
    assert done.url == f"/citizen/cases/children/{r.pk}/"
    assert (r.channel, r.person_id, r.guardian_id, r.guardian_relation, r.category, r.grounds, r.placement, r.documents) == (
        "online", grandson.pk, family.head_id, "祖父", "orphan", ["both_dead"], "scattered", [])
    assert [t.title for t in open_tasks_for(staff.town) if t.case == r] == [f"{r.number}（网上申请）"]
    client.force_login(staff.town_user)
    assert "网上申请" in client.get("/children/recognitions/").content.decode()


def test_a_person_or_child_not_of_the_household_is_refused_naming_the_field(client, family, make_household, make_person):
    stranger = make_household(DADONGMEN, names=("王大明", "赵小红")).head
    other_child = make_person(DADONGMEN, "赵小花", birth="20160101")
    signed_in(client, family, PHONE)
    refused = client.post("/citizen/apply/disability/", care_body(stranger)).content.decode()
    assert "只能为本人或本户家庭成员申请" in refused
    refused = client.post("/citizen/apply/children/", orphan_body(other_child)).content.decode()
    assert "只能为本户家庭中的儿童申请" in refused
    adult = client.post("/citizen/apply/children/", orphan_body(family.son)).content.decode()
    assert "只能为本户家庭中的儿童申请" in adult
    assert not SubsidyApplication.objects.exists() and not Recognition.objects.exists()


def test_photos_of_papers_lose_their_metadata_and_bad_files_are_refused(client, family):
    signed_in(client, family, PHONE)
    client.post("/citizen/apply/disability/", care_body(family.son))
    a = SubsidyApplication.objects.get()
    url = f"/citizen/cases/disability/{a.pk}/"
    assert client.post(url, {"file": SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")}).url == url
    pdf = client.post(url, {"file": SimpleUploadedFile("证.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}).content.decode()
    assert "“证.pdf”不是 JPG 或 PNG 图片" in pdf
    photo = SubsidyPhoto.objects.get()
    with photo.file.open("rb") as f:
        image = f.read()
    assert dict(Image.open(io.BytesIO(image)).getexif()) == {} and b"PhoneMaker" not in image
    assert (photo.division_code, photo.content_type) == (DADONGMEN, "image/jpeg")
    assert "残疾人证照片" in client.get(url).content.decode()

    client.post("/citizen/apply/children/", orphan_body(family.grandson))
    r = Recognition.objects.get()
    url = f"/citizen/cases/children/{r.pk}/"
    nokind = client.post(url, {"file": SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")}).content.decode()
    assert "请选择材料类型" in nokind
    assert client.post(url, {"kind": "parents_death", "file": SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")}).url == url
    assert list(RecognitionPhoto.objects.values_list("kind", flat=True)) == ["parents_death"]
    assert r.documents == []  # a photo is not the village's receipt of the paper
    assert AuditEvent.objects.filter(object_type="child_recognition_photo", actor_kind="citizen").count() == 1


def test_the_family_follows_step_handler_deadline_and_decision(client, family, staff):
    signed_in(client, family, PHONE)
    client.post("/citizen/apply/disability/", care_body(family.son))
    client.post("/citizen/apply/children/", orphan_body(family.grandson))
    a, r = SubsidyApplication.objects.get(), Recognition.objects.get()
    listing = client.get("/citizen/cases/").content.decode()
    assert a.number in listing and r.number in listing and "重度残疾人护理补贴" in listing and "孤儿认定" in listing
    assert "暂无救助申请" not in listing
    page = client.get(f"/citizen/cases/disability/{a.pk}/").content.decode()
    assert "当前：待受理</strong>（乡镇（街道）受理（须核验残疾人证原件））" in page and "申请对象：刘*军" in page and "网上申请" in page
    a = disability_actions.do_record_certificate(staff.town, a, expected_version=a.version,
                                                  certificate=Certificate(certificate(family.son), "physical", 2, dt.date(2026, 3, 10)))  # fmt: skip
    a = disability_actions.do_accept_application(staff.town, a, expected_version=a.version)
    page = client.get(f"/citizen/cases/disability/{a.pk}/").content.decode()
    assert "当前：乡镇审核</strong>（乡镇（街道）审核）" in page
    assert f"办理期限：{a.deadline_on:%Y}年{a.deadline_on.month}月{a.deadline_on.day}日前" in page
    assert "2026-12-04 核验残疾人证" in page and "2026-12-04 受理" in page
    a = disability_actions.do_review_application(staff.town, a, expected_version=a.version, outcome="approve", opinion="情况属实")
    a = disability_actions.do_decide_application(staff.district, a, expected_version=a.version, outcome="approve")
    page = client.get(f"/citizen/cases/disability/{a.pk}/").content.decode()
    assert "已批准：每月 80.00 元" in page and "办理期限" not in page and 'enctype="multipart/form-data"' not in page
    late = client.post(f"/citizen/cases/disability/{a.pk}/", {"file": SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")})
    assert "申请已办结，不能再上传材料" in late.content.decode() and not SubsidyPhoto.objects.exists()
    r = children_actions.do_add_documents(staff.village, r, expected_version=r.version, documents=["identity", "parents_death"])
    r = children_actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome="refuse", opinion="父母一方健在")
    page = client.get(f"/citizen/cases/children/{r.pk}/").content.decode()
    assert "不予认定。理由：父母一方健在" in page and "当前：不予认定" in page
    assert "None" not in page
    assert AuditEvent.objects.filter(object_type="child_recognition", action="view", actor_kind="citizen").count() == 1


def test_another_family_gets_404_by_url_list_and_upload(client, family, make_household):
    signed_in(client, family, PHONE)
    client.post("/citizen/apply/disability/", care_body(family.son))
    client.post("/citizen/apply/children/", orphan_body(family.grandson))
    a, r = SubsidyApplication.objects.get(), Recognition.objects.get()
    client.post("/citizen/signout/")
    other = make_household(DADONGMEN, names=("王大明", "赵小红"))
    signed_in(client, other, "13900001111")
    for url in (f"/citizen/cases/disability/{a.pk}/", f"/citizen/cases/children/{r.pk}/"):
        assert client.get(url).status_code == 404
        upload = client.post(url, {"kind": "identity", "file": SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")})
        assert upload.status_code == 404
    assert not SubsidyPhoto.objects.exists() and not RecognitionPhoto.objects.exists()
    listing = client.get("/citizen/cases/").content.decode()
    assert a.number not in listing and r.number not in listing and "您和您的家庭暂无救助申请" in listing
    assert client.get("/citizen/cases/disability/999999/").status_code == 404


def test_each_step_is_told_by_sms(client, family, staff, django_capture_on_commit_callbacks):
    signed_in(client, family, PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/citizen/apply/disability/", care_body(family.son))
        client.post("/citizen/apply/children/", orphan_body(family.grandson))
    a, r = SubsidyApplication.objects.get(), Recognition.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        a = disability_actions.do_record_certificate(staff.town, a, expected_version=a.version,
                                                      certificate=Certificate(certificate(family.son), "physical", 2, dt.date(2026, 3, 10)))  # fmt: skip
        disability_actions.do_accept_application(staff.town, a, expected_version=a.version)
        r = children_actions.do_add_documents(staff.village, r, expected_version=r.version, documents=["identity", "parents_death"])
        children_actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome="approve", opinion="情况属实")
    texts = list(SmsOutbox.objects.filter(phone_masked="138****5678").order_by("id").values_list("text", flat=True))[1:]
    assert texts == [
        f"【涪陵民政】您的补贴申请{a.number}：网上申请。详情请登录涪陵民政网上办查看。",
        f"【涪陵民政】您的认定申请{r.number}：网上申请。详情请登录涪陵民政网上办查看。",
        f"【涪陵民政】您的补贴申请{a.number}：核验残疾人证。详情请登录涪陵民政网上办查看。",
        f"【涪陵民政】您的补贴申请{a.number}：受理。详情请登录涪陵民政网上办查看。",
        f"【涪陵民政】您的认定申请{r.number}：补充材料。详情请登录涪陵民政网上办查看。",
        f"【涪陵民政】您的认定申请{r.number}：乡镇审核。详情请登录涪陵民政网上办查看。",
    ]


def test_the_demo_family_can_try_both_applications(client):
    demo.seed_demo(seed=1, scale=0.01)
    head = Person.objects.get(name="陈晓梅")
    client.post("/citizen/signin/", {"phone": PHONE})
    client.post("/citizen/signin/code/", {"code": last_code(PHONE)})
    client.post("/citizen/bind/", {"name": "陈晓梅", "id_number": decrypt_text(head.id_number_encrypted)})
    assert "周*涵（子女，" in client.get("/citizen/apply/children/").content.decode()
    disability = client.get("/citizen/apply/disability/").content.decode()
    assert "本人（陈晓梅）" in disability and "周*军（配偶，" in disability
