"""Every publication path passes the same gate (《政府信息公开条例》第十七条, 《个人信息保护法》):

- without a recorded secrecy review ("经保密审查，可以公开") publication is refused with the
  same Chinese message and code, and nothing goes out;
- with one, for exactly the current version, it succeeds;
- a personal-data finding in what would be published blocks the review (and so the
  publication) until it is accepted with a reason;
- a change after the review needs a new review.

The paths: the annual report (report_publish, which publishes its disclosure item through
disclosure_publish_document), the annual disclosure work report (work_report_publish, the
same way), honorary-citizen notices (notice_publish), the reply to an
application (deliver), and a disclosure item published from the admin or its workflow
(disclosure_item_require_publishable)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from publication.models import SecrecyReview
from publication.review import accept_finding
from tests import publication_files

MOBILE = "13912345678"
MISSING = "未经保密审查，不能公开。请审查人确认“经保密审查，可以公开”后再发布。"
CHANGED = "内容在保密审查后已有改动，须对当前版本重新进行保密审查后才能公开。"


@pytest.fixture(autouse=True)
def gate_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Path_:
    """One publication path: how to prepare a record (with `extra` text in what is
    published), publish it, record its review, find its findings, change it, and tell
    whether it went out."""

    name: str
    prepare: Callable[[dict, str], Any]
    publish: Callable[[Any, dict], Any]
    review: Callable[..., Any]
    findings: Callable[[Any], list]
    change: Callable[[Any], None]
    is_public: Callable[[Any], bool]


# --- the annual report ----------------------------------------------------------------


def _report_prepare(users, extra):
    from lawbuilding import services
    from tests.report_records import complete_parts, make_office, make_year_2021

    office = make_office()
    make_year_2021(office)
    report, _warnings = services.report_create(
        year=2021, user=users["data_entry"], organization=office
    )
    complete_parts(report)
    if extra:
        section = report.sections.filter(included=True).exclude(body="").first()
        section.body += f"联系人手机{extra}。"
        section.save()
    services.report_submit(report=report, user=users["data_entry"])
    return services.report_approve(
        report=report, user=users["reviewer"], on=datetime.date(2022, 3, 21)
    )


def _report_publish(report, users):
    from lawbuilding import services

    return services.report_publish(
        report=report, user=users["reviewer"], on=datetime.date(2022, 3, 22)
    )


def _report_review(report, user, acceptances=()):
    from lawbuilding import services

    return services.report_record_secrecy_review(report=report, user=user, acceptances=acceptances)


def _report_findings(report):
    from lawbuilding import services

    return services.report_findings(report)


def _report_change(report):
    report.summary = "改动后的内容概述"
    report.save()


def _report_public(report):
    from lawbuilding.models import AnnualReport

    report = AnnualReport.objects.get(pk=report.pk)
    return report.status == AnnualReport.Status.PUBLISHED and report.disclosure_id is not None


# --- honorary-citizen notices ---------------------------------------------------------


def _notice_prepare(users, extra):
    from supervision.models import HonoraryCitizenNotice, Nominee

    notice = HonoraryCitizenNotice.objects.create(
        batch=30,
        title="拟授予第三十批“常州市荣誉市民”称号人选公示",
        body="现予公示，征求全社会意见。",
        notice_start=datetime.date(2030, 1, 1),
        notice_end=datetime.date(2030, 1, 10),
    )
    Nominee.objects.create(
        notice=notice,
        name="Max Mustermann",
        nationality="德国",
        employer="常州某外资企业",
        years_in_city=5,
        contribution="促进对外交流合作。" + (f"手机{extra}" if extra else ""),
    )
    return notice


def _notice_publish(notice, users):
    from supervision import publishing

    return publishing.notice_publish(notice=notice, user=users["reviewer"])


def _notice_review(notice, user, acceptances=()):
    from supervision import publishing

    return publishing.notice_record_secrecy_review(
        notice=notice, user=user, acceptances=acceptances
    )


def _notice_findings(notice):
    from supervision import publishing

    return publishing.notice_findings(notice)


def _notice_change(notice):
    nominee = notice.nominees.first()
    nominee.employer = "另一家企业"
    nominee.save()


def _notice_public(notice):
    from supervision.models import HonoraryCitizenNotice

    return HonoraryCitizenNotice.objects.public().filter(pk=notice.pk).exists()


# --- the reply to an application ------------------------------------------------------


def _reply_prepare(users, extra):
    from applications import services
    from applications.models import ApplicantType, InformationRequest, Outcome

    req = services.register(
        user=users["data_entry"],
        data={
            "applicant_type": ApplicantType.NATURAL_PERSON,
            "applicant_name": "张小明",
            "id_document": "居民身份证 320400199001011234",
            "phone": "13900000000",
            "description": "2024年因公出国（境）团组审批情况",
            "delivery_form": InformationRequest.DeliveryForm.EMAIL,
            "email": "zhang@example.invalid",
        },
        channel=InformationRequest.Channel.IN_PERSON,
        received_on=datetime.date(2024, 9, 27),
    )
    basis = "《政府信息公开条例》第三十六条第二项。" + (f"经办人手机{extra}。" if extra else "")
    services.decide(
        req,
        user=users["reviewer"],
        outcome=Outcome.DISCLOSED,
        basis=basis,
        on=datetime.date(2024, 10, 8),
    )
    return InformationRequest.objects.get(pk=req.pk)


def _reply_publish(req, users):
    from applications import services

    return services.deliver(req, user=users["data_entry"], on=datetime.date(2024, 10, 9))


def _reply_review(req, user, acceptances=()):
    from applications import services

    return services.record_reply_secrecy_review(req, user=user, acceptances=acceptances)


def _reply_findings(req):
    from applications import services

    return services.reply_findings(req)


def _reply_change(req):
    req.decision_basis += "另补充理由。"
    req.save()


def _reply_public(req):
    from applications.models import InformationRequest

    return InformationRequest.objects.get(pk=req.pk).delivered_on is not None


# --- a disclosure item (admin or its review workflow) ---------------------------------


def _item_prepare(users, extra):
    from disclosure.models import DisclosureAttachment, DisclosureItem
    from tests.report_records import make_office

    office = make_office()
    item = DisclosureItem.objects.create(
        organization=office,
        title="2029年因公出国（境）团组公示",
        category=DisclosureItem.Category.OTHER,
        method=DisclosureItem.Method.PROACTIVE,
        publisher=office.full_name,
        generated_on=datetime.date(2029, 1, 2),
        summary="团组公示",
        body="团组名称：演示团组。",
    )
    pdf = publication_files.pdf_bytes(
        ["出访任务：经贸交流。" + (f"联系人手机{extra}" if extra else "")], author="王小明"
    )
    attachment = DisclosureAttachment(item=item, title="公示.pdf")
    attachment.file.save("gongshi.pdf", ContentFile(pdf), save=False)
    attachment.save()
    return item


def _item_publish(item, users):
    """The item's own workflow: submitted by data entry, published by the reviewer."""
    from disclosure import services

    item.refresh_from_db()
    if item.status == item.Status.DRAFT:
        services.disclosure_submit(item=item, user=users["data_entry"])
    return services.disclosure_approve_publish(
        item=item, user=users["reviewer"], on=datetime.date(2029, 1, 3)
    )


