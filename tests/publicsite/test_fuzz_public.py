"""Property-based bad input on every public page: whatever a visitor sends in a query string,
a path segment or a form, the answer is a page, a redirect or a 4xx, never a 500.

The public URLs are discovered from the URLconf (the `supervision` namespace, the language
switch, the health check); a public URL without a test here fails
`test_every_public_url_is_fuzzed`. Each test runs 1,000 cases (hypothesis). The database is
set up once for the module inside a transaction that is rolled back at its end.
"""

import datetime
import io
import itertools
import os
from urllib.parse import quote, quote_from_bytes

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.publication_gate import publish_notice

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

CASES = settings(
    # FUZZ_EXAMPLES=50 gives a quick local run; the suite (and CI) runs 1,000.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZED = {
    "publicsite:home",
    "publicsite:disclosure_list",
    "publicsite:disclosure_feed",
    "publicsite:disclosure_detail",
    "publicsite:attachment_download",
    "publicsite:notice_list",
    "publicsite:notice_detail",
    "publicsite:notice_received",
    "publicsite:report_list",
    "publicsite:report_detail",
    "publicsite:report_pdf",
    "publicsite:language",
    "set_language",
    "ops:healthz",
    "ops:media",
}
OPEN_BATCH = 77

# --- strategies ------------------------------------------------------------------------

NASTY = [
    "",
    "0",
    "-1",
    "1.5",
    "1e9",
    "9" * 30,
    "２０２２",  # full-width digits
    "NaN",
    "null",
    "\x00",
    "%00",
    "'; DROP TABLE auth_user; --",
    "%%%_\\",
    "<script>alert(1)</script>",
    "\u202e\u200b",
    "荣" * 101,
    "../../etc/passwd",
    "014109568/2022-00012",
]


def encoded(value: str | bytes) -> str:
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    return quote(value, safe="")


# A query value: Unicode text, raw bytes (often invalid UTF-8), numbers, or known trouble.
values = st.one_of(
    st.text(max_size=120),
    st.binary(max_size=60),
    st.integers().map(str),
    st.sampled_from(NASTY),
)


def query(params: dict[str, object]) -> str:
    parts = []
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f"{encoded(key)}={encoded(item)}")
    return "&".join(parts)


def params_for(*names: str):
    """Each named parameter absent, once or repeated; sometimes an unknown extra one."""
    one = st.one_of(st.none(), values, st.lists(values, min_size=2, max_size=3))
    return st.fixed_dictionaries(
        {name: one for name in names},
        optional={"extra": st.tuples(st.text(max_size=10), values)},
    ).map(
        lambda d: {
            **{k: v for k, v in d.items() if k != "extra" and v is not None},
            **({d["extra"][0]: d["extra"][1]} if "extra" in d else {}),
        }
    )


slugs = st.one_of(
    st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    st.from_regex(r"[0-9]{9}-[0-9]{4}-[0-9]{1,6}", fullmatch=True),
    st.sampled_from(["014109568-2022-00012", "014109568-2022-", "--", "-", "a-b-c-d"]),
    st.text(min_size=1, max_size=40).map(encoded),  # not a slug: the resolver answers 404
)
numbers = st.one_of(
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=10**40),
    st.sampled_from([0, 2021, 2022, OPEN_BATCH, 2**31, 2**63, 2**64]),
)


