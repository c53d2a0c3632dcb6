"""Malformed and hostile input on the public pages: a normal page or a 400, never a 500."""

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

from disclosure.models import DisclosureItem

pytestmark = pytest.mark.usefixtures("public_site")

HOSTILE_QUERIES = [
    "page=abc",
    "page=-1",
    "page=1.5",
    "page=99999999999999999999999999",
    "year=9999999999",
    "year=abc",
    "year=-2022",
    "year=2022%00",
    "category=nonsense",
    "category=%3Cscript%3E",
    "q=" + "荣" * 5000,
    "q=%00",
    "q=%ED%A0%80",  # a lone surrogate, invalid UTF-8
    "q=%FF%FE",
    "q=%E2%80%AE%E2%80%8Bevil%F0%9F%98%80",  # RTL override, zero width, emoji
    "q=%27%3B+DROP+TABLE+supervision_disclosureitem%3B--",
    "q=%25%25%25_%5C",  # LIKE wildcards and a backslash
    "q=a&q=b&year=2022&year=2023",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_catalogue_answers_hostile_queries_with_a_page_or_a_400(client, seed_disclosure, query):
    response = client.get("/disclosure/?" + query)
    assert response.status_code in (200, 400)
    assert 'class="site-header"' in response.content.decode()
    assert DisclosureItem.objects.filter(pk=seed_disclosure.pk).exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=9999999999", "年份应为四位数字，如 2022。"),
        ("year=abc", "年份应为四位数字，如 2022。"),
        ("q=" + "荣" * 101, "关键词不能超过 100 个字。"),
        ("q=%00", "关键词含有无效字符。"),
        ("category=nonsense", "没有这个公开分类。"),
    ],
)
def test_invalid_catalogue_filters_explain_themselves_in_chinese(
    client, seed_disclosure, query, message
):
    response = client.get("/disclosure/?" + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_page_beyond_the_end_or_not_a_number_shows_a_real_page(client, seed_disclosure):
    for page in ("abc", "99999"):
        response = client.get("/disclosure/", {"page": page})
        assert response.status_code == 200
        assert seed_disclosure.title in response.content.decode()


def test_search_treats_like_wildcards_literally(client, seed_disclosure):
    html = client.get("/disclosure/", {"q": "%"}).content.decode()
    assert "共找到 0 条信息" in html


@pytest.mark.parametrize(
    "url",
    [
        "/?q=%00&page=abc",
        "/notices/?page=abc",
        "/notices/18/?page=%00",
        "/disclosure/feed/?page=abc",
        "/reports/?year=9999999999",
        "/disclosure/014109568-2022-00012/?q=%ED%A0%80",
        "/disclosure/%E2%80%AE/",
        "/disclosure/" + "9" * 300 + "/",
        "/disclosure/a-b-c-d-e-f/",
    ],
)
def test_other_public_pages_never_answer_500(client, seed_disclosure, open_notice, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_styled_400_page_for_a_request_django_refuses(client, settings, open_notice):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post("/notices/18/", {f"f{n}": "x" for n in range(10)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误，无法处理" in html and 'class="site-header"' in html


def test_styled_500_page_renders_on_its_own():
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in html
    assert 'href="/static/css/site.css"' in html


def test_post_to_a_read_only_public_page_is_refused_not_a_crash(seed_disclosure):
    client = Client()
    assert client.post("/disclosure/014109568-2022-00012/").status_code == 405
    assert client.post("/disclosure/").status_code == 405
