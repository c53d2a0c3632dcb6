"""Publishing an approved report creates its disclosure item with the next index number of
the office and year, attaches the frozen PDF with its SHA-256, never changes a published
PDF (a correction is a new revision), and allocates serials without gaps or duplicates, also
when many publications happen at once."""

import datetime
import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection

from disclosure.models import DisclosureItem, IndexCounter
from disclosure.services import (
    TamperedFileError,
    disclosure_allocate_index_number,
    disclosure_attachment_bytes,
)
from lawbuilding import services
from lawbuilding.models import AnnualReport, ReportSection, WorkQuantity
from tests.publication_gate import review_report
from tests.report_records import OFFICE, TITLE_2021, complete_parts, make_office, make_year_2021

Status = AnnualReport.Status


@pytest.fixture(autouse=True)
def report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(db):
    office = make_office()
    make_year_2021(office)
    return office


@pytest.fixture
def approved(office, data_entry_user, reviewer_user):
    report, _warnings = services.report_create(year=2021, user=data_entry_user, organization=office)
    complete_parts(report)
    services.report_submit(report=report, user=data_entry_user)
    report = services.report_approve(
        report=report, user=reviewer_user, on=datetime.date(2022, 3, 21)
    )
    review_report(report, reviewer_user)
    return report


def publish(report, user, day=datetime.date(2022, 3, 22)):
    return services.report_publish(report=report, user=user, on=day)


def test_publishing_creates_the_disclosure_item(approved, reviewer_user):
    report = publish(approved, reviewer_user)
    item = report.disclosure
    assert item.title == TITLE_2021
    assert item.publisher == OFFICE
    assert item.method == DisclosureItem.Method.PROACTIVE
    assert item.generated_on == datetime.date(2022, 3, 21)
    assert item.published_on == datetime.date(2022, 3, 22)
    assert item.summary == TITLE_2021
    assert item.index_number == "014109568/2022-00001"
    assert "一、党组重视，引领法治政府建设" in item.body
    attachment = item.attachments.get()
    assert attachment.sha256 == report.pdf_sha256
    assert attachment.title == f"{TITLE_2021}.pdf"
    data = disclosure_attachment_bytes(attachment)
    assert hashlib.sha256(data).hexdigest() == report.pdf_sha256
    assert data == services.report_pdf_bytes(report)


def test_serials_continue_after_those_already_used(office, approved, reviewer_user):
    # The seed report's own item was entered by hand as serial 12 of 2022.
    DisclosureItem.objects.create(
        organization=office,
        title=TITLE_2021,
        index_number="014109568/2022-00012",
        category="other",
        publisher="市外事办",
        generated_on=datetime.date(2022, 3, 21),
        published_on=datetime.date(2022, 3, 22),
        status="published",
        summary=TITLE_2021,
    )
    assert publish(approved, reviewer_user).disclosure.index_number == "014109568/2022-00013"
    assert IndexCounter.objects.get(organization=office, year=2022).last_serial == 13


def test_serials_restart_each_publication_year(office, db):
    from django.db import transaction

    with transaction.atomic():
        assert disclosure_allocate_index_number(organization=office, year=2022)[1] == 1
        assert disclosure_allocate_index_number(organization=office, year=2022)[1] == 2
        number, serial = disclosure_allocate_index_number(organization=office, year=2023)
    assert (number, serial) == ("014109568/2023-00001", 1)


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    office = make_office()
    with pytest.raises(RuntimeError):
        disclosure_allocate_index_number(organization=office, year=2022)


def test_a_serial_rolled_back_with_its_transaction_is_reissued(office):
    from django.db import transaction

    with pytest.raises(ValidationError), transaction.atomic():
        disclosure_allocate_index_number(organization=office, year=2022)
        # The publication then fails (here: an invalid item) after the serial was taken.
        DisclosureItem(organization=office, title="", index_number="bad").full_clean()
    with transaction.atomic():
        assert disclosure_allocate_index_number(organization=office, year=2022)[1] == 1


def test_a_failed_publication_leaves_no_gap(approved, reviewer_user):
    approved.pdf.open("wb").write(b"%PDF-1.7 tampered")
    approved.pdf.close()
    with pytest.raises(TamperedFileError, match="SHA-256 不一致"):
        publish(approved, reviewer_user)
    assert AnnualReport.objects.get(pk=approved.pk).status == Status.APPROVED
    assert not DisclosureItem.objects.exists()
    assert not IndexCounter.objects.filter(last_serial__gt=0).exists()


