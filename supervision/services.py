"""Disclosure services: index numbers without gaps or duplicates, and publishing a document
(the annual report) as a disclosure item with its file attached and fingerprinted."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lawbuilding.models import Organization
from supervision.models import DisclosureAttachment, DisclosureItem, IndexCounter


class TamperedFileError(ValidationError):
    """A stored file no longer matches the SHA-256 recorded when it was published."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def format_index_number(*, organization: Organization, year: int, serial: int) -> str:
    """`FAO_INDEX_NUMBER_PATTERN`, by default "{org_code}/{year}-{serial:05d}"
    (014109568/2022-00012, DOMAIN.md)."""
    return settings.FAO_INDEX_NUMBER_PATTERN.format(
        org_code=organization.org_code, year=year, serial=serial
    )


def _locked_counter(organization: Organization, year: int) -> IndexCounter:
    """The office's counter row for `year`, locked until the surrounding transaction ends.

    Whoever creates the row holds it (an inserted row is locked by its transaction); a
    concurrent creator fails on the unique constraint once the first commits, and then waits
    for the lock like everyone else."""
    counters = IndexCounter.objects.select_for_update()
    try:
        return counters.get(organization=organization, year=year)
    except IndexCounter.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            counter = IndexCounter(organization=organization, year=year, last_serial=0)
            counter.save()
            return counter
    except IntegrityError:
        return counters.get(organization=organization, year=year)


def disclosure_allocate_index_number(
    *, organization: Organization, year: int, user=None
) -> tuple[str, int]:
    """The next index number of `organization` in `year`, and its serial.

    Must run inside the transaction that saves the disclosure item: the counter row stays
    locked until that transaction ends, so concurrent publications queue here, and a rolled
    back publication rolls its serial back too (no gap). Serials already used by items
    entered by hand (or imported) are skipped, never reissued."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("disclosure_allocate_index_number must run inside a transaction")
    counter = _locked_counter(organization, year)
    taken = (
        DisclosureItem.objects.filter(organization=organization, index_year=year).aggregate(
            last=Max("index_serial")
        )["last"]
        or 0
    )
    serial = max(counter.last_serial, taken) + 1
    counter.last_serial = serial
    counter._history_user = user
    counter._change_reason = _("分配索引号流水号 %(serial)05d") % {"serial": serial}
    counter.full_clean()
    counter.save()
    return format_index_number(organization=organization, year=year, serial=serial), serial


@transaction.atomic
def disclosure_publish_document(
    *,
    organization: Organization,
    title: str,
    summary: str,
    body: str,
    generated_on: datetime.date,
    published_on: datetime.date,
    file_title: str,
    file_bytes: bytes,
    file_sha256: str,
    category: str = DisclosureItem.Category.OTHER,
    user=None,
    change_reason: str = "",
    publisher: str = "",
) -> DisclosureItem:
    """A proactively disclosed item with a newly allocated index number and its file.
    发布机构 is the office's full name unless `publisher` says otherwise (a revision keeps the
    spelling of the item it revises)."""
    if sha256_hex(file_bytes) != file_sha256:
        raise TamperedFileError(
            _("待发布文件与定稿时记录的 SHA-256 不一致，已停止发布。"), code="pdf_tampered"
        )
    year = published_on.year
    index_number, serial = disclosure_allocate_index_number(
        organization=organization, year=year, user=user
    )
    item = DisclosureItem(
        organization=organization,
        title=title,
        index_number=index_number,
        index_year=year,
        index_serial=serial,
        category=category,
        method=DisclosureItem.Method.PROACTIVE,
        publisher=publisher or organization.full_name,
        generated_on=generated_on,
        published_on=published_on,
        summary=summary[:200],
        body=body,
    )
    item._history_user = user
    item._change_reason = change_reason
    item.full_clean()
    item.save()
    attachment = DisclosureAttachment(item=item, title=file_title, sha256=file_sha256)
    safe_name = index_number.replace("/", "-") + ".pdf"
    attachment.file.save(safe_name, ContentFile(file_bytes), save=False)
    attachment._history_user = user
    attachment._change_reason = change_reason
    attachment.full_clean()
    attachment.save()
    return item


@transaction.atomic
def disclosure_publish_report(*, report, published_on: datetime.date, user=None) -> DisclosureItem:
    """The disclosure item of an approved annual report (called by `report_publish`).

    信息名称 = the report's title, 发布机构 = the office's full name, 主动公开, 生成日期 = the
    approval date, 公开日期 = `published_on`, the frozen PDF attached with its SHA-256. A
    correction repeals the item of the revision it corrects on the same day."""
    from lawbuilding import reports
    from lawbuilding.services import report_pdf_bytes

    organization = report.organization
    previous = report.corrects
    old = previous.disclosure if previous is not None and previous.disclosure_id else None
    item = disclosure_publish_document(
        organization=organization,
        title=report.title,
        summary=report.summary or report.title,
        body=reports.disclosure_body(report.sections.all(), organization=organization),
        generated_on=report.approved_on,
        published_on=published_on,
        file_title=f"{report.title}.pdf",
        file_bytes=report_pdf_bytes(report),
        file_sha256=report.pdf_sha256,
        user=user,
        change_reason=_("发布年度报告")
        if old is None
        else _("更正并取代 %(index)s") % {"index": old.index_number},
        publisher=old.publisher if old is not None else "",
    )
    if old is not None:
        if old.repealed_on is None:
            old.repealed_on = published_on
            old._history_user = user
            old._change_reason = _("已修订：被更正版本 %(index)s 取代") % {
                "index": item.index_number
            }
            old.full_clean()
            old.save()
    return item


def disclosure_attachment_bytes(attachment: DisclosureAttachment) -> bytes:
    """The attachment's content, verified against its recorded SHA-256 when it has one.

    Raises TamperedFileError if the file changed since it was published."""
    with attachment.file.open("rb") as handle:
        data = handle.read()
    if attachment.sha256 and sha256_hex(data) != attachment.sha256:
        raise TamperedFileError(
            _("附件“%(title)s”的内容与发布时的 SHA-256 不一致，已停止提供。")
            % {"title": attachment.title},
            code="attachment_tampered",
        )
    return data
