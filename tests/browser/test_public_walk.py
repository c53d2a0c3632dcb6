"""A citizen's walk through the public site in Chromium, with axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone

from disclosure import viewcounts
from disclosure.models import DisclosureItem
from supervision import moderation
from supervision.models import HonoraryCitizenNotice, NoticeComment
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

SEED_TITLE = "常州市人民政府外事办公室2021年度法治政府建设情况报告"
SEED_HEADER = {
    "信息名称:": SEED_TITLE,
    "索 引 号:": "014109568/2022-00012",
    "法定主动公开分类:": "其他",
    "公开方式:": "主动公开",
    "文件编号:": "",
    "发布机构:": "市外事办",
    "生成日期:": "2022-03-21",
    "公开日期:": "2022-03-22",
    "废止日期:": "有效",
    "内容概述:": SEED_TITLE,
}


@pytest.fixture
def demo_site(transactional_db, public_site):
    """The demo data (the seed report's disclosure, the 18th-batch notice), with the notice
    period moved so that today falls inside it."""
    from demo.loader import load_demo

    load_demo()
    notice = HonoraryCitizenNotice.objects.get(batch=18)
    today = timezone.localdate()
    notice.notice_start = today - datetime.timedelta(days=1)
    notice.notice_end = today + datetime.timedelta(days=5)
    notice.full_clean()
    notice.save()
    return notice


def header_fields(page) -> dict[str, str]:
    cells = page.locator(".meta-table th, .meta-table td").all_inner_texts()
    pairs = {}
    for label, value in zip(cells[::2], cells[1::2], strict=False):
        pairs[label.strip()] = value.strip()
    return pairs


def view_count(page) -> int:
    return int(page.locator("[data-view-count]").inner_text())


def test_citizen_searches_reads_the_report_and_comments_on_an_open_notice(
    page, live_server, demo_site, comment_reviewer
):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert_accessible(page)

    # Search from the home page, in Chinese.
    page.get_by_role("searchbox", name="搜索政务公开信息").fill("荣誉市民")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/disclosure/\?q="))
    assert "共找到" in page.locator("[role=status]").inner_text()
    assert_accessible(page)

    # Open the seed report's disclosure and check the header against the seed page.
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_url("**/disclosure/014109568-2022-00012/")
    breadcrumb = " ".join(page.locator(".breadcrumb").inner_text().split())
    assert breadcrumb == "您当前的位置：首页 >> 政务公开 >> 正文"
    assert header_fields(page) == SEED_HEADER
    assert page.get_by_text("扫一扫在手机打开当前页").is_visible()
    assert page.locator("svg.qr-code").is_visible()
    first = view_count(page)
    assert_accessible(page)
    page.reload()
    assert view_count(page) == first + 1
    viewcounts.flush()  # views are buffered and written in batches
    assert DisclosureItem.objects.get(index_number="014109568/2022-00012").view_count == first + 1

    # Comment on the open notice.
    page.get_by_role("link", name="公示公告").click()
    page.get_by_role("link", name=demo_site.title).click()
    assert page.get_by_role("heading", name=demo_site.title).is_visible()
    assert_accessible(page)
    comment_text = "支持授予，建议公示结束后公布结果。"
    page.get_by_label("意见内容").fill(comment_text)
    page.get_by_label("姓名（选填，不公开）").fill("王小明")
    page.get_by_label("联系方式（选填，不公开）").fill("13800000000")
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_url("**/notices/18/received/")
    assert "意见已收到" in page.locator("h1").inner_text()
    assert_accessible(page)

    # Not public until a reviewer accepts it; then public, without name or contact.
    page.get_by_role("link", name="返回公示页面").click()
    assert comment_text not in page.content()
    comment = NoticeComment.objects.get(content=comment_text)
    moderation.notice_comment_accept(comment=comment, reviewer=comment_reviewer)
    page.reload()
    assert page.get_by_text(comment_text).is_visible()
    html = page.content()
    assert "王小明" not in html and "13800000000" not in html


def test_every_public_page_has_no_serious_accessibility_violations(
    page, live_server, demo_site, settings, tmp_path
):
    # The demo holds the 2021 report as published, with its PDF.
    closed = HonoraryCitizenNotice.objects.create(
        batch=17,
        title="第十七批荣誉市民公示（已结束）",
        notice_start=datetime.date(2020, 9, 1),
        notice_end=datetime.date(2020, 9, 8),
    )
    urls = [
        "/",
        "/disclosure/",
        "/disclosure/?q=荣誉市民&year=2022",
        "/disclosure/?year=9999999999",
        "/disclosure/014109568-2022-00012/",
        "/notices/",
        "/notices/18/",
        f"/notices/{closed.batch}/",
        "/notices/18/received/",
        "/reports/",
        "/reports/2021/",
        "/disclosure/014109568-2022-99999/",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        assert_accessible(page)
    # The same pages with large text and high contrast switched on.
    page.goto(live_server.url + "/disclosure/014109568-2022-00012/")
    page.get_by_role("button", name="大字").click()
    page.get_by_role("button", name="高对比度").click()
    for url in ("/", "/disclosure/014109568-2022-00012/", "/notices/18/"):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.className") == "text-large contrast-high"
        assert_accessible(page)


def test_invalid_comment_shows_errors_accessibly_and_stores_nothing(page, live_server, demo_site):
    page.goto(live_server.url + "/notices/18/")
    page.get_by_role("button", name="提交意见").click()
    assert page.get_by_text("请填写意见内容。").is_visible()
    assert page.get_by_label("意见内容").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert not NoticeComment.objects.exists()


def test_keyboard_user_skips_to_content_and_operates_the_toggles(page, live_server, demo_site):
    page.goto(live_server.url + "/disclosure/014109568-2022-00012/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    large = page.get_by_role("button", name="大字")
    large.focus()
    page.keyboard.press("Enter")
    assert large.get_attribute("aria-pressed") == "true"
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "20px"
    # No pop-up, and the choice is remembered on the next page.
    page.goto(live_server.url + "/")
    assert "text-large" in page.evaluate("document.documentElement.className")
    assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"


def test_language_switch_turns_the_interface_english(page, live_server, demo_site):
    # One click each way, back on the same page.
    page.goto(live_server.url + "/disclosure/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/disclosure/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Home").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/disclosure/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_pages_fit_a_phone_screen_without_sideways_scrolling(page, live_server, demo_site):
    page.set_viewport_size({"width": 360, "height": 740})
    for url in ("/", "/disclosure/", "/disclosure/014109568-2022-00012/", "/notices/18/"):
        page.goto(live_server.url + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url


def test_printed_detail_page_hides_navigation_and_shows_the_address(page, live_server, demo_site):
    page.goto(live_server.url + "/disclosure/014109568-2022-00012/")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".header-tools").is_visible()
    assert page.locator(".print-url").is_visible()
    assert page.locator(".meta-table").is_visible()
