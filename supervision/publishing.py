"""Publishing an honorary-citizen notice (公示) after its secrecy review.

A notice and its nominees go public only once a reviewer has confirmed "经保密审查，可以公开"
for exactly that content (《政府信息公开条例》第十七条) and every personal-data finding of
its texts is removed or accepted with a reason (《个人信息保护法》). What the public page
shows of a nominee is what the notice rules ask for — name, nationality, employer, post and
contribution — never an identity number or a private contact. Editing a published notice or
its nominees takes it off the public pages until the new content is reviewed and published.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from publication.models import SECRECY_STATEMENT
from publication.review import (
    content_version,
    record_secrecy_review,
    require_publishable,
    scan_all,
)
from supervision.models import HonoraryCitizenNotice, Nominee

# The nominee fields the public page shows (and so the secrecy review covers).
PUBLIC_NOMINEE_FIELDS = ("name", "chinese_name", "nationality", "employer", "post", "contribution")
PUBLISH_PERMISSION = "publication.record_secrecy_review"


def notice_version(notice: HonoraryCitizenNotice) -> str:
    """The version of the notice a review covers: every text the public page shows. The
    notice period is left out: opening or closing a notice early changes no text that a
    secrecy review looks at, so it does not take the notice off the public pages."""
    parts = [
        notice.batch,
        notice.title,
        notice.body,
        notice.contact,
        notice.outcome,
        notice.approved_on,
    ]
    for nominee in notice.nominees.order_by("order", "pk"):
        parts.extend(getattr(nominee, field) for field in PUBLIC_NOMINEE_FIELDS)
    return content_version(*[("" if p is None else str(p)) for p in parts])


def notice_sources(notice: HonoraryCitizenNotice) -> list[str]:
    texts = [notice.title, notice.body, notice.contact, notice.outcome]
    for nominee in notice.nominees.order_by("order", "pk"):
        texts.append(
            "\n".join(str(getattr(nominee, field) or "") for field in PUBLIC_NOMINEE_FIELDS)
        )
    return texts


def notice_findings(notice: HonoraryCitizenNotice):
    return scan_all(notice_sources(notice))


def _save(notice: HonoraryCitizenNotice, *, user, reason: str) -> None:
    notice._history_user = user
    notice._change_reason = reason
    notice.full_clean()
    notice.save()


@transaction.atomic
def notice_record_secrecy_review(
    *, notice: HonoraryCitizenNotice, user, acceptances=(), note: str = ""
):
    """The reviewer confirms "经保密审查，可以公开" for the current content of `notice`."""
    notice = HonoraryCitizenNotice.objects.select_for_update().get(pk=notice.pk)
    version = notice_version(notice)
    review = record_secrecy_review(
        target=notice,
        version=version,
        user=user,
        findings=notice_findings(notice),
        acceptances=acceptances,
        note=note,
    )
    _save(
        notice,
        user=user,
        reason=_("%(statement)s（版本 %(version)s）")
        % {"statement": SECRECY_STATEMENT, "version": version[:12]},
    )
    return review


@transaction.atomic
def notice_publish(*, notice: HonoraryCitizenNotice, user) -> HonoraryCitizenNotice:
    """Put the notice on the public pages. Refused (ValidationError "secrecy_review_missing"
    or "personal_data_unresolved") without a secrecy review of its current content."""
    notice = HonoraryCitizenNotice.objects.select_for_update().get(pk=notice.pk)
    version = notice_version(notice)
    require_publishable(notice, version, notice_sources(notice))
    notice.published_at = timezone.now()
    notice.published_version = version
    _save(notice, user=user, reason=_("公开发布公示"))
    return notice


@transaction.atomic
def notice_review_and_publish(*, notice: HonoraryCitizenNotice, user, acceptances=(), note=""):
    """The reviewer's one step: record the review and publish."""
    notice_record_secrecy_review(notice=notice, user=user, acceptances=acceptances, note=note)
    return notice_publish(notice=notice, user=user)


@transaction.atomic
def notice_withdraw_if_changed(*, notice: HonoraryCitizenNotice, user) -> bool:
    """Take a published notice off the public pages when its content is no longer the
    reviewed version; True when it was withdrawn."""
    notice = HonoraryCitizenNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is None or notice.published_version == notice_version(notice):
        return False
    notice.published_at = None
    notice.published_version = ""
    _save(notice, user=user, reason=_("内容在保密审查后已改动，撤下待重新审查"))
    return True


# --- any change, from any path, takes a published notice off the public pages ----------


def _notice_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.published_at is None:
        return
    if notice_withdraw_if_changed(notice=instance, user=getattr(instance, "_history_user", None)):
        # The caller's copy too, so saving it again cannot put the notice back.
        instance.published_at, instance.published_version = None, ""


def _nominee_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    notice = HonoraryCitizenNotice.objects.filter(
        pk=instance.notice_id, published_at__isnull=False
    ).first()
    if notice is not None:
        notice_withdraw_if_changed(notice=notice, user=getattr(instance, "_history_user", None))


def connect_signals() -> None:
    """The admin, a spreadsheet import or a script editing a published notice or one of its
    nominees withdraw it from the public pages until it is reviewed and published again."""
    post_save.connect(_notice_saved, sender=HonoraryCitizenNotice, dispatch_uid="notice_gate")
    post_save.connect(_nominee_changed, sender=Nominee, dispatch_uid="nominee_gate_save")
    post_delete.connect(_nominee_changed, sender=Nominee, dispatch_uid="nominee_gate_delete")
