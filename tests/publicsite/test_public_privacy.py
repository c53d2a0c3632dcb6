"""The public pages show only what the rules require of people (《个人信息保护法》,
《政府信息公开条例》第十五条): of a nominee the name, nationality, employer (with post) and
contribution; of a commenter, an applicant or a member of staff nothing that identifies or
reaches them — no identity number, phone, e-mail or address.

Records are created whose private fields hold recognisable markers (a valid resident ID
number, a mobile number, an e-mail address, a postal address, names), then every public URL
name (the public site, the application pages, the Atom feed, the files offered for download)
is fetched and searched for the markers; the personal-data scan of each response finds
nothing beyond the office's allow-listed numbers. The spreadsheet exports given to staff who
do not handle applications or comments leave the markers out too. A new public URL must be
added to the crawl (the test fails on a URL name it does not know)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from publication.models import default_allow_list
from publication.scan import scan
from tests import publication_files
from tests.publication_gate import publish_notice, review_report

ID_MARKER = publication_files.resident_id("32040219850607123")
PHONE_MARKER = "13811112222"
EMAIL_MARKER = "marker.private@example.invalid"
ADDRESS_MARKER = "隐私地址标记路99号"
APPLICANT_MARKER = "申请人标记"
COMMENTER_MARKER = "留言人标记"
MARKERS = [
    ID_MARKER,
    PHONE_MARKER,
    EMAIL_MARKER,
    ADDRESS_MARKER,
    APPLICANT_MARKER,
    COMMENTER_MARKER,
]
PUBLIC_NAMESPACES = ("publicsite", "applications")


@pytest.fixture(autouse=True)
def privacy_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def records(public_site, data_entry_user, reviewer_user):
    """A published report (its disclosure item and PDF), an open notice with an accepted and
    a pending comment, an application — each private field holding a marker."""
    from applications import services as applications
    from lawbuilding import services as reports
    from supervision import moderation
    from supervision.models import HonoraryCitizenNotice, Nominee
    from tests.report_records import complete_parts, make_office, make_year_2021

    for user in (data_entry_user, reviewer_user):
        user.email = EMAIL_MARKER
        user.first_name = APPLICANT_MARKER
        user.save()
    office = make_office()
    make_year_2021(office)
    report, _warnings = reports.report_create(year=2021, user=data_entry_user, organization=office)
    complete_parts(report)
    reports.report_submit(report=report, user=data_entry_user)
    reports.report_approve(report=report, user=reviewer_user, on=datetime.date(2022, 3, 21))
    review_report(report, reviewer_user)
    report = reports.report_publish(
        report=report, user=reviewer_user, on=datetime.date(2022, 3, 22)
    )

    today = timezone.localdate()
    notice = HonoraryCitizenNotice.objects.create(
        batch=19,
        title="拟授予第十九批“常州市荣誉市民”称号人选公示",
        body="现予公示，征求全社会意见。",
        notice_start=today - datetime.timedelta(days=1),
        notice_end=today + datetime.timedelta(days=5),
        contact="书面意见请寄送常州市人民政府外事办公室",
    )
    nominee = Nominee.objects.create(
        notice=notice,
        name="Max Mustermann",
        chinese_name="马克斯",
        nationality="德国",
        employer="常州某外资企业",
        post="总经理",
        years_in_city=6,
        contribution="促进中德经贸合作。",
    )
    notice = publish_notice(notice, reviewer_user)
    accepted = moderation.notice_comment_submit(
        notice=notice,
        nominee=nominee,
        content="支持该候选人。",
        name=COMMENTER_MARKER,
        contact=f"{PHONE_MARKER} {EMAIL_MARKER} 身份证{ID_MARKER}",
        source="privacy-test",
        today=today,
    )
    moderation.notice_comment_accept(comment=accepted, reviewer=reviewer_user, reply="感谢关注。")
    moderation.notice_comment_submit(
        notice=notice,
        nominee=None,
        content=f"待审核留言：请联系{PHONE_MARKER}",
        name=COMMENTER_MARKER,
        contact=EMAIL_MARKER,
        source="privacy-test-2",
        today=today,
    )

    from applications.models import ApplicantType, InformationRequest

    req = applications.register(
        user=data_entry_user,
        data={
            "applicant_type": ApplicantType.NATURAL_PERSON,
            "applicant_name": APPLICANT_MARKER,
            "id_document": f"居民身份证 {ID_MARKER}",
            "contact_person": APPLICANT_MARKER,
            "phone": PHONE_MARKER,
            "email": EMAIL_MARKER,
            "address": ADDRESS_MARKER,
            "description": "2021年法治政府建设年度报告",
            "delivery_form": InformationRequest.DeliveryForm.EMAIL,
        },
        channel=InformationRequest.Channel.IN_PERSON,
        received_on=today,
    )
    item = report.disclosure
    return {
        "report": report,
        "item": item,
        "attachment": item.attachments.get(),
        "notice": notice,
        "request": req,
    }


def public_url_names() -> set[str]:
    resolver = get_resolver()
    names = set()
    for namespace in PUBLIC_NAMESPACES:
        _prefix, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
    return names


def crawl_list(records) -> list[tuple[str, str]]:
    """(URL name, URL) for every public URL name, with the records' keys."""
    item, attachment = records["item"], records["attachment"]
    batch, year = records["notice"].batch, records["report"].year
    code = records["request"].tracking_code
    urls = {
        "publicsite:home": [reverse("publicsite:home")],
        "publicsite:disclosure_list": [
            reverse("publicsite:disclosure_list"),
            reverse("publicsite:disclosure_list") + "?q=荣誉市民",
        ],
        "publicsite:disclosure_feed": [reverse("publicsite:disclosure_feed")],
        "publicsite:disclosure_detail": [
            reverse("publicsite:disclosure_detail", kwargs={"slug": item.slug})
        ],
        "publicsite:attachment_download": [
            reverse(
                "publicsite:attachment_download", kwargs={"slug": item.slug, "pk": attachment.pk}
            )
        ],
        "publicsite:language": [reverse("publicsite:language")],
        "publicsite:notice_list": [reverse("publicsite:notice_list")],
        "publicsite:notice_detail": [reverse("publicsite:notice_detail", kwargs={"batch": batch})],
        "publicsite:notice_received": [
            reverse("publicsite:notice_received", kwargs={"batch": batch})
        ],
        "publicsite:report_list": [reverse("publicsite:report_list")],
        "publicsite:report_detail": [reverse("publicsite:report_detail", kwargs={"year": year})],
        "publicsite:report_pdf": [reverse("publicsite:report_pdf", kwargs={"year": year})],
        "applications:form": [reverse("applications:form")],
        "applications:received": [reverse("applications:received")],
        "applications:status": [reverse("applications:status") + f"?code={code}"],
    }
    unknown = public_url_names() - set(urls)
    assert not unknown, f"public URL names missing from the privacy crawl: {sorted(unknown)}"
    return [(name, url) for name, many in urls.items() for url in many]


