"""The screens added over the existing actions: registering a facility, the cemetery's plot list,
the illegal-grave (散埋乱葬) page with its order and close steps, and the memorial photo (cleaned,
served only by the memorial's token). Refusals: 422 next to the field and nothing written,
another town 404, a role without the permission 403 or no form at all."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minzheng.funerals import actions, views
from minzheng.funerals.models import (
    Facility,
    FuneralRecord,
    IllegalGrave,
    Memorial,
    MemorialPhoto,
    Plot,
)
from minzheng.funerals.tests.conftest import (
    DADONGMEN,
    DUNREN,
    XINGSHENG,
    D,
    through_cremation,
)


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x8825] = {1: "N", 2: (29.0, 42.0, 0.0), 3: "E", 4: (107.0, 23.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 20, 30)).save(out, "PNG")
    return out.getvalue()


def upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], re.DOTALL)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.DOTALL)] for r in rows]


# =========================================================================== 1. facilities
FACILITY = {
    "name": "敦仁街道第二公益性公墓", "kind": "public_cemetery", "division_code": DUNREN, "status": "operating",
    "capacity": "120", "opened_on": "2025-06-01", "demonstration": "on", "address": "敦仁街道某路1号",
    "bank_name": "", "bank_account": "",
}  # fmt: skip


def test_a_facility_is_registered_on_screen_with_a_division_picked_from_a_list(client, staff):
    client.force_login(staff.town_user)
    page = client.get("/funerals/facilities/")
    assert page.status_code == 200 and 'id="facility-form"' in page.text
    assert f'<option value="{DUNREN}">敦仁街道（乡镇、街道级）</option>' in page.text
    assert f'<option value="{DADONGMEN}">大东门社区</option>' in page.text
    assert "500102119" not in page.text.split('id="facility-form"', 1)[1]  # another town is not offered
    response = client.post("/funerals/facilities/", FACILITY)
    facility = Facility.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/funerals/facilities/{facility.pk}/"
    assert (facility.name, facility.kind, facility.division_code, facility.capacity, facility.opened_on, facility.demonstration,
            facility.address) == ("敦仁街道第二公益性公墓", "public_cemetery", DUNREN, 120, D(2025, 6, 1), True, "敦仁街道某路1号")  # fmt: skip
    page = client.get(response["Location"]).text
    assert "已登记殡葬设施：敦仁街道第二公益性公墓。" in page and "None" not in page
    assert table_rows(page, "plot-table") == [["没有符合条件的墓位"]]


def test_a_refused_facility_is_shown_next_to_the_field_and_nothing_is_written(client, staff):
    client.force_login(staff.district_user)
    response = client.post("/funerals/facilities/", {**FACILITY, "capacity": ""})
    assert response.status_code == 422
    assert '<span class="error">请填写公墓设计墓位数（大于0）</span>' in response.text
    response = client.post("/funerals/facilities/", {**FACILITY, "kind": "funeral_home", "capacity": "", "bank_account": "62x4"})
    assert response.status_code == 422
    assert "只有农村公益性公墓可以标为示范公墓" in response.text and "银行账号只能是数字" in response.text
    client.force_login(staff.other_town_user)  # 珍溪镇 cannot place a facility in 敦仁街道
    response = client.post("/funerals/facilities/", {**FACILITY, "division_code": DADONGMEN})
    assert response.status_code == 422 and "请选择有效的选项" in response.text
    assert Facility.objects.count() == 0


def test_a_village_worker_sees_no_facility_form_and_cannot_post_one(client, staff):
    client.force_login(staff.village_user)
    page = client.get("/funerals/facilities/")
    assert page.status_code == 200 and 'id="facility-form"' not in page.text
    assert client.post("/funerals/facilities/", FACILITY).status_code == 403
    assert Facility.objects.count() == 0


# =========================================================================== 2. plots
def test_the_cemetery_page_lists_its_plots_filtered_and_paged(client, staff, deceased, home, public_cemetery, monkeypatch):
    record = through_cremation(staff, deceased, home)
    plot = Plot.objects.get(number="S-01")
    actions.do_inter(staff.district, record, expected_version=record.version, interred_on=D(2026, 12, 3), cemetery=public_cemetery, plot=plot)
    number = FuneralRecord.objects.get().number
    client.force_login(staff.town_user)
    page = client.get(f"/funerals/facilities/{public_cemetery.pk}/").text
    assert table_rows(page, "plot-table") == [
        ["C-01", "传统墓穴", "可售", "—"], ["S-01", "树葬", "已售", number], ["S-02", "树葬", "可售", "—"],
    ]  # fmt: skip
    assert f'<a href="/funerals/records/{record.pk}/">{number}</a>' in page and "None" not in page
    assert 'value="plots"' in page  # the plot registration form stays
    page = client.get(f"/funerals/facilities/{public_cemetery.pk}/?kind=tree&status=available").text
    assert table_rows(page, "plot-table") == [["S-02", "树葬", "可售", "—"]]
    monkeypatch.setattr(views, "PLOTS_PER_PAGE", 2)
    page = client.get(f"/funerals/facilities/{public_cemetery.pk}/?page=2").text
    assert table_rows(page, "plot-table") == [["S-02", "树葬", "可售", "—"]] and "第 2 页 / 共 2 页，3 条" in page
    client.force_login(staff.other_town_user)
    assert client.get(f"/funerals/facilities/{public_cemetery.pk}/").status_code == 404


# =========================================================================== 3. illegal graves
PATH = "敦仁街道 / 大东门社区"
GRAVE = {"division_code": DADONGMEN, "found_on": "2026-12-01", "location": "大东门社区三组后山", "description": "新坟一座"}


def test_an_illegal_grave_is_reported_ordered_and_closed_on_screen(client, staff):
    client.force_login(staff.village_user)
    page = client.get("/funerals/graves/")
    assert page.status_code == 200 and 'id="grave-form"' in page.text and 'href="/funerals/graves/"' in page.text
    response = client.post("/funerals/graves/", GRAVE)
    assert response.status_code == 302 and response["Location"] == "/funerals/graves/"
    grave = IllegalGrave.objects.get()
    assert (grave.division_code, grave.found_on, grave.location, grave.description, grave.status) == (
        DADONGMEN, D(2026, 12, 1), "大东门社区三组后山", "新坟一座", "found")  # fmt: skip
    page = client.get("/funerals/graves/").text
    assert f'id="grave-order-{grave.pk}"' not in page and f'id="grave-close-{grave.pk}"' not in page and "None" not in page  # the village does not order rectification
    assert client.post(f"/funerals/graves/{grave.pk}/order/", {"version": 1, "deadline_on": "2027-01-31"}).status_code == 403
    client.force_login(staff.other_town_user)
    assert table_rows(client.get("/funerals/graves/").text, "grave-table") == [["暂无记录"]]
    assert client.post(f"/funerals/graves/{grave.pk}/order/", {"version": 1, "deadline_on": "2027-01-31"}).status_code == 404
    grave.refresh_from_db()
    assert (grave.status, grave.version) == ("found", 1)
    client.force_login(staff.town_user)
    response = client.post(f"/funerals/graves/{grave.pk}/order/", {"version": 1, "deadline_on": "2026-12-04"})
    assert response.status_code == 422 and '<span class="error">整改期限应晚于今天</span>' in response.text
    assert client.post(f"/funerals/graves/{grave.pk}/order/", {"version": 1, "deadline_on": "2027-01-31"}).status_code == 302
    grave.refresh_from_db()
    assert (grave.status, grave.deadline_on, grave.version) == ("rectifying", D(2027, 1, 31), 2)
    stale = client.post(f"/funerals/graves/{grave.pk}/close/", {"version": 1, "rectified_on": "2026-12-03", "rectification": "迁入公墓"})
    assert stale.status_code == 409 and "该整改案件已被其他用户处理，请刷新后重试" in stale.text
    again = client.post(f"/funerals/graves/{grave.pk}/order/", {"version": 2, "deadline_on": "2027-02-28"})
    assert again.status_code == 422 and "整改案件当前处于“整改中”，不能办理此操作" in again.text
    client.force_login(staff.village_user)
    response = client.post(f"/funerals/graves/{grave.pk}/close/", {"version": 2, "rectified_on": "2026-11-30", "rectification": "迁入公墓"})
    assert response.status_code == 422 and "整改完成日期不能早于发现日期" in response.text
    response = client.post(f"/funerals/graves/{grave.pk}/close/", {"version": 2, "rectified_on": "2026-12-03", "rectification": "迁入公墓"})
    assert response.status_code == 302
    grave.refresh_from_db()
    assert (grave.status, grave.rectified_on, grave.rectification, grave.version) == ("rectified", D(2026, 12, 3), "迁入公墓", 3)
    assert table_rows(client.get("/funerals/graves/?status=found").text, "grave-table") == [["暂无记录"]]
    rows = table_rows(client.get("/funerals/graves/?status=rectified").text, "grave-table")
    assert rows == [[PATH, "大东门社区三组后山新坟一座", "2026-12-01", "2027-01-31", "已整改2026-12-03 迁入公墓", "—"]]


def test_a_refused_grave_report_writes_nothing(client, staff):
    client.force_login(staff.village_user)
    response = client.post("/funerals/graves/", {**GRAVE, "location": ""})
    assert response.status_code == 422 and '<span class="error">该输入项为必填项</span>' in response.text
    response = client.post("/funerals/graves/", {**GRAVE, "found_on": "2026-12-05"})
    assert response.status_code == 422 and '<span class="error">发现日期不能晚于今天</span>' in response.text
    response = client.post("/funerals/graves/", {**GRAVE, "division_code": XINGSHENG})  # another town's village
    assert response.status_code == 422 and "请选择有效的选项" in response.text
    client.force_login(staff.leader_user)  # reads, reports nothing
    page = client.get("/funerals/graves/")
    assert page.status_code == 200 and 'id="grave-form"' not in page.text
    assert client.post("/funerals/graves/", GRAVE).status_code == 403
    assert IllegalGrave.objects.count() == 0


def test_the_zones_page_links_to_the_grave_page(client, staff):
    actions.do_report_illegal_grave(staff.village, division_code=DADONGMEN, found_on=D(2026, 12, 1), location="后山")
    client.force_login(staff.district_user)
    page = client.get("/funerals/zones/").text
    assert "最近发现 1 处尚未整改完成。" in page and '<a href="/funerals/graves/">' in page


# =========================================================================== 4. memorial photo
@pytest.fixture
def cremated(staff, deceased, home):
    return through_cremation(staff, deceased, home)


def test_a_memorial_opened_with_a_photo_shows_it_without_exif_by_its_token_only(client, staff, cremated, django_capture_on_commit_callbacks):
    client.force_login(staff.village_user)
    data = {"version": cremated.version, "consent_by": "郑大", "consent_relation": "儿子", "epitaph": ""}
    response = client.post(f"/funerals/records/{cremated.pk}/memorial/", {**data, "photo": upload("a.txt", b"not an image")})
    assert response.status_code == 422 and "“a.txt”不是 JPG 或 PNG 图片" in response.text
    assert (Memorial.objects.count(), MemorialPhoto.objects.count()) == (0, 0)
    response = client.post(f"/funerals/records/{cremated.pk}/memorial/", {**data, "photo": upload("父亲.jpg", jpeg_with_exif())})
    assert response.status_code == 302
    memorial = Memorial.objects.get()
    photo = MemorialPhoto.objects.get()
    assert (photo.memorial_id, photo.division_code, photo.content_type, photo.width, photo.height) == (memorial.pk, DADONGMEN, "image/jpeg", 40, 30)
    client.logout()
    page = client.get(f"/funerals/memorial/{memorial.token}/").text
    assert f'src="/funerals/memorial/{memorial.token}/photo"' in page
    served = client.get(f"/funerals/memorial/{memorial.token}/photo")
    content = b"".join(served.streaming_content)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert dict(Image.open(io.BytesIO(content)).getexif()) == {} and b"TestCamera" not in content
    assert client.get("/funerals/memorial/wrong-token/photo").status_code == 404
    Memorial.objects.filter(pk=memorial.pk).update(is_open=False)
    assert client.get(f"/funerals/memorial/{memorial.token}/photo").status_code == 404


def test_staff_replace_and_remove_the_photo_others_cannot(client, staff, cremated, django_capture_on_commit_callbacks):
    memorial = actions.do_open_memorial(staff.village, cremated, consent_by="郑大", consent_relation="儿子")
    url = f"/funerals/memorials/{memorial.pk}/photo/"
    assert client.get(f"/funerals/memorial/{memorial.token}/photo").status_code == 404  # no photo yet
    for user, status in [(staff.other_town_user, 404), (staff.other_village_user, 404), (staff.leader_user, 403)]:
        client.force_login(user)
        assert client.post(url, {"photo": upload("p.png", png())}).status_code == status
        assert client.post(url, {"remove": "1"}).status_code == status
    assert MemorialPhoto.objects.count() == 0
    client.force_login(staff.village_user)
    page = client.get(f"/funerals/records/{cremated.pk}/").text
    assert 'id="memorial-photo-form"' in page and "尚未上传逝者照片" in page
    response = client.post(url, {})
    assert response.status_code == 422 and '<span class="error">该输入项为必填项</span>' in response.text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"photo": upload("p.jpg", jpeg_with_exif())}).status_code == 302
    first = MemorialPhoto.objects.get()
    storage, first_name = first.file.storage, first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"photo": upload("p.png", png())}).status_code == 302
    second = MemorialPhoto.objects.get()
    assert (second.content_type, second.width, second.height) == ("image/png", 20, 10)
    assert not storage.exists(first_name) and storage.exists(second.file.name)
    page = client.get(f"/funerals/records/{cremated.pk}/").text
    assert "更换照片" in page and 'id="memorial-photo-remove"' in page and "None" not in page
    assert f'src="/funerals/memorial/{memorial.token}/photo"' in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"remove": "1"}).status_code == 302
    assert MemorialPhoto.objects.count() == 0 and not storage.exists(second.file.name)
    assert client.get(f"/funerals/memorial/{memorial.token}/photo").status_code == 404
    assert "该纪念页没有照片" in client.post(url, {"remove": "1"}, follow=True).text
