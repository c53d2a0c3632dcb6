"""Citizens' comments on honorary-citizen notices: submission, rate limit and moderation.

A comment enters a queue as "pending" and appears on the public page only once a reviewer
accepts it; name and contact are never shown publicly (个人信息保护法). The admin actions, the
public form and the tests all go through these functions, so permission checks, history and
the rules about which status may follow which live in this one module.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.http import client_ip
from core.publiccontent import public_content_changed
from supervision.models import HonoraryCitizenNotice, Nominee, NoticeComment

MODERATE_PERMISSION = "supervision.change_noticecomment"


def rate_limit() -> tuple[int, int]:
    """(submissions allowed, window in seconds) per source address."""
    return (
        settings.FAO_COMMENT_RATE_LIMIT,
        settings.FAO_COMMENT_RATE_WINDOW,
    )


class RateLimited(ValidationError):
    pass


def client_hash(request) -> str:
    """A keyed hash of the sender's address: enough to count submissions, useless to anyone
    reading the database for the address itself (the raw address is never stored)."""
    # Behind a reverse proxy the proxy's own address would make every citizen one sender:
    # `client_ip` reads the proxy's header when one is configured.
    address = client_ip(request) or ""
    return salted_hmac("supervision.notice-comment", address, algorithm="sha256").hexdigest()


def _check_rate(source: str) -> None:
    limit, window = rate_limit()
    key = f"supervision:comment-rate:{source}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        attempts = 1
    # The cache is per process under several workers; the stored rows are the shared truth.
    since = timezone.now() - datetime.timedelta(seconds=window)
    stored = NoticeComment.objects.filter(client_hash=source, submitted_at__gte=since).count()
    if attempts > limit or stored >= limit:
        raise RateLimited(
            _("提交过于频繁：同一来源 %(minutes)s 分钟内最多提交 %(limit)s 条意见，请稍后再试。"),
            code="rate_limited",
            params={"minutes": window // 60, "limit": limit},
        )


def notice_closed_message(notice: HonoraryCitizenNotice, today: datetime.date) -> str:
    if today < notice.notice_start:
        return gettext("公示尚未开始（%(start)s 开始），暂不受理意见。") % {
            "start": notice.notice_start.isoformat()
        }
    return gettext("公示已于 %(end)s 结束，不再受理意见。") % {"end": notice.notice_end.isoformat()}


@transaction.atomic
def notice_comment_submit(
    *,
    notice: HonoraryCitizenNotice,
    content: str,
    source: str,
    nominee: Nominee | None = None,
    name: str = "",
    contact: str = "",
    today: datetime.date | None = None,
) -> NoticeComment:
    """Queue a citizen's comment for moderation; refuses closed notices and floods."""
    today = today or timezone.localdate()
    if not notice.is_open(today):
        raise ValidationError(notice_closed_message(notice, today), code="notice_closed")
    if nominee is not None and nominee.notice_id != notice.pk:
        raise ValidationError(_("请选择本批公示中的候选人。"), code="nominee_mismatch")
    _check_rate(source)
    comment = NoticeComment(
        notice=notice,
        nominee=nominee,
        content=content,
        name=name,
        contact=contact,
        client_hash=source,
        status=NoticeComment.Status.PENDING,
    )
    comment.full_clean()
    comment._change_reason = "公众提交意见"
    comment.save()
    return comment


def can_moderate(user: AbstractBaseUser | None) -> bool:
    return bool(user and user.is_active and user.has_perm(MODERATE_PERMISSION))


def _require_moderator(reviewer) -> None:
    if not can_moderate(reviewer):
        raise PermissionDenied(gettext("您没有审核公示意见的权限。"))


def _decide(
    *, comment: NoticeComment, reviewer, status: str, reply: str, reason: str
) -> NoticeComment:
    _require_moderator(reviewer)
    # Lock the row: two reviewers clicking at once must not both decide.
    comment = NoticeComment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != NoticeComment.Status.PENDING:
        raise ValidationError(
            _("该意见已处理（%(status)s），不能重复审核。"),
            code="already_moderated",
            params={"status": comment.get_status_display()},
        )
    comment.status = status
    comment.reply = reply.strip()
    comment.handled_by = reviewer
    comment.handled_at = timezone.now()
    comment.full_clean()
    comment._history_user = reviewer
    comment._change_reason = reason
    comment.save()
    # An accepted comment appears on the notice's public page.
    public_content_changed()
    return comment


@transaction.atomic
def notice_comment_accept(*, comment: NoticeComment, reviewer, reply: str = "") -> NoticeComment:
    """Publish the comment (content and reply only) on the notice page."""
    return _decide(
        comment=comment,
        reviewer=reviewer,
        status=NoticeComment.Status.ACCEPTED,
        reply=reply,
        reason="审核采纳并公开",
    )


@transaction.atomic
def notice_comment_reject(*, comment: NoticeComment, reviewer, reply: str = "") -> NoticeComment:
    """Keep the comment out of public view (spam, abuse, off-topic)."""
    return _decide(
        comment=comment,
        reviewer=reviewer,
        status=NoticeComment.Status.REJECTED,
        reply=reply,
        reason="审核不予公开",
    )


@transaction.atomic
def notice_comment_mark_handled(*, comment: NoticeComment, reviewer, reply: str) -> NoticeComment:
    """Record that an objection was looked into and answered; the reply is required."""
    _require_moderator(reviewer)
    if not reply.strip():
        raise ValidationError(_("标记为已办理时必须填写答复。"), code="reply_required")
    return _decide(
        comment=comment,
        reviewer=reviewer,
        status=NoticeComment.Status.HANDLED,
        reply=reply,
        reason="已办理并答复",
    )