def _item_review(item, user, acceptances=()):
    from disclosure.services import disclosure_item_record_secrecy_review

    return disclosure_item_record_secrecy_review(item=item, user=user, acceptances=acceptances)


def _item_findings(item):
    from disclosure.services import disclosure_item_findings

    return disclosure_item_findings(item)


def _item_change(item):
    item.body += "补充说明。"
    item.save()


def _item_public(item):
    from disclosure.models import DisclosureItem

    return DisclosureItem.objects.public(datetime.date(2030, 1, 1)).filter(pk=item.pk).exists()


# --- the annual disclosure work report (政府信息公开工作年度报告) -------------------------


def _work_prepare(users, extra):
    from applications import work_report_services as services
    from tests.applications.test_disclosure_work_report import written
    from tests.report_records import make_office

    office = make_office()
    report = written(
        services.work_report_create(year=2022, user=users["data_entry"], organization=office)
    )
    if extra:
        report.problems += f"联系人手机{extra}。"
        report.save()
    services.work_report_submit(report=report, user=users["data_entry"])
    return services.work_report_approve(
        report=report, user=users["reviewer"], on=datetime.date(2023, 1, 20)
    )


def _work_publish(report, users):
    from applications import work_report_services as services

    return services.work_report_publish(
        report=report, user=users["reviewer"], on=datetime.date(2023, 1, 28)
    )


def _work_review(report, user, acceptances=()):
    from applications import work_report_services as services

    return services.work_report_record_secrecy_review(
        report=report, user=user, acceptances=acceptances
    )


def _work_findings(report):
    from applications import work_report_services as services

    return services.work_report_findings(report)