def _findings(response) -> list:
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in content_type:
        return data, scan(data, default_allow_list(), name="response.pdf").findings
    text = data.decode("utf-8")
    return data, scan(text, default_allow_list(), name=response.request["PATH_INFO"]).findings


def test_no_public_page_feed_or_file_shows_private_data(client, records):
    fetched = 0
    for name, url in crawl_list(records):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, url, response.status_code)
        data, findings = _findings(response)
        for marker in MARKERS:
            assert marker.encode() not in data, (name, url, marker)
        assert not findings, (name, url, [str(f) for f in findings])
        fetched += 1
    assert fetched >= len(public_url_names())


def test_the_notice_shows_what_the_notice_rules_ask_of_nominees(client, records):
    html = client.get(
        reverse("publicsite:notice_detail", kwargs={"batch": records["notice"].batch})
    ).content.decode()
    for shown in ("Max Mustermann", "马克斯", "德国", "常州某外资企业", "促进中德经贸合作"):
        assert shown in html
    assert "支持该候选人" in html  # the accepted comment, without who sent it
    assert "待审核留言" not in html


def test_an_unpublished_notice_is_not_on_any_public_page(client, records):
    from supervision.models import HonoraryCitizenNotice

    today = timezone.localdate()
    HonoraryCitizenNotice.objects.create(
        batch=20,
        title="未经保密审查的公示草稿",
        notice_start=today,
        notice_end=today + datetime.timedelta(days=5),
    )
    for url in ("/", "/notices/", "/disclosure/?q=公示"):
        assert "未经保密审查的公示草稿" not in client.get(url).content.decode()
    assert client.get("/notices/20/").status_code == 404


def test_exports_for_staff_who_do_not_handle_personal_data_leave_it_out(records):
    from applications.admin import AnonymisedInformationRequestResource
    from supervision.resources import NoticeCommentResource

    # The pending comment's own words (a phone number a citizen typed) are what moderators
    # read; the fields that identify or reach a person are what must stay out.
    private = [m for m in MARKERS if m != PHONE_MARKER]
    for resource in (AnonymisedInformationRequestResource(), NoticeCommentResource()):
        exported = resource.export().csv
        for marker in private:
            assert marker not in exported, (type(resource).__name__, marker)
