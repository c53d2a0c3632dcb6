"""Interface language (Chinese first, English second) and the 适老化 basics of every page."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.usefixtures("public_site")

PUBLIC_URLS = [
    "/",
    "/language/",
    "/disclosure/",
    "/disclosure/014109568-2022-00012/",
    "/notices/",
    "/notices/18/",
    "/notices/18/received/",
    "/reports/",
]


def switch_to_english(client, next_url="/"):
    return client.post("/i18n/setlang/", {"language": "en", "next": next_url})


def test_pages_are_chinese_by_default(client, seed_disclosure):
    html = client.get("/disclosure/014109568-2022-00012/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "索 引 号:" in html and "跳到主要内容" in html


def test_english_switch_translates_the_interface_but_not_the_documents(client, seed_disclosure):
    response = switch_to_english(client, "/disclosure/014109568-2022-00012/")
    assert response.status_code == 302
    assert response["Location"] == "/disclosure/014109568-2022-00012/"
    html = client.get("/disclosure/014109568-2022-00012/").content.decode()
    assert '<html lang="en">' in html
    for english in ("Index No.:", "Published:", "In force", "Skip to main content", "Views: "):
        assert english in html
    assert "Scan to open this page on your phone" in html
    # The document itself is published in Chinese only.
    assert seed_disclosure.title in html and "索 引 号:" not in html


def test_english_error_messages_on_the_comment_form(client, open_notice):
    switch_to_english(client)
    html = client.post("/notices/18/", {"content": ""}).content.decode()
    assert "Please enter your comment." in html


def test_language_page_switches_through_set_language_with_a_csrf_token(seed_disclosure):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get("/language/", {"next": "/disclosure/014109568-2022-00012/"})
    html = page.content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" value="/disclosure/014109568-2022-00012/"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = strict.post(
        "/i18n/setlang/",
        {
            "csrfmiddlewaretoken": token,
            "language": "en",
            "next": "/disclosure/014109568-2022-00012/",
        },
    )
    assert response.status_code == 302
    assert '<html lang="en">' in strict.get("/disclosure/014109568-2022-00012/").content.decode()


def test_language_switch_without_the_token_is_refused(seed_disclosure):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert '<html lang="zh-CN">' in strict.get("/").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_language_page_never_sends_readers_to_another_site(client, db, next_url):
    html = client.get("/language/", {"next": next_url}).content.decode()
    assert 'name="next" value="/"' in html
    assert "evil.example" not in html


def test_header_switches_language_in_one_click_back_to_the_current_address(client, seed_disclosure):
    html = client.get("/disclosure/?q=%E8%8D%A3&page=1").content.decode()
    assert 'action="/language/switch/"' in html
    assert 'name="next" value="/disclosure/?q=%E8%8D%A3&amp;page=1"' in html
    response = client.post(
        "/language/switch/", {"language": "en", "next": "/disclosure/?q=%E8%8D%A3&page=1"}
    )
    assert response["Location"] == "/disclosure/?q=%E8%8D%A3&page=1"
    assert '<html lang="en">' in client.get(response["Location"]).content.decode()


def test_switching_back_to_chinese(client, seed_disclosure):
    switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-CN">' in client.get("/").content.decode()


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_page_has_skip_link_landmarks_language_and_reading_aids(
    client, seed_disclosure, open_notice, url
):
    html = client.get(url).content.decode()
    assert re.search(r'<html lang="zh-CN">', html)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'data-a11y-toggle="text-large"' in html and 'data-a11y-toggle="contrast-high"' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    # No zoom lock: older readers must be able to pinch-zoom.
    assert "user-scalable=no" not in html and "maximum-scale" not in html


def test_every_form_field_on_the_comment_form_has_a_label(client, open_notice):
    html = client.get("/notices/18/").content.decode()
    form = html[html.index('class="comment-form"') :]
    for field_id in re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', form):
        assert f'for="{field_id}"' in form, field_id


def test_reading_aids_need_no_pop_up_and_scale_the_text():
    script = Path(finders.find("js/site.js")).read_text(encoding="utf-8")
    for pop_up in ("alert(", "confirm(", "prompt(", "window.open"):
        assert pop_up not in script
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert "html.text-large { font-size: 125%; }" in css
    assert "html.contrast-high {" in css
