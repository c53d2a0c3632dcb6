"""Disclosure services: index numbers without gaps or duplicates, publishing a document as a
disclosure item with its file attached and fingerprinted, and repealing an item.

The API is neutral: callers (the annual report, later other publications) hand over a title,
a body, a file and its checksum; this app knows nothing of what they are.

Nothing is published without the secrecy review of 《政府信息公开条例》第十七条 and without
every personal-data finding removed or accepted (《个人信息保护法》): the caller names the
record whose review covers what is published (`secrecy_review_of=(record, version)`), and
`disclosure_publish_document` checks it, scans the body and the file again, and stores the
file without its metadata, its checksum taken after stripping. An item edited in the admin
goes through `disclosure_item_require_publishable` (the same gate, the item itself being the
reviewed record)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.files import TamperedFileError, read_verified, sha256_hex
from core.models import Organization
from core.publiccontent import public_content_changed
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter
from publication.metadata import publication_copy
from publication.models import SECRECY_STATEMENT
from publication.review import (
    content_version,
    record_secrecy_review,
    require_publishable,
    scan_all,
)


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
    secrecy_review_of: tuple,
    category: str = DisclosureItem.Category.OTHER,
    user=None,
    change_reason: str = "",
    publisher: str = "",
) -> DisclosureItem:
    """A proactively disclosed item with a newly allocated index number and its file.
    发布机构 is the office's full name unless `publisher` says otherwise (a revision keeps the
    spelling of the item it revises).

    `secrecy_review_of`: (record, version) whose secrecy review covers this publication
    (《政府信息公开条例》第十七条); refused (ValidationError "secrecy_review_missing" or
    "personal_data_unresolved") without it. The file is published without its metadata and
    its checksum is that of the published copy."""
    if sha256_hex(file_bytes) != file_sha256:
        raise TamperedFileError(
            _("待发布文件与定稿时记录的 SHA-256 不一致，已停止发布。"), code="pdf_tampered"
        )
    reviewed, version = secrecy_review_of
    require_publishable(
        reviewed, version, [title, summary, body, ContentFile(file_bytes, name=file_title)]
    )
    file_bytes, file_sha256 = publication_copy(file_bytes, file_title)
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
        status=DisclosureItem.Status.PUBLISHED,
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
    item.repeal_reason = reason[:200]
    item.repealed_by = user if getattr(user, "pk", None) else None
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


# --- the secrecy review of an item published in the admin (《政府信息公开条例》第十七条) -----


def disclosure_item_version(item: DisclosureItem) -> str:
    """The version of `item` a secrecy review covers: what the public page and the files
    show (title, document number, publisher, summary, body, each attachment's title and
    checksum). Any change is a new version needing a new review."""
    attachments = [(a.title, a.sha256) for a in item.attachments.order_by("pk")]
    return content_version(
        item.title,
        item.document_number,
        item.publisher,
        item.summary,
        item.body,
        *[part for pair in attachments for part in pair],
    )


def disclosure_item_sources(item: DisclosureItem) -> list:
    """What the personal-data scan reads for `item`: its texts and its attached files."""
    return [
        item.title,
        item.summary,
        item.body,
        *[a.file for a in item.attachments.order_by("pk") if a.file],
    ]


def disclosure_item_strip_attachments(item: DisclosureItem, *, user=None) -> None:
    """Replace each attachment by its copy without metadata (publication_copy) and record
    the checksum of that copy. Refuses (ValidationError) a Word file with tracked changes or
    comments. Call before the secrecy review, so the reviewed version is the published one."""
    for attachment in item.attachments.order_by("pk"):
        if not attachment.file:
            continue
        with attachment.file.open("rb") as handle:
            data = handle.read()
        name = attachment.file.name.rsplit("/", 1)[-1]
        cleaned, checksum = publication_copy(data, name)
        if checksum == attachment.sha256 and cleaned == data:
            continue
        attachment.file.save(name, ContentFile(cleaned), save=False)
        attachment.sha256 = checksum
        attachment._history_user = user
        attachment._change_reason = _("发布前去除文件元数据")
        attachment.save()


def disclosure_item_require_publishable(item: DisclosureItem):
    """The gate for an item published from the admin or by the item's review workflow: a
    secrecy review of exactly the current version of `item`, and a fresh scan of its texts
    and files with every finding accepted. Returns the review; raises ValidationError
    ("secrecy_review_missing" or "personal_data_unresolved", Chinese message)."""
    return require_publishable(item, disclosure_item_version(item), disclosure_item_sources(item))


def disclosure_item_findings(item: DisclosureItem):
    return scan_all(disclosure_item_sources(item))


@transaction.atomic
def disclosure_item_record_secrecy_review(
    *, item: DisclosureItem, user, acceptances=(), note: str = ""
):
    """The reviewer confirms "经保密审查，可以公开" for the current version of `item`: its
    attachments are first replaced by their copies without metadata (so the reviewed
    version is the published one), then scanned with its texts; refused while a finding is
    not accepted. Recorded in the item's history and the secrecy review records."""
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    disclosure_item_strip_attachments(item, user=user)
    version = disclosure_item_version(item)
    review = record_secrecy_review(
        target=item,
        version=version,
        user=user,
        findings=disclosure_item_findings(item),
        acceptances=acceptances,
        note=note,
    )
    item._history_user = user
    item._change_reason = _("%(statement)s（版本 %(version)s）") % {
        "statement": SECRECY_STATEMENT,
        "version": version[:12],
    }
    item.full_clean()
    item.save()
    return review


