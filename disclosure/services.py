"""Disclosure services: index numbers without gaps or duplicates, publishing a document as a
disclosure item with its file attached and fingerprinted, and repealing an item.

The API is neutral: callers (the annual report, later other publications) hand over a title,
a body, a file and its checksum; this app knows nothing of what they are."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.files import TamperedFileError, read_verified, sha256_hex
from core.models import Organization
from core.publiccontent import public_content_changed
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter


def format_index_number(*, organization: Organization, year: int, serial: int) -> str:
    """`FAO_INDEX_NUMBER_PATTERN`, by default "{org_code}/{year}-{serial:05d}"
    (014109568/2022-00012: organization code / year - five-digit serial)."""
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
    public_content_changed()
    return item


@transaction.atomic
def disclosure_repeal(
    *,
    item: DisclosureItem,
    on: datetime.date,
    reason: str,
    user=None,
) -> DisclosureItem:
    """Mark `item` repealed (废止) from `on`; its page stays, showing the date (国办发〔2017〕47号:
    a revised or repealed document is marked so on its original page). Repealing twice keeps
    the first date."""
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    if item.repealed_on is not None:
        return item
    item.repealed_on = on
    item._history_user = user
    item._change_reason = reason
    item.full_clean()
    item.save()
    public_content_changed()
    return item


def disclosure_attachment_bytes(attachment: DisclosureAttachment) -> bytes:
    """The attachment's content, verified against its recorded SHA-256 when it has one.

    Raises TamperedFileError if the file changed since it was published."""
    return read_verified(
        attachment.file,
        attachment.sha256,
        _("附件“%(title)s”的内容与发布时的 SHA-256 不一致，已停止提供。")
        % {"title": attachment.title},
        code="attachment_tampered",
    )
