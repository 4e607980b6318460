"""An import in a real browser with the real background worker: the upload is checked in the
background (preview), then 确认导入 runs in the background too — the job's page shows it
queued, then goes back to the batch by itself, which shows what was written."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.exchange.models import BatchStatus, ImportBatch
from minzheng.jobs.models import BackgroundJob
from minzheng.registry.models import DeathReport
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

SIZE = {"width": 1366, "height": 768}


def test_district_confirms_an_import_that_runs_in_the_background(
    live_server, sized_context, make_user, make_person, id_number, database_worker, console, screenshot
):
    number = id_number("19400101", "017")
    person = make_person("500102006001", "郑故人", id_number=number)
    staff = make_user(Role.DISTRICT_STAFF, "500102", username="qu_shuju")
    page = login(sized_context(viewport=SIZE), live_server, staff, console)
    page.goto(f"{live_server.url}/exchange/feeds/death/upload/")
    csv = f"身份证号码,姓名,死亡日期,信息来源\n{number},郑故人,2026-11-25,殡葬火化\n".encode()
    page.get_by_label("数据文件").set_input_files({"name": "火化信息.csv", "mimeType": "text/csv", "buffer": csv})
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/jobs/*/")
    database_worker()  # the preview
    page.wait_for_url("**/exchange/batches/*/", timeout=30_000)
    batch = ImportBatch.objects.get(kind="death")
    assert "全部 1 行通过校验" in page.locator("#commit-panel").inner_text()
    screenshot(page, "import-commit-1-preview")

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/jobs/*/")
    status = page.locator(".job-status")
    assert status.get_attribute("data-job-status") == "queued" and f"确认导入死亡信息（批次{batch.pk}）" in status.inner_text()
    assert not DeathReport.objects.exists()  # nothing written in the request
    screenshot(page, "import-commit-2-queued")
    database_worker()  # the commit
    page.wait_for_url(f"**/exchange/batches/{batch.pk}/", timeout=30_000)
    counts = page.locator("#batch-counts").inner_text()
    assert "已导入" in counts and page.locator("#commit-panel").count() == 0
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.imported_rows == 1
    assert DeathReport.objects.get().person_id == person.pk
    assert list(BackgroundJob.objects.order_by("id").values_list("kind", "status")) == [("exchange.preview", "done"), ("exchange.commit", "done")]
    screenshot(page, "import-commit-3-committed")
    console.assert_clean()