def test_a_changed_pdf_is_detected_when_served(approved, reviewer_user):
    report = publish(approved, reviewer_user)
    attachment = report.disclosure.attachments.get()
    with attachment.file.open("wb") as handle:
        handle.write(b"%PDF-1.7 something else")
    with pytest.raises(TamperedFileError, match="不一致"):
        disclosure_attachment_bytes(attachment)
    with report.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.7 something else")
    with pytest.raises(TamperedFileError):
        services.report_pdf_bytes(report)


def test_a_published_report_never_changes_a_correction_is_a_new_revision(
    approved, data_entry_user, reviewer_user
):
    published = publish(approved, reviewer_user)
    frozen = services.report_pdf_bytes(published)

    with pytest.raises(ValidationError, match="必须说明更正原因"):
        services.report_start_correction(report=published, user=data_entry_user, comment="")
    correction = services.report_start_correction(
        report=published, user=data_entry_user, comment="第三部分转运人数有误"
    )
    assert (correction.revision, correction.corrects, correction.status) == (
        2,
        published,
        Status.DRAFT,
    )
    assert correction.sections.count() == published.sections.count()
    with pytest.raises(ValidationError, match="已有更正版本"):
        services.report_start_correction(report=published, user=data_entry_user, comment="再改")

    # The record was wrong: it is corrected, and the corrected text must agree with it.
    section = correction.sections.get(key="theme-risk")
    section.body = section.body.replace("20批", "21批")
    section.save()
    with pytest.raises(ValidationError, match="“21批”与记录不符"):
        services.report_submit(report=correction, user=data_entry_user)
    WorkQuantity.objects.filter(key="transfer_batches").update(value=21)
    services.report_submit(report=correction, user=data_entry_user)
    services.report_approve(report=correction, user=reviewer_user, on=datetime.date(2022, 4, 2))
    review_report(correction, reviewer_user)
    corrected = publish(correction, reviewer_user, day=datetime.date(2022, 4, 3))

    assert corrected.disclosure.index_number == "014109568/2022-00002"
    old = AnnualReport.objects.get(pk=published.pk)
    assert old.status == Status.PUBLISHED
    assert services.report_pdf_bytes(old) == frozen
    assert "20批" in ReportSection.objects.get(report=old, key="theme-risk").body
    assert old.disclosure.repealed_on == datetime.date(2022, 4, 3)
    assert corrected.disclosure.repealed_on is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_get_consecutive_unique_serials(reviewer_user):
    """Many reports published at the same moment: serials 1…N, none twice, none skipped.
    (PostgreSQL only: SQLite has no row locks, select_for_update, to test against.)"""
    from tests.publication_files import pdf_bytes

    office = make_office()
    pdf = pdf_bytes(["年度报告正文。"])
    digest = hashlib.sha256(pdf).hexdigest()
    reports = []
    for year in range(2005, 2017):
        report = AnnualReport(
            organization=office,
            year=year,
            title=f"{OFFICE}{year}年度法治政府建设情况报告",
            status=Status.APPROVED,
            approved_on=datetime.date(2022, 3, 1),
            pdf_sha256=digest,
        )
        report.pdf.save(f"r{year}.pdf", ContentFile(pdf), save=False)
        report.save()
        ReportSection.objects.create(report=report, key="opening", part="opening", body="正文。")
        review_report(report, reviewer_user)
        reports.append(report)

    barrier = threading.Barrier(len(reports))
    errors: list[BaseException] = []

    def run(report):
        try:
            barrier.wait(timeout=30)
            publish(report, reviewer_user)
        except BaseException as exc:  # noqa: BLE001  (reported to the main thread below)
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(r,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    serials = sorted(
        DisclosureItem.objects.filter(organization=office, index_year=2022).values_list(
            "index_serial", flat=True
        )
    )
    assert serials == list(range(1, len(reports) + 1))
    assert IndexCounter.objects.get(organization=office, year=2022).last_serial == len(reports)
    assert AnnualReport.objects.filter(status=Status.PUBLISHED).count() == len(reports)
