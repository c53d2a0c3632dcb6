"""The staff's screens in Chromium, with axe-core: where each role lands, the admin grouped by
task, a history page in Chinese, the import preview with its errors beside the row, the
import template download, and the dashboard's default year."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "R0le-Passw0rd!"  # tests/conftest.py make_role_user


@pytest.fixture
def staff_site(public_site):
    """The admin over plain HTTP with static files served from the apps (no manifest)."""
    return public_site


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def study_session(db):
    from trainings.models import StudySession

    return StudySession.objects.create(
        date=datetime.date(2021, 12, 4),
        title="宪法宣传周学习",
        kind=StudySession.Kind.PUBLICITY,
    )


@pytest.fixture
def pending_comment(db):
    from supervision.models import HonoraryCitizenNotice, NoticeComment

    today = timezone.localdate()
    notice = HonoraryCitizenNotice.objects.create(
        batch=19,
        title="拟授予第十九批荣誉市民称号人选公示",
        notice_start=today - datetime.timedelta(days=1),
        notice_end=today + datetime.timedelta(days=5),
    )
    return NoticeComment.objects.create(notice=notice, content="赞成。")


def test_data_entry_lands_on_the_admin_grouped_by_task(
    page, live_server, staff_site, data_entry_user
):
    sign_in(page, live_server, data_entry_user)
    assert page.url == live_server.url + "/admin/"
    captions = [c.strip() for c in page.locator("#content-main caption").all_inner_texts()]
    expected = ["年度报告", "学法", "建议提案", "荣誉市民公示", "因公出国(境)", "政务公开"]
    assert [c for c in captions if c in expected] == expected
    # The report first in its group; no English task table.
    first = page.locator("#content-main .module").first
    assert first.locator("caption").inner_text().strip() in ("待办", "年度报告")
    assert (
        "法治政府建设年度报告"
        in page.locator("#content-main .app-task1 tbody th").first.inner_text()
    )
    assert "Task" not in page.locator("#content-main").inner_text()
    assert_accessible(page)


def test_reviewer_lands_on_what_awaits_review(page, live_server, staff_site, reviewer_user,
                                               pending_comment):  # fmt: skip
    sign_in(page, live_server, reviewer_user)
    assert "/admin/supervision/noticecomment/" in page.url
    assert "status__exact=pending" in page.url
    assert_accessible(page)


def test_leadership_lands_on_the_dashboard_of_the_year_reported_on(
    page, live_server, staff_site, leadership_user
):
    sign_in(page, live_server, leadership_user)
    assert page.url == live_server.url + "/dashboard/"
    previous = timezone.localdate().year - 1
    assert page.locator("h1").inner_text().startswith(f"{previous}年")
    reason = page.locator(".dash-year-reason").inner_text()
    assert f"{previous}年度报告尚未发布" in reason
    # Nothing recorded for that year: it says so.
    assert f"{previous}年尚无任何记录" in page.locator(".dash-year-empty").inner_text()
    assert_accessible(page)


def test_administrator_lands_on_the_admin_index(page, live_server, staff_site, administrator_user):
    sign_in(page, live_server, administrator_user)
    assert page.url == live_server.url + "/admin/"
    text = page.locator("#content-main").inner_text()
    assert "系统管理" in text and "网站页脚信息" in text
    assert "其他" not in text
    assert "Task" not in text
    assert_accessible(page)


def test_history_page_is_chinese_with_local_time(
    page, live_server, staff_site, data_entry_user, study_session
):
    sign_in(page, live_server, data_entry_user)
    page.goto(live_server.url + f"/admin/trainings/studysession/{study_session.pk}/change/")
    page.select_option("#id_kind", "lecture")
    page.fill("#id_participants", "42")
    page.click("[name=_continue]")
    page.wait_for_load_state()
    assert page.locator("#id_is_demo").count() == 0  # no demo checkbox on forms
    page.click("a.historylink")
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().startswith("修改历史：")
    table = page.locator("#change-history").inner_text().replace("\xa0", " ")
    words = re.findall(r"[A-Za-z]{2,}", table.replace(data_entry_user.username, ""))
    assert words == [], words
    assert "None" not in table
    assert "普法宣传活动 → 专题讲座" in table
    assert "参加人数：— → 42" in table
    latest = study_session.history.order_by("-history_date").first()
    local = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M")
    assert local in table
    assert_accessible(page)


def _bad_sheet() -> bytes:
    from dataio.importing import template_bytes
    from trainings.models import StudySession

    book = openpyxl.load_workbook(io.BytesIO(template_bytes(StudySession, "xlsx")))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = dict.fromkeys(headers, "")
    row.update({"日期": "2021-13-40", "名称": "宪法学习", "形式": "专题讲座"})
    sheet.append([row[h] for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_preview_shows_each_error_beside_its_row(
    page, live_server, staff_site, data_entry_user
):
    sign_in(page, live_server, data_entry_user)
    page.goto(live_server.url + "/admin/trainings/studysession/import/")
    page.set_input_files(
        "#id_import_file",
        files=[{"name": "学法活动.xlsx", "mimeType": "application/octet-stream",
                "buffer": _bad_sheet()}],
    )  # fmt: skip
    page.click("#content [type=submit]")
    page.wait_for_load_state()
    heading = page.locator("#content h2").last.inner_text()
    assert heading == "以下各行未通过检查，整个文件均未导入"
    error = page.locator("td.errors-inline").first
    assert error.is_visible()  # shown, not behind a hover
    assert "日期：“2021-13-40”不是有效的日期" in error.inner_text()
    assert_accessible(page)


def test_import_template_is_offered_next_to_the_import_button(
    page, live_server, staff_site, data_entry_user
):
    sign_in(page, live_server, data_entry_user)
    page.goto(live_server.url + "/admin/trainings/studysession/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载导入模板").click()
    download = download_info.value
    assert download.suggested_filename == "学法活动-导入模板.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert [sheet.title for sheet in book.worksheets] == ["学法活动", "填写说明", "示例"]
    assert_accessible(page)
