"""The public disclosure pages: home, catalogue, detail in the seed page's format, feed."""

import datetime
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
import segno
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from disclosure.models import DisclosureAttachment, DisclosureItem
from tests.conftest import SEED_INDEX_NUMBER, SEED_TITLE

pytestmark = pytest.mark.usefixtures("public_site")

SEED_URL = "/disclosure/014109568-2022-00012/"
# The header of the seed page (/work/shared/seed/000_6d9a4804e8d7174b.txt), field by field.
SEED_HEADER = [
    ("信息名称:", "常州市人民政府外事办公室2021年度法治政府建设情况报告"),
    ("索 引 号:", "014109568/2022-00012"),
    ("法定主动公开分类:", "其他"),
    ("公开方式:", "主动公开"),
    ("文件编号:", ""),
    ("发布机构:", "市外事办"),
    ("生成日期:", "2022-03-21"),
    ("公开日期:", "2022-03-22"),
    ("废止日期:", "有效"),
    ("内容概述:", "常州市人民政府外事办公室2021年度法治政府建设情况报告"),
]


class MetaTableParser(HTMLParser):
    """Collects (label, value) pairs from the metadata table's th/td cells."""

    def __init__(self):
        super().__init__()
        self.in_table = False
        self.cell = None
        self.cells: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "meta-table" in dict(attrs).get("class", ""):
            self.in_table = True
        elif self.in_table and tag in ("th", "td"):
            self.cell = [tag, ""]

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif self.in_table and tag in ("th", "td") and self.cell:
            self.cells.append((self.cell[0], self.cell[1].strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data

    def pairs(self) -> list[tuple[str, str]]:
        out = []
        for (kind, text), (next_kind, value) in zip(self.cells, self.cells[1:], strict=False):
            if kind == "th" and next_kind == "td":
                out.append((text, value))
        return out


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "", html)
    text = text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def make_item(office, serial: int, **fields) -> DisclosureItem:
    defaults = {
        "organization": office,
        "title": f"测试公开信息{serial}",
        "index_number": f"014109568/2023-{serial:05d}",
        "category": DisclosureItem.Category.OTHER,
        "publisher": "市外事办",
        "generated_on": datetime.date(2023, 1, 1),
        "published_on": datetime.date(2023, 1, 2),
        "summary": f"测试公开信息{serial}",
    }
    defaults.update(fields)
    defaults.setdefault("status", "published" if defaults["published_on"] else "draft")
    item = DisclosureItem(**defaults)
    item.full_clean()
    item.save()
    return item


# --- detail page --------------------------------------------------------------------------


def test_seed_disclosure_page_shows_every_header_field_as_the_seed_page(client, seed_disclosure):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    parser = MetaTableParser()
    parser.feed(response.content.decode())
    assert parser.pairs() == SEED_HEADER


def test_detail_page_has_the_seed_breadcrumb_title_body_and_qr_caption(client, seed_disclosure):
    text = visible_text(client.get(SEED_URL).content.decode())
    assert "您当前的位置：首页 >> 政务公开 >> 正文" in text
    assert "浏览次数:1" in text
    assert SEED_TITLE in text
    assert "2021年,在办党组的领导下" in text
    assert "扫一扫在手机打开当前页" in text


def test_repealed_disclosure_shows_its_repeal_date_instead_of_valid(client, public_office):
    make_item(public_office, 7, repealed_on=datetime.date(2024, 5, 6))
    parser = MetaTableParser()
    parser.feed(client.get("/disclosure/014109568-2023-00007/").content.decode())
    assert ("废止日期:", "2024-05-06") in parser.pairs()


def test_qr_code_is_inline_svg_encoding_the_pages_own_absolute_address(client, seed_disclosure):
    html = client.get(SEED_URL).content.decode()
    svg = re.search(r"<svg[^>]*class=\"qr-code\".*?</svg>", html, flags=re.S).group(0)
    assert 'role="img"' in svg
    # Rebuild the code for the expected address with the library and compare the modules.
    expected = segno.make("http://testserver" + SEED_URL, error="m").svg_inline(
        scale=3, border=2, lineclass=None
    )
    path = re.search(r' d="([^"]+)"', svg).group(1)
    assert path == re.search(r' d="([^"]+)"', expected).group(1)


def test_each_view_adds_exactly_one_to_the_view_count(client, seed_disclosure):
    for expected in (1, 2, 3):
        text = visible_text(client.get(SEED_URL).content.decode())
        assert f"浏览次数:{expected}" in text
    # Views are buffered (disclosure.viewcounts) and reach the database when flushed.
    from disclosure import viewcounts

    viewcounts.flush()
    seed_disclosure.refresh_from_db()
    assert seed_disclosure.view_count == 3


def test_counting_views_writes_no_history_rows(client, seed_disclosure):
    before = seed_disclosure.history.count()
    client.get(SEED_URL)
    client.get(SEED_URL)
    assert seed_disclosure.history.count() == before


# Threads need a server database: SQLite's in-memory test database is one connection.
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_lose_no_views(public_site, seed_disclosure):
    readers, reads_each = 8, 10
    errors = []

    def read():
        local = Client()
        for _ in range(reads_each):
            if local.get(SEED_URL).status_code != 200:
                errors.append("status")
        from django.db import connections

        connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    from disclosure import viewcounts

    viewcounts.flush()
    seed_disclosure.refresh_from_db()
    assert seed_disclosure.view_count == readers * reads_each


def test_unknown_index_number_answers_the_styled_404(client, seed_disclosure):
    for url in (
        "/disclosure/014109568-2022-99999/",
        "/disclosure/nonsense/",
        "/disclosure/014109568-2022-/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "您访问的页面不存在" in response.content.decode()
        assert 'class="site-header"' in response.content.decode()


def test_unpublished_future_and_withheld_disclosures_are_not_public(client, public_office):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_item(public_office, 1, published_on=None, title="尚未公开的信息")
    make_item(public_office, 2, published_on=tomorrow, generated_on=tomorrow, title="明天公开")
    make_item(public_office, 3, method=DisclosureItem.Method.WITHHELD, title="不予公开的信息")
    for serial in (1, 2, 3):
        assert client.get(f"/disclosure/014109568-2023-{serial:05d}/").status_code == 404
    listing = client.get("/disclosure/").content.decode()
    for title in ("尚未公开的信息", "明天公开", "不予公开的信息"):
        assert title not in listing
    assert DisclosureItem.objects.get(index_number="014109568/2023-00001").view_count == 0


def test_attachment_downloads_with_its_title_and_never_inline(
    client, seed_disclosure, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    attachment = DisclosureAttachment(item=seed_disclosure, title="报告全文")
    attachment.file.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    attachment.save()
    page = client.get(SEED_URL).content.decode()
    url = f"/disclosure/014109568-2022-00012/files/{attachment.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E6%8A%A5%E5%91%8A%E5%85%A8%E6%96%87.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachment_of_another_disclosure_or_a_missing_file_is_404(
    client, seed_disclosure, public_office, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    other = make_item(public_office, 9)
    attachment = DisclosureAttachment(item=other, title="别的附件")
    attachment.file.save("other.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    assert client.get(f"{SEED_URL}files/{attachment.pk}/").status_code == 404
    Path(attachment.file.path).unlink()
    assert client.get(f"/disclosure/014109568-2023-00009/files/{attachment.pk}/").status_code == 404


def test_detail_page_has_print_styles_that_hide_navigation_and_forms(client, seed_disclosure):
    html = client.get(SEED_URL).content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    for selector in (".site-header", ".site-nav", ".comment-form", ".print-url"):
        assert selector in print_rules
    assert 'class="print-url"' in html


# --- home and catalogue -------------------------------------------------------------------


def test_home_shows_latest_disclosures_open_notices_and_the_hotline(
    client, seed_disclosure, open_notice
):
    text = visible_text(client.get("/").content.decode())
    assert SEED_TITLE in text
    assert open_notice.title in text
    assert "85683342" in text


def test_catalogue_lists_newest_first_and_paginates(client, public_office):
    for serial in range(1, 26):
        make_item(
            public_office,
            serial,
            published_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=serial),
        )
    first = client.get("/disclosure/").content.decode()
    assert first.index("测试公开信息25<") < first.index("测试公开信息24<")
    assert "测试公开信息5<" not in first
    assert "第 1 / 2 页" in first
    second = client.get("/disclosure/?page=2").content.decode()
    assert "测试公开信息5<" in second and "测试公开信息1<" in second
    assert "测试公开信息25<" not in second


def test_catalogue_filters_by_year_and_category(client, public_office, seed_disclosure):
    make_item(public_office, 1, title="二〇二三年的通知", category="notices")
    make_item(public_office, 2, title="二〇二三年的规划", category="plans")
    by_year = client.get("/disclosure/?year=2022").content.decode()
    assert SEED_TITLE in by_year and "二〇二三年的通知" not in by_year
    by_category = client.get("/disclosure/?year=2023&category=notices").content.decode()
    assert "二〇二三年的通知" in by_category and "二〇二三年的规划" not in by_category
    assert '<option value="2023" selected>' in by_category


def test_pagination_links_keep_the_filters(client, public_office):
    for serial in range(1, 23):
        make_item(public_office, serial, category="notices")
    page = client.get("/disclosure/?category=notices&q=测试").content.decode()
    assert "?category=notices&amp;q=%E6%B5%8B%E8%AF%95&amp;page=2" in page


def test_chinese_search_finds_the_notice_and_the_proposal_about_honorary_citizens(
    client, public_office, seed_disclosure, open_notice
):
    make_item(
        public_office,
        1,
        title="关于拟授予第十八批“常州市荣誉市民”称号人员的公示",
        category="notices",
    )
    make_item(
        public_office,
        2,
        title="对市政协十四届五次会议第0209号提案的答复",
        summary="关于加大“荣誉市民”评选力度,助推“五大明星城”建设的建议",
        category="proposals",
    )
    make_item(public_office, 3, title="2023年预算公开", category="budget")
    response = client.get("/disclosure/", {"q": "荣誉市民"})
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "关于拟授予第十八批“常州市荣誉市民”称号人员的公示" in text
    assert "第0209号提案的答复" in text
    # The seed report mentions 荣誉市民 in its body, so it is found too.
    assert SEED_TITLE in text
    assert "2023年预算公开" not in text
    # The notice itself (with its comment form) is offered next to the results.
    assert f'href="/notices/{open_notice.batch}/"' in response.content.decode()


def test_search_by_index_number_finds_the_item(client, seed_disclosure):
    text = visible_text(client.get("/disclosure/", {"q": SEED_INDEX_NUMBER}).content.decode())
    assert "共找到 1 条信息" in text


# --- feed ---------------------------------------------------------------------------------


def test_atom_feed_lists_public_disclosures_only(client, seed_disclosure, public_office):
    make_item(public_office, 1, method=DisclosureItem.Method.WITHHELD, title="不予公开的信息")
    response = client.get("/disclosure/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body
    assert SEED_TITLE in body
    assert "http://testserver/disclosure/014109568-2022-00012/" in body
    assert "不予公开的信息" not in body
    assert "2022-03-22T00:00:00+08:00" in body


def test_attachment_altered_after_publication_is_not_served(
    client, seed_disclosure, settings, tmp_path
):
    import hashlib

    settings.MEDIA_ROOT = tmp_path
    attachment = DisclosureAttachment(
        item=seed_disclosure, title="报告全文.pdf", sha256=hashlib.sha256(b"original").hexdigest()
    )
    attachment.file.save("report.pdf", ContentFile(b"original"), save=False)
    attachment.save()
    url = f"/disclosure/014109568-2022-00012/files/{attachment.pk}/"
    assert client.get(url).status_code == 200
    Path(attachment.file.path).write_bytes(b"altered")
    assert client.get(url).status_code == 404


# --- the rendered-page cache behind the detail page --------------------------------------


def test_an_edited_disclosure_shows_its_new_text_on_the_next_view(client, seed_disclosure):
    assert SEED_TITLE in client.get(SEED_URL).content.decode()
    seed_disclosure.refresh_from_db()
    seed_disclosure.summary = "更新后的内容概述"
    seed_disclosure.repealed_on = datetime.date(2023, 1, 1)
    seed_disclosure.save()
    parser = MetaTableParser()
    parser.feed(client.get(SEED_URL).content.decode())
    pairs = dict(parser.pairs())
    assert pairs["内容概述:"] == "更新后的内容概述"
    assert pairs["废止日期:"] == "2023-01-01"


def test_an_added_attachment_appears_on_the_next_view(client, seed_disclosure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert "附件" not in visible_text(client.get(SEED_URL).content.decode())
    attachment = DisclosureAttachment(item=seed_disclosure, title="新增附件")
    attachment.file.save("new.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    assert "新增附件" in client.get(SEED_URL).content.decode()


def test_detail_page_carries_no_csrf_token_or_cookie(client, seed_disclosure):
    # The language switch is a token-free form (it only sets the visitor's own language
    # cookie), so a reader of a disclosure gets no token.
    for _ in range(2):  # the second answer comes from the rendered-page cache
        response = client.get(SEED_URL)
    page = response.content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert "csrftoken" not in response.cookies
    assert 'action="/language/switch/"' in page
    assert 'name="next" value="/disclosure/014109568-2022-00012/"' in page


def test_language_switch_is_one_click_and_returns_to_the_page(client, seed_disclosure):
    response = client.post("/language/switch/", {"language": "en", "next": SEED_URL})
    assert response.status_code == 302
    assert response["Location"] == SEED_URL
    assert response.cookies["django_language"].value == "en"
    assert 'lang="zh-CN">中文</button>' in client.get(SEED_URL).content.decode()
    # Another site as the return address is refused; an unknown language is ignored.
    response = client.post("/language/switch/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_head_request_answers_without_counting_a_view(client, seed_disclosure):
    assert client.head(SEED_URL).status_code == 200
    seed_disclosure.refresh_from_db()
    assert seed_disclosure.view_count == 0


def test_demo_data_gives_the_seed_page_exactly(client, db):
    from demo.loader import load_demo

    load_demo()
    parser = MetaTableParser()
    parser.feed(client.get(SEED_URL).content.decode())
    assert parser.pairs() == SEED_HEADER