# --- the module's data -------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Demo data, the seed disclosure with an attachment, an open notice and the published
    2021 report, built once."""
    media = tmp_path_factory.mktemp("fuzz-media")
    local = override_settings(
        MEDIA_ROOT=media,
        FAO_PRIVATE_ROOT=tmp_path_factory.mktemp("fuzz-private"),
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with django_db_blocker.unblock(), local, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        notice = _open_notice()
        report = _published_report()
        attachment = _attachment()
        yield {"notice": notice, "report": report, "attachment": attachment}
        transaction.set_rollback(True)


def _open_notice():
    from supervision.models import HonoraryCitizenNotice, Nominee

    today = timezone.localdate()
    notice = HonoraryCitizenNotice.objects.create(
        batch=OPEN_BATCH,
        title="关于拟授予第七十七批“常州市荣誉市民”称号人员的公示",
        body="公示期内，任何单位和个人均可提出意见。",
        notice_start=today - datetime.timedelta(days=1),
        notice_end=today + datetime.timedelta(days=5),
        contact="市外事办",
    )
    Nominee.objects.create(
        notice=notice,
        name="Max Mustermann",
        nationality="德国",
        employer="常州某外资企业",
        years_in_city=5,
        contribution="促进对外交流合作。",
        order=1,
    )
    return publish_notice(notice)  # public only after its secrecy review


def _published_report():
    """The demo holds the 2021 report as published."""
    from lawbuilding.models import AnnualReport

    return AnnualReport.objects.get(year=2021, status=AnnualReport.Status.PUBLISHED)


def _attachment():
    from disclosure.models import DisclosureAttachment, DisclosureItem
    from tests import admin_factories

    item = DisclosureItem.objects.filter(published_on__isnull=False).order_by("pk").first()
    attachment = admin_factories.make(DisclosureAttachment, 902)
    attachment.item = item
    attachment.save()
    return attachment


@pytest.fixture
def site(world, settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return world


def assert_no_server_error(response, what: str) -> None:
    # The test client re-raises a view's exception, so a crash fails before this line.
    assert response.status_code < 500, (what, response.status_code)


# --- discovery ---------------------------------------------------------------------------


def public_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry, inner)
            elif entry.name:
                names.add(":".join(filter(None, [namespace, entry.name])))

    walk(get_resolver(), "")
    return {n for n in names if n.startswith("supervision:") or n in FUZZED}


def test_every_public_url_is_fuzzed():
    assert public_url_names() - FUZZED == set()


# --- query parameters --------------------------------------------------------------------


@CASES
@given(params=params_for("q", "year", "category", "page"))
def test_catalogue_filters_never_cause_a_server_error(site, client, params):
    url = "/disclosure/?" + query(params)
    response = client.get(url)
    assert_no_server_error(response, url)
    assert response.status_code in (200, 400)


@CASES
@given(
    page=st.sampled_from(
        ["/", "/notices/", "/reports/", "/disclosure/feed/", "/healthz", "/language/"]
    ),
    params=params_for("page", "q", "lang", "next"),
)
def test_pages_without_parameters_ignore_any_query_string(site, client, page, params):
    url = page + "?" + query(params)
    assert_no_server_error(client.get(url), url)


# --- path segments -----------------------------------------------------------------------


@CASES
@given(slug=slugs, pk=numbers)
def test_disclosure_and_attachment_addresses_never_cause_a_server_error(site, client, slug, pk):
    for url in (f"/disclosure/{slug}/", f"/disclosure/{slug}/files/{pk}/"):
        response = client.get(url)
        assert_no_server_error(response, url)
        assert response.status_code in (200, 404, 301), url


@CASES
@given(batch=numbers)
def test_notice_addresses_never_cause_a_server_error(site, client, batch):
    for url in (f"/notices/{batch}/", f"/notices/{batch}/received/"):
        response = client.get(url)
        assert_no_server_error(response, url)
        assert response.status_code in (200, 404), url


@CASES
@given(year=numbers)
def test_report_addresses_never_cause_a_server_error(site, client, year):
    for url in (f"/reports/{year}/", f"/reports/{year}/pdf/"):
        response = client.get(url)
        assert_no_server_error(response, url)
        assert response.status_code in (200, 404), url


@CASES
@given(name=st.one_of(st.text(min_size=1, max_size=60).map(encoded), slugs))
def test_media_addresses_never_cause_a_server_error(site, client, name):
    url = f"/media/{name}"
    response = client.get(url)
    assert_no_server_error(response, url)
    assert response.status_code in (200, 301, 400, 403, 404), url


# --- forms -------------------------------------------------------------------------------

addresses = itertools.count(1)


def form_body(fields: dict[str, object]) -> bytes:
    return query(fields).encode("ascii")


@CASES
@given(
    fields=params_for("content", "name", "contact", "nominee", "website"),
    content=st.one_of(st.none(), st.text(min_size=1, max_size=2100)),
)
def test_notice_comment_form_never_causes_a_server_error(site, client, fields, content):
    from supervision.models import NoticeComment

    if content is not None:
        fields = {**fields, "content": content}
    before = NoticeComment.objects.count()
    # A fresh sender each time, so the flood limit does not hide the form's own checks.
    address = next(addresses)
    response = client.post(
        f"/notices/{OPEN_BATCH}/",
        form_body(fields),
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=f"10.{address // 65536 % 256}.{address // 256 % 256}.{address % 256}",
    )
    assert_no_server_error(response, fields)
    assert response.status_code in (200, 302, 400, 403, 429)
    if response.status_code != 302:
        assert NoticeComment.objects.count() == before  # a refused comment leaves nothing


@CASES
@given(fields=params_for("language", "next"), method=st.sampled_from(["get", "post"]))
def test_language_switch_never_causes_a_server_error(site, client, fields, method):
    if method == "post":
        response = client.post(
            "/i18n/setlang/", form_body(fields), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.get("/i18n/setlang/?" + query(fields))
    assert_no_server_error(response, fields)
    if response.status_code == 302:
        # Never an open redirect to another site.
        location = response["Location"]
        assert not location.startswith(("//", "http:", "https:")) or "testserver" in location