# --- The item workflow ----------------------------------------------------------------------
#
#     draft ──submit──▶ submitted ──publish (审核通过并发布)──▶ published
#       ▲                   │                                    │
#       └──────return───────┘                     revise (new draft) / repeal
#
# Nothing is published without review (《政府信息公开条例》第十七条): data entry drafts and
# submits, the reviewer approves and publishes in one step, and nobody publishes an item they
# submitted, superusers included. A published item is never edited in place: a correction is
# a new revision which, once published, marks the old item 已修订 and links to it
# (国办发〔2017〕47号). The index number is allocated at publication, never typed.


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change
    permission: str


Status = DisclosureItem.Status

SUBMIT, RETURN, PUBLISH, REVISE, REPEAL = "submit", "return", "publish", "revise", "repeal"

TRANSITIONS = {
    SUBMIT: Transition(
        SUBMIT,
        gettext_lazy("提交审核"),
        (Status.DRAFT,),
        Status.SUBMITTED,
        "disclosure.submit_disclosureitem",
    ),
    RETURN: Transition(
        RETURN,
        gettext_lazy("退回"),
        (Status.SUBMITTED,),
        Status.DRAFT,
        "disclosure.publish_disclosureitem",
    ),
    PUBLISH: Transition(
        PUBLISH,
        gettext_lazy("审核通过并发布"),
        (Status.SUBMITTED,),
        Status.PUBLISHED,
        "disclosure.publish_disclosureitem",
    ),
    REVISE: Transition(
        REVISE,
        gettext_lazy("发起修订"),
        (Status.PUBLISHED,),
        None,
        "disclosure.add_disclosureitem",
    ),
    REPEAL: Transition(
        REPEAL,
        gettext_lazy("废止"),
        (Status.PUBLISHED,),
        None,
        "disclosure.publish_disclosureitem",
    ),
}


def disclosure_check(*, item: DisclosureItem, user, action: str) -> None:
    """Raise PermissionDenied or ValidationError (Chinese message) unless `user` may perform
    `action` on `item` now. The one place where the item workflow's permissions are decided."""
    transition = TRANSITIONS[action]
    if user is None or not user.is_authenticated or not user.has_perm(transition.permission):
        raise PermissionDenied(
            _("您没有“%(action)s”政务公开信息的权限。") % {"action": transition.label}
        )
    if item.status not in transition.sources:
        raise ValidationError(
            _("该信息当前状态为“%(status)s”，不能%(action)s。")
            % {"status": item.get_status_display(), "action": transition.label},
            code="bad_status",
        )
    # Separation of duties: nobody publishes what they submitted, superusers included.
    if action == PUBLISH and item.submitted_by_id == user.pk:
        raise PermissionDenied(_("不能审核发布自己提交的信息。"))
    if action == REPEAL and item.repealed_on is not None:
        raise ValidationError(_("该信息已废止。"), code="already_repealed")
    if action == REVISE:
        pending = getattr(item, "superseded_by", None)
        if pending is not None:
            raise ValidationError(
                _("该信息已有修订版本，请在修订版本上继续。"), code="already_revised"
            )


