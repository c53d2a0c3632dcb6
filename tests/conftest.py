"""Personas that match the office's roles (tests/personas.py), built for each test that asks
for them, and the fixtures shared by the apps' tests."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.utils import translation

from tests.personas import build_persona


def pytest_runtest_setup(item):
    """The one guard for tests that need a given database: CI runs the whole suite on SQLite
    and on PostgreSQL, so each such test runs in one of the two runs."""
    from django.db import connection

    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks, threads on a server database, pg_trgm)")
    if item.get_closest_marker("sqlite_only") and connection.vendor != "sqlite":
        pytest.skip("the embedded SQLite database's variant")


@pytest.fixture(autouse=True)
def _primary_language():
    """Every test starts in Chinese. A request in English leaves English active in the
    thread (LocaleMiddleware activates but never deactivates), which would leak into the
    next test's messages."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts without what an earlier one left in this process's memory: the
    footer settings and a page's neighbours (kept a few seconds per process), buffered view
    counts and the local copy of cached pages (row ids are reused after a rollback)."""
    from disclosure import viewcounts
    from publicsite import cache as page_cache
    from publicsite.catalogue_neighbours import forget_neighbours
    from sitesettings.models import forget_settings

    forget_settings()
    forget_neighbours()
    viewcounts.forget_local_state()
    page_cache.clear_local()
    yield
    viewcounts.forget_local_state()
    page_cache.clear_local()


@pytest.fixture
def administrator(administrator_user) -> User:
    """管理员 (the same persona as `administrator_user`)."""
    return administrator_user


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def local_admin(settings):
    """The admin as reached in a local run: plain HTTP, static files without a manifest
    (tests run without `collectstatic`)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- Public disclosure site: the seed report's disclosure, an open notice, and
# the reviewer who moderates comments on it.

SEED_INDEX_NUMBER = "014109568/2022-00012"
SEED_TITLE = "常州市人民政府外事办公室2021年度法治政府建设情况报告"


@pytest.fixture
def public_office(db):
    from core.models import Organization

    office, _ = Organization.objects.get_or_create(
        org_code="014109568",
        defaults={
            "full_name": "常州市人民政府外事办公室",
            "short_name": "市外事办",
            "hotline": "85683342",
        },
    )
    return office


@pytest.fixture
def seed_disclosure(public_office):
    """The seed page's header, field for field; the body is the seed report's text."""
    import datetime
    from pathlib import Path

    from disclosure.models import DisclosureItem

    seed_text = Path(__file__).resolve().parent.parent / "demo" / "seed_2021_report.txt"
    body = (
        seed_text.read_text(encoding="utf-8") if seed_text.exists() else "2021年,在办党组的领导下"
    )
    item = DisclosureItem(
        organization=public_office,
        title=SEED_TITLE,
        index_number=SEED_INDEX_NUMBER,
        category=DisclosureItem.Category.OTHER,
        method=DisclosureItem.Method.PROACTIVE,
        document_number="",
        publisher="市外事办",
        generated_on=datetime.date(2022, 3, 21),
        published_on=datetime.date(2022, 3, 22),
        status="published",
        summary=SEED_TITLE,
        body=body,
    )
    item.full_clean()
    item.save()
    return item


@pytest.fixture
def open_notice(db):
    """The 18th batch of honorary-citizen nominees, open for comment today (names invented)."""
    import datetime

    from django.utils import timezone

    from supervision.models import HonoraryCitizenNotice, Nominee

    today = timezone.localdate()
    notice = HonoraryCitizenNotice.objects.create(
        batch=18,
        title="关于拟授予第十八批“常州市荣誉市民”称号人员的公示",
        body="对拟授予第十八批“常州市荣誉市民”称号的7名外籍人士进行公示，征求全社会意见。",
        notice_start=today - datetime.timedelta(days=2),
        notice_end=today + datetime.timedelta(days=4),
        contact="市外事办 电话 0519-00000000",
    )
    for order, (name, country) in enumerate(
        [
            ("Max Mustermann", "德国"),
            ("Erika Musterfrau", "德国"),
            ("John Doe", "美国"),
            ("Jane Roe", "英国"),
            ("Taro Yamada", "日本"),
            ("Kim Cheolsu", "韩国"),
            ("Israel Israeli", "以色列"),
        ],
        start=1,
    ):
        Nominee.objects.create(
            notice=notice,
            name=name,
            nationality=country,
            employer="常州某外资企业",
            years_in_city=5,
            contribution="长期在常工作，促进对外交流合作。",
            order=order,
        )
    # Public only once published after its secrecy review (《政府信息公开条例》第十七条).
    from tests.publication_gate import publish_notice

    return publish_notice(notice)


@pytest.fixture
def comment_reviewer(reviewer_user) -> User:
    """审核人, who moderates citizens' comments (the `reviewer_user` persona)."""
    return reviewer_user


@pytest.fixture
def entry_clerk(data_entry_user) -> User:
    """录入员, who reads the comment queue but does not decide (the `data_entry_user`)."""
    return data_entry_user


@pytest.fixture
def public_site(settings, db):
    """The public pages as a citizen reaches them over plain HTTP in tests, with an empty cache
    (the comment rate limit counts per address, and every test client is 127.0.0.1)."""
    from django.core.cache import cache

    settings.SECURE_SSL_REDIRECT = False
    # Tests run without `collectstatic`, so no hashed-name manifest exists.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


# --- The office's roles: one persona each, built through the real role sync -------------------
# anonymous citizen: the test client as it comes; every staff persona below is active staff.


@pytest.fixture
def make_role_user(db):
    """A staff user in the named role group (None: staff with no role); see tests/personas.py."""
    return build_persona


@pytest.fixture
def staff_without_role(make_role_user) -> User:
    """An active staff account that holds no role (a new colleague, a leaver's account)."""
    return make_role_user(None)


@pytest.fixture
def data_entry_user(make_role_user) -> User:
    """录入员: keeps the records, imports, drafts and submits; never approves or publishes."""
    return make_role_user("录入员")


@pytest.fixture
def reviewer_user(make_role_user) -> User:
    """审核人: reviews, approves, publishes and moderates."""
    return make_role_user("审核人")


@pytest.fixture
def leadership_user(make_role_user) -> User:
    """领导: reads the dashboard and the records; changes nothing."""
    return make_role_user("领导")


@pytest.fixture
def administrator_user(make_role_user) -> User:
    """管理员: every permission, accounts included."""
    return make_role_user("管理员")


@pytest.fixture
def fast_password_hashing(settings):
    """Sign-in tests check many passwords; a fast hasher keeps them quick. Use it only where
    the hashing algorithm itself is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
