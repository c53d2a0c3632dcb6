"""The message catalogues: Chinese complete, English complete, both faithful to the msgids'
placeholders and markup; pages follow the visitor's language; dates are YYYY-MM-DD in both."""

import datetime
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import formats, translation

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = {
    "zh_Hans": LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po",
    "en": LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po",
}
# printf-style conversions (named or positional) and str.format fields such as {}, {key}.
PERCENT = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
)
BRACES = re.compile(r"\{\w*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _entries(language):
    return [entry for entry in polib.pofile(str(CATALOGUES[language])) if not entry.obsolete]


def _translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _placeholders(text, entry):
    """Named fields may move or repeat in a translation; positional ones keep their order."""
    fields = BRACES.findall(text)
    if "python-format" in entry.flags:
        fields += PERCENT.findall(text)
    named = frozenset(f for f in fields if f.startswith("%(") or (f.startswith("{") and f != "{}"))
    positional = tuple(f for f in fields if f not in named)
    return named, positional


def _describe(entry):
    return f"{entry.msgid!r} ({', '.join(f for f, _ in entry.occurrences[:2])})"


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_has_no_empty_or_fuzzy_entry(language):
    po = polib.pofile(str(CATALOGUES[language]))
    assert not po.metadata_is_fuzzy
    entries = _entries(language)
    assert len(entries) > 500
    empty = [_describe(e) for e in entries if any(t == "" for t in _translations(e))]
    fuzzy = [_describe(e) for e in entries if e.fuzzy]
    assert empty == [], f"{len(empty)} untranslated in {language}: run `make messages`"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}"


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_translation_keeps_the_placeholders_and_markup_of_its_msgid(language):
    broken = []
    for entry in _entries(language):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for text in _translations(entry):
            wanted = [(_placeholders(s, entry), Counter(TAG.findall(s))) for s in sources]
            if (_placeholders(text, entry), Counter(TAG.findall(text))) not in wanted:
                broken.append(f"{_describe(entry)} -> {text!r}")
    assert broken == []


def test_the_chinese_catalogue_is_the_source_text():
    han = re.compile(r"[\u3400-\u9fff]")
    for entry in _entries("zh_Hans"):
        if han.search(entry.msgid):
            expected = entry.msgid_plural or entry.msgid
            assert _translations(entry) == [expected] * len(_translations(entry)), _describe(entry)


def test_the_english_catalogue_translates_the_interface_and_leaves_the_report_chinese():
    han = re.compile(r"[\u3400-\u9fff]")
    still_chinese = [e for e in _entries("en") if any(han.search(t) for t in _translations(e))]
    for entry in still_chinese:
        # Only the annual report's own wording (a Chinese official document) stays Chinese,
        # and each such entry says so; examples such as “e.g. 0209” may quote Chinese.
        if all(t == entry.msgid for t in _translations(entry)):
            assert "kept in Chinese" in entry.tcomment, _describe(entry)
    english = {e.msgid: e.msgstr for e in _entries("en")}
    assert english["政务公开"] == "Government information disclosure"
    assert english["行风监督员"] == "Integrity supervisor"
    assert english["人大代表建议"] == "NPC deputy suggestion"


@pytest.fixture
def admin_login_url(local_admin):
    return "/admin/login/"


@pytest.mark.usefixtures("public_site")
def test_home_page_is_chinese_by_default_and_english_with_the_language_cookie(client, db):
    chinese = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in chinese
    assert "跳到主要内容" in chinese and "最新政务公开" in chinese

    client.cookies["django_language"] = "en"
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Skip to main content" in english
    assert "Latest government information" in english
    assert "跳到主要内容" not in english and "最新政务公开" not in english


@pytest.mark.django_db
def test_admin_login_is_chinese_whatever_the_browser_says_until_english_is_chosen(
    client, admin_login_url
):
    # Chinese is the primary language: an English browser still gets Chinese pages.
    chinese = client.get(admin_login_url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "常州市人民政府外事办公室 法治政府建设管理平台" in chinese
    assert "用户名" in chinese and "动态口令" in chinese

    client.cookies["django_language"] = "en"
    english = client.get(admin_login_url).content.decode()
    assert "Foreign Affairs Office of Changzhou Municipal People&#x27;s Government" in english
    assert "Username" in english and "One-time code" in english
    assert "动态口令" not in english


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_are_yyyy_mm_dd_in_both_languages(language):
    day = datetime.date(2022, 3, 22)
    moment = datetime.datetime(2022, 3, 22, 9, 5)
    template = Template("{{ day }}|{{ day|date }}|{{ moment|date:'DATETIME_FORMAT' }}")
    with translation.override(language):
        assert formats.date_format(day) == "2022-03-22"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2022-03-22"
        rendered = template.render(Context({"day": day, "moment": moment}))
    assert rendered == "2022-03-22|2022-03-22|2022-03-22 09:05"


@pytest.mark.usefixtures("public_site")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_disclosure_page_shows_its_dates_as_yyyy_mm_dd(client, seed_disclosure, language):
    client.cookies["django_language"] = language
    html = client.get("/disclosure/014109568-2022-00012/").content.decode()
    assert "2022-03-21" in html and "2022-03-22" in html
    assert "March" not in html and "2022年3月" not in html
