"""Public pages are served whole from the shared cache, and every kind of change the public
sees (publication, correction, repeal, an accepted comment, a notice closing) empties it at
once for every page showing that change. Runs on SQLite and on PostgreSQL.

Each test first primes the cache, then shows a change made behind the services' back (a
queryset update sends no signal) is not visible, which proves the page comes from the cache;
only then does it make the change through the service and expect every page to show it.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.publiccontent import VERSION_KEY
from disclosure.models import DisclosureItem
from disclosure.services import disclosure_publish_document, disclosure_repeal
from publication.review import record_secrecy_review
from supervision import moderation
from supervision.models import HonoraryCitizenNotice, NoticeComment
from tests.conftest import SEED_INDEX_NUMBER
from tests.publication_files import pdf_bytes
from tests.publication_gate import gate_reviewer, review_report

pytestmark = pytest.mark.usefixtures("public_site")

SEED_URL = "/disclosure/014109568-2022-00012/"
LISTINGS = [
    "/",
    "/disclosure/",
    "/disclosure/?year=2022",
    "/disclosure/?category=other",
    "/disclosure/?q=%E6%B3%95%E6%B2%BB",  # 法治
    "/disclosure/feed/",
]


def text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def prime(client, urls) -> None:
    for url in urls:
        text(client, url)


def retitle_behind_the_cache(index_number: str, title: str) -> None:
    DisclosureItem.objects.filter(index_number=index_number).update(title=title)


def test_a_second_request_is_served_from_the_cache(client, seed_disclosure):
    prime(client, [*LISTINGS, SEED_URL])
    retitle_behind_the_cache(SEED_INDEX_NUMBER, "未经服务修改的标题")
    for url in [*LISTINGS, SEED_URL]:
        assert "未经服务修改的标题" not in text(client, url), url


def test_cached_pages_answer_conditional_requests(client, seed_disclosure):
    first = client.get("/disclosure/")
    second = client.get("/disclosure/")
    assert first["ETag"] == second["ETag"]
    assert "s-maxage=" in second["Cache-Control"] and "public" in second["Cache-Control"]
    assert second["Last-Modified"]
    assert "Cookie" in second["Vary"]
    not_modified = client.get("/disclosure/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get("/disclosure/", HTTP_IF_MODIFIED_SINCE=second["Last-Modified"])
    assert since.status_code == 304
    # The detail page holds a live view count: proxies and browsers ask every time, and get
    # the page whole (a 304 would leave a reload showing the first visit's count).
    detail = client.get(SEED_URL)
    assert detail["Cache-Control"] == "no-cache"
    again = client.get(SEED_URL, HTTP_IF_NONE_MATCH=detail["ETag"])
    assert again.status_code == 200 and again.content != detail.content


def test_languages_are_cached_apart(client, seed_disclosure):
    chinese = text(client, "/disclosure/")
    client.cookies["django_language"] = "en"
    english = text(client, "/disclosure/")
    assert chinese != english
    assert 'lang="en"' in english or "Home" in english
    del client.cookies["django_language"]
    assert text(client, "/disclosure/") == chinese


def test_a_publication_empties_every_page_listing_disclosures(client, seed_disclosure):
    prime(client, LISTINGS)
    retitle_behind_the_cache(SEED_INDEX_NUMBER, "未经服务修改的标题")
    # What is published is covered by a recorded secrecy review (here: one on the seed item).
    reviewed = record_secrecy_review(target=seed_disclosure, version="v1", user=gate_reviewer())
    pdf = pdf_bytes(["关于法治政府建设的新公开信息"])
    item = disclosure_publish_document(
        organization=seed_disclosure.organization,
        title="关于法治政府建设的新公开信息",
        summary="新公开信息",
        body="法治政府建设",
        generated_on=datetime.date(2022, 5, 1),
        published_on=datetime.date(2022, 5, 2),
        file_title="附件.pdf",
        file_bytes=pdf,
        file_sha256=__import__("hashlib").sha256(pdf).hexdigest(),
        secrecy_review_of=(seed_disclosure, reviewed.version),
    )
    for url in LISTINGS:
        page = text(client, url)
        assert "关于法治政府建设的新公开信息" in page, url
        assert "未经服务修改的标题" in page, url  # the whole page was rendered afresh
    assert "关于法治政府建设的新公开信息" in text(client, item.get_absolute_url())


def test_a_repeal_empties_the_item_page_and_the_listings(client, seed_disclosure):
    prime(client, [*LISTINGS, SEED_URL])
    assert "有效" in text(client, SEED_URL)
    retitle_behind_the_cache(SEED_INDEX_NUMBER, "已废止的标题")
    disclosure_repeal(item=seed_disclosure, on=datetime.date(2023, 6, 1), reason="已废止")
    assert "2023-06-01" in text(client, SEED_URL)
    for url in [*LISTINGS, SEED_URL]:
        assert "已废止的标题" in text(client, url), url


def test_an_accepted_comment_appears_on_the_notice_page_at_once(
    client, open_notice, comment_reviewer
):
    url = f"/notices/{open_notice.batch}/"
    prime(client, [url, "/notices/", "/"])
    comment = moderation.notice_comment_submit(
        notice=open_notice, content="支持授予荣誉市民称号。", source="test-source"
    )
    assert "支持授予荣誉市民称号" not in text(client, url)  # pending: not public
    moderation.notice_comment_accept(comment=comment, reviewer=comment_reviewer)
    assert NoticeComment.objects.get(pk=comment.pk).status == NoticeComment.Status.ACCEPTED
    assert "支持授予荣誉市民称号" in text(client, url)


def test_the_notice_page_with_its_comment_form_is_never_cached(client, open_notice):
    url = f"/notices/{open_notice.batch}/"
    first, second = client.get(url), client.get(url)
    assert "ETag" not in second
    # Each visitor gets the token matching their own CSRF cookie, never someone else's.
    other = __import__("django.test", fromlist=["Client"]).Client()
    assert other.get(url).cookies["csrftoken"].value != first.cookies["csrftoken"].value


def test_a_notice_closing_by_date_changes_home_and_the_notice_list(
    client, open_notice, monkeypatch
):
    assert "公示中" in text(client, "/notices/")
    assert open_notice.title in text(client, "/")
    after_end = open_notice.notice_end + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: after_end)
    assert "已结束" in text(client, "/notices/")
    assert open_notice.title not in text(client, "/")


def test_a_notice_closed_early_in_the_admin_changes_its_pages(client, open_notice):
    prime(client, ["/", "/notices/"])
    notice = HonoraryCitizenNotice.objects.get(pk=open_notice.pk)
    notice.notice_end = timezone.localdate() - datetime.timedelta(days=1)
    notice.save()  # what the admin's form does
    assert "已结束" in text(client, "/notices/")
    assert open_notice.title not in text(client, "/")


def test_a_lost_version_is_recreated_and_old_pages_are_not_served(client, seed_disclosure):
    prime(client, ["/disclosure/"])
    retitle_behind_the_cache(SEED_INDEX_NUMBER, "缓存丢失后的标题")
    cache.delete(VERSION_KEY)  # e.g. Redis restarted without persistence
    assert "缓存丢失后的标题" in text(client, "/disclosure/")


def test_a_report_correction_empties_the_report_pages_and_the_old_item(
    client, settings, tmp_path, data_entry_user, reviewer_user
):
    from lawbuilding import services
    from lawbuilding.models import WorkQuantity
    from tests.report_records import complete_parts, make_office, make_year_2021

    settings.MEDIA_ROOT = tmp_path / "media"
    office = make_office()
    make_year_2021(office)
    report, _warnings = services.report_create(year=2021, user=data_entry_user, organization=office)
    complete_parts(report)
    services.report_submit(report=report, user=data_entry_user)
    services.report_approve(report=report, user=reviewer_user, on=datetime.date(2022, 3, 21))
    review_report(report, reviewer_user)
    published = services.report_publish(
        report=report, user=reviewer_user, on=datetime.date(2022, 3, 22)
    )
    old_url = published.disclosure.get_absolute_url()
    pages = ["/reports/", "/reports/2021/", old_url, *LISTINGS]
    prime(client, pages)
    assert "有效" in text(client, old_url)

    correction = services.report_start_correction(
        report=published, user=data_entry_user, comment="第三部分转运人数有误"
    )
    section = correction.sections.get(key="theme-risk")
    section.body = section.body.replace("20批", "21批")
    section.save()
    WorkQuantity.objects.filter(key="transfer_batches").update(value=21)
    services.report_submit(report=correction, user=data_entry_user)
    services.report_approve(report=correction, user=reviewer_user, on=datetime.date(2022, 4, 2))
    review_report(correction, reviewer_user)
    corrected = services.report_publish(
        report=correction, user=reviewer_user, on=datetime.date(2022, 4, 3)
    )

    assert "2022-04-03" in text(client, old_url)  # the old item now shows its repeal date
    assert "21批" in text(client, "/reports/2021/")
    assert "2022-04-03" in text(client, "/reports/")  # the corrected revision's date
    for url in LISTINGS:
        assert corrected.disclosure.get_absolute_url() in text(client, url), url
