"""Reading a disclosure as on other government sites: 字号 大/中/小, 打印 with a print layout,
上一篇/下一篇 in the catalogue; at desktop and phone widths, with axe-core."""

import datetime

import pytest

from disclosure.models import DisclosureItem
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def catalogue(public_site, seed_disclosure):
    """Three public items, newest first: 2022-04-01, the seed page (2022-03-22), 2022-01-10."""

    def item(serial: int, title: str, published_on: datetime.date) -> DisclosureItem:
        made = DisclosureItem(
            organization=seed_disclosure.organization,
            title=title,
            index_number=f"014109568/2022-{serial:05d}",
            category=DisclosureItem.Category.OTHER,
            method=DisclosureItem.Method.PROACTIVE,
            publisher="市外事办",
            generated_on=published_on,
            published_on=published_on,
            status="published",
            summary=title,
            body="正文。",
        )
        made.full_clean()
        made.save()
        return made

    newer = item(20, "2022年法治政府建设工作要点", datetime.date(2022, 4, 1))
    older = item(3, "关于调整依法行政工作领导小组成员的通知", datetime.date(2022, 1, 10))
    return newer, seed_disclosure, older


@pytest.mark.parametrize("width", WIDTHS)
def test_font_size_print_and_neighbours(page, live_server, catalogue, width):
    newer, seed, older = catalogue
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(live_server.url + seed.get_absolute_url())
    body = page.locator("#article-body")

    # 字号: 中 by default; 大 and 小 change the text size and say which is on.
    medium = float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    page.get_by_role("button", name="字号：大").click()
    large = float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert large > medium
    assert page.get_by_role("button", name="字号：大").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="字号：中").get_attribute("aria-pressed") == "false"
    page.get_by_role("button", name="字号：小").click()
    assert float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) < medium
    assert_accessible(page)

    # 上一篇 is the newer item, 下一篇 the older one, as listed in the catalogue.
    assert page.get_by_role("link", name=newer.title).get_attribute("rel") == "prev"
    assert page.get_by_role("link", name=older.title).get_attribute("rel") == "next"

    # Phones: the title before the header table, which is folded.
    title_box = page.locator("#article-title").bounding_box()
    table_box = page.locator(".meta-details").bounding_box()
    details_open = page.locator(".meta-details").evaluate("e => e.open")
    if width == "phone":
        assert title_box["y"] < table_box["y"]
        assert details_open is False
        page.locator(".meta-details > summary").click()
        assert page.locator(".meta-table").is_visible()
    else:
        assert table_box["y"] < title_box["y"]
        assert details_open is True

    # 打印 calls the browser's print; the print layout keeps the document and drops the rest.
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("#article-title").is_visible()
    assert page.locator(".meta-table").is_visible()
    assert page.locator(".print-url").is_visible()
    for hidden in (".site-header", ".site-footer", ".article-tools", ".prev-next"):
        assert not page.locator(hidden).is_visible(), hidden
    page.emulate_media(media="screen")

    # Following 下一篇 opens the older item, whose 上一篇 leads back.
    page.get_by_role("link", name=older.title).click()
    page.wait_for_url("**" + older.get_absolute_url())
    assert page.get_by_role("link", name=seed.title).get_attribute("rel") == "prev"
    assert "没有了" in page.locator(".prev-next .next").inner_text()


def test_footer_shows_the_particulars_administrators_entered(page, live_server, catalogue):
    from sitesettings.models import SiteSettings

    SiteSettings.objects.create(
        site_code="3204000012", icp_number="苏ICP备05000000号", contact_phone="0519-85680000"
    )
    page.goto(live_server.url + "/")
    footer = page.locator(".site-footer").inner_text()
    assert "网站标识码：3204000012" in footer
    assert "苏ICP备05000000号" in footer
    assert "0519-85680000" in footer
    assert_accessible(page)