def disclosure_allowed_actions(*, item: DisclosureItem, user) -> list[str]:
    allowed = []
    for action in TRANSITIONS:
        try:
            disclosure_check(item=item, user=user, action=action)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


def disclosure_policy_warnings(item: DisclosureItem) -> list[str]:
    """Warnings (not refusals) for the reviewer: a policy document without its 政策解读
    (国办发〔2017〕47号: policy and interpretation are published together)."""
    if item.is_policy and item.interpretation_id is None:
        return [_("该政策文件尚未关联政策解读。按照国办发〔2017〕47号，政策文件与解读应同步发布。")]
    return []


def _save(item: DisclosureItem, user, reason: str) -> None:
    item._history_user = user
    item._change_reason = reason
    item.full_clean()
    item.save()


@transaction.atomic
def disclosure_submit(*, item: DisclosureItem, user, comment: str = "") -> DisclosureItem:
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    disclosure_check(item=item, user=user, action=SUBMIT)
    item.status = Status.SUBMITTED
    item.submitted_by = user
    item.submitted_at = timezone.now()
    _save(item, user, comment or _("提交审核"))
    return item


@transaction.atomic
def disclosure_return(*, item: DisclosureItem, user, comment: str) -> DisclosureItem:
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    disclosure_check(item=item, user=user, action=RETURN)
    if not comment.strip():
        raise ValidationError(_("退回时请填写理由。"), code="comment_required")
    item.status = Status.DRAFT
    _save(item, user, _("退回：%(comment)s") % {"comment": comment})
    return item


@transaction.atomic
def disclosure_approve_publish(
    *, item: DisclosureItem, user, on: datetime.date | None = None, comment: str = ""
) -> DisclosureItem:
    """Approve and publish a submitted item: the index number is allocated now (gap-free, in
    this transaction); a revision marks the item it replaces 已修订 from the same day."""
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    disclosure_check(item=item, user=user, action=PUBLISH)
    # Nothing goes out without the secrecy review of exactly this version and every
    # personal-data finding removed or accepted (《政府信息公开条例》第十七条).
    disclosure_item_require_publishable(item)
    on = on or timezone.localdate()
    if not item.index_number:
        item.index_number, item.index_serial = disclosure_allocate_index_number(
            organization=item.organization, year=on.year, user=user
        )
        item.index_year = on.year
    item.status = Status.PUBLISHED
    item.published_on = max(on, item.generated_on)
    item.published_by = user
    _save(item, user, comment or _("审核通过并发布"))
    if item.supersedes_id:
        old = DisclosureItem.objects.select_for_update().get(pk=item.supersedes_id)
        old.revised_on = item.published_on
        _save(old, user, _("已修订，现行版本：%(number)s") % {"number": item.index_number})
    return item


@transaction.atomic
def disclosure_start_revision(*, item: DisclosureItem, user) -> DisclosureItem:
    """A new draft copying the published `item`, linked to it; the old item stays as it is
    until the revision is published."""
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    disclosure_check(item=item, user=user, action=REVISE)
    revision = DisclosureItem(
        organization=item.organization,
        title=item.title,
        category=item.category,
        method=item.method,
        document_number=item.document_number,
        publisher=item.publisher,
        generated_on=timezone.localdate(),
        expires_on=item.expires_on,
        interpretation=item.interpretation,
        summary=item.summary,
        body=item.body,
        supersedes=item,
    )
    _save(revision, user, _("修订 %(number)s") % {"number": item.index_number})
    return revision


def disclosure_repeal_checked(
    *, item: DisclosureItem, user, on: datetime.date, reason: str
) -> DisclosureItem:
    """Repeal from the admin: the reviewer's permission and a reason are required."""
    disclosure_check(item=item, user=user, action=REPEAL)
    if not reason.strip():
        raise ValidationError(_("废止时请填写理由。"), code="comment_required")
    return disclosure_repeal(item=item, on=on, reason=reason, user=user)