def _work_change(report):
    report.problems += "另补充一句。"
    report.save()


def _work_public(report):
    from applications.models import DisclosureWorkReport

    report = DisclosureWorkReport.objects.get(pk=report.pk)
    return report.status == DisclosureWorkReport.Status.PUBLISHED and report.disclosure_id


PATHS = [
    Path_(
        "annual_report",
        _report_prepare,
        _report_publish,
        _report_review,
        _report_findings,
        _report_change,
        _report_public,
    ),
    Path_(
        "disclosure_work_report",
        _work_prepare,
        _work_publish,
        _work_review,
        _work_findings,
        _work_change,
        _work_public,
    ),
    Path_(
        "honorary_notice",
        _notice_prepare,
        _notice_publish,
        _notice_review,
        _notice_findings,
        _notice_change,
        _notice_public,
    ),
    Path_(
        "application_reply",
        _reply_prepare,
        _reply_publish,
        _reply_review,
        _reply_findings,
        _reply_change,
        _reply_public,
    ),
    Path_(
        "disclosure_item",
        _item_prepare,
        _item_publish,
        _item_review,
        _item_findings,
        _item_change,
        _item_public,
    ),
]
IDS = [p.name for p in PATHS]


@pytest.fixture
def users(data_entry_user, reviewer_user):
    return {"data_entry": data_entry_user, "reviewer": reviewer_user}


def _refused(path: Path_, record, users, message: str, code: str):
    with pytest.raises(ValidationError) as refused:
        path.publish(record, users)
    assert refused.value.code == code
    assert refused.value.messages == [message]
    assert not path.is_public(record)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_publication_is_refused_without_a_secrecy_review(path, users):
    record = path.prepare(users, "")
    _refused(path, record, users, MISSING, "secrecy_review_missing")


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_publication_succeeds_after_the_review_who_when_which_version(path, users):
    record = path.prepare(users, "")
    review = path.review(record, users["reviewer"])
    assert review.statement == "经保密审查，可以公开"
    assert review.reviewer == users["reviewer"] and review.reviewed_at is not None
    assert len(review.version) == 64
    path.publish(record, users)
    assert path.is_public(record)
    # The review shows in the record's own history …
    record.refresh_from_db()
    reasons = [h.history_change_reason or "" for h in record.history.all()]
    assert any(r.startswith("经保密审查，可以公开（版本 ") for r in reasons)
    # … and among the secrecy review records an inspector exports.
    assert SecrecyReview.objects.filter(object_id=str(record.pk), version=review.version).exists()


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_a_review_only_covers_the_version_reviewed(path, users):
    record = path.prepare(users, "")
    path.review(record, users["reviewer"])
    path.change(record)
    record.refresh_from_db()
    _refused(path, record, users, CHANGED, "secrecy_review_missing")


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_a_finding_blocks_until_accepted_with_a_reason(path, users):
    record = path.prepare(users, MOBILE)
    findings = path.findings(record)
    # Each place it appears (the report's text and its PDF) is listed; one acceptance covers
    # the value wherever it is.
    assert findings and {f.kind for f in findings} == {"mobile"}
    assert MOBILE not in str(findings[0]) and findings[0].masked.startswith("139")
    with pytest.raises(ValidationError) as blocked:
        path.review(record, users["reviewer"])
    assert blocked.value.code == "personal_data_unresolved"
    assert "手机号码" in blocked.value.messages[0] and MOBILE not in blocked.value.messages[0]
    _refused(path, record, users, MISSING, "secrecy_review_missing")
    with pytest.raises(ValidationError, match="请填写保留这项个人信息的理由"):
        accept_finding(finding=findings[0], user=users["reviewer"], reason=" ", target=record)
    acceptance = accept_finding(
        finding=findings[0],
        user=users["reviewer"],
        reason="本人同意公开的联系电话",
        target=record,
    )
    review = path.review(record, users["reviewer"], acceptances=[acceptance])
    assert list(review.acceptances.all()) == [acceptance]
    path.publish(record, users)
    assert path.is_public(record)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_data_entry_staff_cannot_record_the_review(path, users):
    from django.core.exceptions import PermissionDenied

    record = path.prepare(users, "")
    with pytest.raises(PermissionDenied, match="没有进行保密审查的权限"):
        path.review(record, users["data_entry"])


def test_published_files_carry_no_author_metadata(users):
    """The report's frozen PDF and a disclosure item's attachment are published without
    document information or XMP; the recorded checksum is that of the published copy."""
    import hashlib

    from disclosure.services import disclosure_attachment_bytes

    report = _report_prepare(users, "")
    _report_review(report, users["reviewer"])
    report = _report_publish(report, users)
    attachment = report.disclosure.attachments.get()
    item = _item_prepare(users, "")
    _item_review(item, users["reviewer"])
    item_attachment = item.attachments.get()
    for stored in (attachment, item_attachment):
        data = disclosure_attachment_bytes(stored)
        assert hashlib.sha256(data).hexdigest() == stored.sha256
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert "/Info" not in pdf.trailer
            assert "/Metadata" not in pdf.Root
        assert "王小明".encode("utf-16-be") not in data and b"WeasyPrint" not in data


# --- the reviewer's admin page, on every path -----------------------------------------

ADMIN_CHANGE = {
    "annual_report": "admin:lawbuilding_annualreport_secrecy_review",
    "disclosure_work_report": "admin:applications_disclosureworkreport_secrecy_review",
    "honorary_notice": "admin:supervision_honorarycitizennotice_secrecy_review",
    "application_reply": "admin:applications_informationrequest_secrecy_review",
    "disclosure_item": "admin:disclosure_disclosureitem_secrecy_review",
}


@pytest.fixture
def admin_http(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_the_reviewer_accepts_a_finding_and_records_the_review_in_the_admin(
    path, users, client, admin_http
):
    from django.urls import reverse

    from publication.models import FindingAcceptance

    record = path.prepare(users, MOBILE)
    url = reverse(ADMIN_CHANGE[path.name], args=[record.pk])
    client.force_login(users["reviewer"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "手机号码" in html and MOBILE not in html and "经保密审查，可以公开" in html
    # Confirming without a reason for the finding is refused, nothing recorded.
    refused = client.post(url, {"confirm": "on"})
    assert refused.status_code == 200 and "未处理的个人信息" in refused.content.decode()
    assert not SecrecyReview.objects.filter(object_id=str(record.pk)).exists()
    reasons = {f"reason_{i}": "本人同意公开的联系电话" for i in range(len(path.findings(record)))}
    done = client.post(url, {"confirm": "on", "note": "已核对", **reasons})
    assert done.status_code == 302, done.content.decode()[:2000]
    review = SecrecyReview.objects.get(object_id=str(record.pk))
    assert review.reviewer == users["reviewer"] and review.note == "已核对"
    assert FindingAcceptance.objects.filter(reason="本人同意公开的联系电话").exists()
    record.refresh_from_db()
    path.publish(record, users)
    assert path.is_public(record)


def test_data_entry_staff_see_the_review_page_but_cannot_record(users, client, admin_http):
    from django.urls import reverse

    record = _notice_prepare(users, "")
    client.force_login(users["data_entry"])
    url = reverse(ADMIN_CHANGE["honorary_notice"], args=[record.pk])
    page = client.get(url)
    if page.status_code == 200:
        assert "您没有进行保密审查的权限" in page.content.decode()
    else:
        assert page.status_code in (302, 403)
    client.post(url, {"confirm": "on"})
    assert not SecrecyReview.objects.exists()


def test_any_change_to_a_published_notice_takes_it_off_the_public_pages(users):
    """A nominee edited by an import or a script, not only in the admin, withdraws the
    notice until its new content is reviewed and published."""
    from supervision.models import Nominee

    notice = _notice_prepare(users, "")
    _notice_review(notice, users["reviewer"])
    _notice_publish(notice, users)
    assert _notice_public(notice)
    Nominee.objects.create(
        notice=notice, name="Erika", nationality="德国", employer="某企业", contribution="合作。"
    )
    assert not _notice_public(notice)
    notice.refresh_from_db()
    _refused(PATHS[2], notice, users, CHANGED, "secrecy_review_missing")
    _notice_review(notice, users["reviewer"])
    _notice_publish(notice, users)
    assert _notice_public(notice)
    notice.refresh_from_db()
    notice.title = "改过的标题"
    notice.save()
    assert not _notice_public(notice)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_leadership_and_anonymous_visitors_cannot_record_a_review(
    path, users, client, admin_http, leadership_user
):
    from django.urls import reverse

    record = path.prepare(users, "")
    url = reverse(ADMIN_CHANGE[path.name], args=[record.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(leadership_user)
    assert client.get(url).status_code in (200, 403)
    client.post(url, {"confirm": "on"})
    assert not SecrecyReview.objects.exists()
