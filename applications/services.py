"""Handling an application for disclosure, one function per step (《政府信息公开条例》
第二十七条至第四十五条). The admin, the public form and the tests all go through these
functions: each checks the step is allowed now, saves the application with its history
(user and reason) and writes a `RequestEvent`, then recomputes the answer deadline from the
working-day calendar.

The reply is released to the applicant (送达) only after the secrecy review of
《政府信息公开条例》第十七条: a reviewer confirms "经保密审查，可以公开" for the decision and its
reasons (`record_reply_secrecy_review`), and the personal-data scan of what the office wrote
finds nothing that is not accepted with a reason (《个人信息保护法》; information about a third
party is disclosed only as 第三十二条 allows). The applicant's own particulars (their name as
addressee, the words of their request) go back only to them and are not scanned.
"""

import datetime
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.letters import decision_paragraph
from applications.models import (
    ANSWER_DAYS,
    MAX_EXTENSION_DAYS,
    THIRD_PARTY_DAYS,
    Consultation,
    InformationRequest,
    Outcome,
    Remedy,
    RequestEvent,
)
from core.http import client_ip
from publication.models import SECRECY_STATEMENT
from publication.review import (
    content_version,
    record_secrecy_review,
    require_publishable,
    scan_all,
)
from workdays.calendar import (
    Deadline,
    Pause,
    UnknownYear,
    WorkingCalendar,
    add_working_days,
    compute_deadline,
)
from workdays.services import working_calendar

logger = logging.getLogger(__name__)

Status = InformationRequest.Status
Action = RequestEvent.Action

HANDLE_PERMISSION = "applications.handle_informationrequest"
APPROVE_EXTENSION_PERMISSION = "applications.approve_extension"
DECIDE_PERMISSION = "applications.decide_informationrequest"

CORRECTION_NOTICE_DAYS = 7  # 第三十条
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class RateLimited(ValidationError):
    pass


def can_handle(user) -> bool:
    return bool(user and user.is_active and user.has_perm(HANDLE_PERMISSION))


def _require(user, perm: str, message: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)


def _require_handler(user) -> None:
    _require(user, HANDLE_PERMISSION, gettext("您没有办理政府信息公开申请的权限。"))


def new_tracking_code() -> str:
    while True:
        code = "YSQ-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not InformationRequest.objects.filter(tracking_code=code).exists():
            return code


# --- deadlines -------------------------------------------------------------------------


def deadline_of(req: InformationRequest, calendar: WorkingCalendar | None = None) -> Deadline:
    """The answer deadline and its explanation (received, 补正, paused days, extension)."""
    calendar = calendar or working_calendar()
    consultations = req.consultations.all() if req.pk else []
    pauses = [Pause(str(c.get_kind_display()), c.started_on, c.ended_on) for c in consultations]
    return compute_deadline(
        calendar,
        received_on=req.received_on,
        base_days=ANSWER_DAYS,
        correction_requested_on=req.correction_requested_on,
        correction_received_on=req.correction_received_on,
        pauses=pauses,
        extension_days=req.extension_days if req.extension_approved_on else 0,
    )


def explain_deadline(req: InformationRequest) -> tuple[Deadline | None, str]:
    """(deadline, message); the message names a missing calendar year instead of failing."""
    try:
        return deadline_of(req), ""
    except UnknownYear as exc:
        return None, str(exc)


def _recompute(req: InformationRequest) -> str:
    """Set `due_on` from the calendar; returns a warning when the calendar lacks a year."""
    try:
        req.due_on = deadline_of(req).due_on
    except UnknownYear as exc:
        req.due_on = None
        return str(exc)
    return ""


def _save(
    req: InformationRequest,
    *,
    user,
    action: str,
    on: datetime.date,
    note: str = "",
    recompute: bool = True,
) -> RequestEvent:
    before = req.due_on
    warning = _recompute(req) if recompute else ""
    req.full_clean()
    req._history_user = user
    req._change_reason = str(RequestEvent.Action(action).label)
    req.save()
    return RequestEvent.objects.create(
        request=req,
        action=action,
        on=on,
        user=user,
        note="\n".join(str(part) for part in (note, warning) if part),
        due_before=before,
        due_after=req.due_on,
    )


def _require_status(req: InformationRequest, *statuses: str) -> None:
    if req.status not in statuses:
        raise ValidationError(
            gettext("申请当前状态为“%(status)s”，不能办理这一步。")
            % {"status": req.get_status_display()},
            code="wrong_status",
        )


def _not_before(on: datetime.date, earlier: datetime.date | None, what: str) -> None:
    if earlier is not None and on < earlier:
        raise ValidationError(
            gettext("日期不能早于%(what)s（%(date)s）。") % {"what": what, "date": earlier},
            code="date_order",
        )


# --- receipt ---------------------------------------------------------------------------


def rate_limit() -> tuple[int, int]:
    return (
        settings.FAO_REQUEST_RATE_LIMIT,
        settings.FAO_REQUEST_RATE_WINDOW,
    )


def client_hash(request) -> str:
    """A keyed hash of the sender's address (the address itself is never stored)."""
    address = client_ip(request) or ""
    return salted_hmac("applications.request", address, algorithm="sha256").hexdigest()


def _check_rate(source: str) -> None:
    limit, window = rate_limit()
    key = f"applications:request-rate:{source}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        attempts = 1
    since = timezone.now() - datetime.timedelta(seconds=window)
    stored = InformationRequest.objects.filter(client_hash=source, submitted_at__gte=since).count()
    if attempts > limit or stored >= limit:
        raise RateLimited(
            _("提交过于频繁：同一来源 %(minutes)s 分钟内最多提交 %(limit)s 件申请，请稍后再试。"),
            code="rate_limited",
            params={"minutes": window // 60, "limit": limit},
        )


APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_document",
    "contact_person",
    "phone",
    "email",
    "address",
    "description",
    "delivery_form",
)


@transaction.atomic
def submit_online(*, data: dict, source: str) -> InformationRequest:
    """An application sent through the public form. It counts as received only when the
    office confirms receipt (第三十一条第三项), so it has no deadline yet."""
    _check_rate(source)
    req = InformationRequest(
        **{name: data.get(name, "") for name in APPLICANT_FIELDS},
        channel=InformationRequest.Channel.ONLINE,
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
        client_hash=source,
        tracking_code=new_tracking_code(),
    )
    _save(req, user=None, action=Action.SUBMIT, on=timezone.localdate(), recompute=False)
    return req


@transaction.atomic
def register(*, user, data: dict, channel: str, received_on: datetime.date) -> InformationRequest:
    """An application received in person or by post, registered by staff. `received_on` is
    the day handed in, or the day the post was signed for (第三十一条)."""
    req = InformationRequest(
        **{name: data.get(name, "") for name in APPLICANT_FIELDS},
        channel=channel,
        received_on=received_on,
        status=Status.REGISTERED,
        tracking_code=new_tracking_code(),
    )
    register_instance(req, user=user)
    return req


def register_instance(req: InformationRequest, *, user) -> None:
    """Save a new application registered by staff (the admin's add form comes here)."""
    _require_handler(user)
    if req.received_on is None:
        raise ValidationError(gettext("请填写收到申请日期。"), code="received_on")
    _save(req, user=user, action=Action.REGISTER, on=req.received_on)


@transaction.atomic
def confirm_receipt(req: InformationRequest, *, user, received_on: datetime.date) -> None:
    """Confirm an online application; the confirmation day is the receipt day (第三十一条)."""
    _require_handler(user)
    _require_status(req, Status.SUBMITTED)
    if req.submitted_at:
        _not_before(received_on, timezone.localdate(req.submitted_at), gettext("在线提交日期"))
    req.received_on = received_on
    req.status = Status.REGISTERED
    _save(req, user=user, action=Action.REGISTER, on=received_on)


# --- 补正 (第三十条) -------------------------------------------------------------------


@transaction.atomic
def request_correction(
    req: InformationRequest,
    *,
    user,
    on: datetime.date,
    items: str,
    due_on: datetime.date | None = None,
) -> None:
    """One 补正 notice listing everything needed; the answer period stops until the completed
    application arrives and then runs again from its receipt (第三十条)."""
    _require_handler(user)
    if req.correction_requested_on is not None:
        raise ValidationError(
            gettext("补正通知只能发出一次，并应一次性告知需要补正的全部事项（第三十条）。"),
            code="correction_once",
        )
    _require_status(req, Status.REGISTERED)
    if not items.strip():
        raise ValidationError(gettext("请列明需要补正的事项。"), code="correction_items")
    _not_before(on, req.received_on, gettext("收到申请日期"))
    req.correction_requested_on = on
    req.correction_items = items
    req.correction_due_on = due_on
    req.status = Status.CORRECTION
    note = items
    try:
        latest = _add(req.received_on, CORRECTION_NOTICE_DAYS)
    except UnknownYear:
        latest = None
    if latest is not None and on > latest:
        # Recorded, not refused: the notice is still owed to the applicant.
        note += "\n" + gettext(
            "注意：补正通知应在收到申请之日起 %(days)s 个工作日内发出（%(latest)s 前，第三十条）。"
        ) % {"days": CORRECTION_NOTICE_DAYS, "latest": latest.isoformat()}
    _save(req, user=user, action=Action.CORRECTION_REQUEST, on=on, note=note)


@transaction.atomic
def receive_correction(req: InformationRequest, *, user, on: datetime.date) -> None:
    _require_handler(user)
    _require_status(req, Status.CORRECTION)
    _not_before(on, req.correction_requested_on, gettext("补正通知日期"))
    req.correction_received_on = on
    req.status = Status.REGISTERED
    _save(req, user=user, action=Action.CORRECTION_RECEIVED, on=on)


# --- consultation (第三十二条) ---------------------------------------------------------


@transaction.atomic
def start_consultation(
    req: InformationRequest, *, user, kind: str, party: str, on: datetime.date
) -> Consultation:
    """Consult a third party (who has 15 working days to answer) or another agency; the time
    is not counted in the answer period (第三十二条)."""
    _require_handler(user)
    _require_status(req, Status.REGISTERED)
    _not_before(on, req.correction_received_on or req.received_on, gettext("收到申请日期"))
    reply_due = None
    if kind == Consultation.Kind.THIRD_PARTY:
        try:
            reply_due = _add(on, THIRD_PARTY_DAYS)
        except UnknownYear:
            reply_due = None
    consultation = Consultation(
        request=req, kind=kind, party=party, started_on=on, reply_due_on=reply_due
    )
    consultation.full_clean()
    consultation._history_user = user
    consultation.save()
    req.status = Status.CONSULTATION
    _save(
        req,
        user=user,
        action=Action.CONSULTATION_START,
        on=on,
        note=f"{consultation.get_kind_display()}：{party}",
    )
    return consultation


def _add(start: datetime.date, n: int) -> datetime.date:
    return add_working_days(start, n, working_calendar())


@transaction.atomic
def end_consultation(
    consultation: Consultation, *, user, on: datetime.date, opinion: str = ""
) -> None:
    req = consultation.request
    _require_handler(user)
    _require_status(req, Status.CONSULTATION)
    if consultation.ended_on is not None:
        raise ValidationError(gettext("该征求意见已结束。"), code="consultation_ended")
    _not_before(on, consultation.started_on, gettext("发出征求意见日期"))
    consultation.ended_on = on
    consultation.opinion = opinion
    consultation._history_user = user
    consultation.full_clean()
    consultation.save()
    if not req.consultations.filter(ended_on__isnull=True).exists():
        req.status = Status.REGISTERED
    _save(req, user=user, action=Action.CONSULTATION_END, on=on, note=opinion)


# --- extension (第三十三条第二款) ------------------------------------------------------


@transaction.atomic
def request_extension(
    req: InformationRequest, *, user, days: int, reason: str, on: datetime.date
) -> None:
    """Ask for the one extension (at most 20 working days); a reviewer approves it."""
    _require_handler(user)
    _require_status(req, Status.REGISTERED, Status.CONSULTATION)
    if req.extension_requested_by_id is not None:
        raise ValidationError(
            gettext("答复期限只能延长一次（第三十三条第二款）。"), code="extension_once"
        )
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            gettext("延长期限最长不超过 %(max)s 个工作日（第三十三条第二款）。")
            % {"max": MAX_EXTENSION_DAYS},
            code="extension_days",
        )
    if not reason.strip():
        raise ValidationError(gettext("请说明延长理由。"), code="extension_reason")
    req.extension_days = days
    req.extension_reason = reason
    req.extension_requested_by = user
    _save(req, user=user, action=Action.EXTENSION_REQUEST, on=on, note=reason)


@transaction.atomic
def approve_extension(
    req: InformationRequest,
    *,
    user,
    on: datetime.date,
    notified_on: datetime.date | None = None,
) -> None:
    """Approve the extension: a reviewer other than the one who asked, before the deadline;
    the applicant is told (第三十三条第二款)."""
    _require(user, APPROVE_EXTENSION_PERMISSION, gettext("您没有批准延长答复期限的权限。"))
    if req.extension_requested_by_id is None or req.extension_approved_on is not None:
        raise ValidationError(gettext("没有待批准的延长申请。"), code="no_extension")
    if req.extension_requested_by_id == user.pk:
        raise PermissionDenied(gettext("延长申请须由申请人以外的审核人批准。"))
    if req.due_on is not None and on > req.due_on:
        raise ValidationError(
            gettext("答复期限已于 %(due)s 届满，不能再延长。") % {"due": req.due_on},
            code="extension_late",
        )
    req.extension_approved_by = user
    req.extension_approved_on = on
    req.extension_notified_on = notified_on
    _save(req, user=user, action=Action.EXTENSION_APPROVE, on=on, note=req.extension_reason)


# --- the answer (第三十六条) -----------------------------------------------------------


@transaction.atomic
def decide(req: InformationRequest, *, user, outcome: str, basis: str, on: datetime.date) -> None:
    """The answer, in exactly the categories of the national statistics, with its legal basis.
    An application whose 补正 never came is closed as 其他处理 (第三十条)."""
    _require(user, DECIDE_PERMISSION, gettext("您没有作出答复决定的权限。"))
    if outcome not in Outcome.values:
        raise ValidationError(gettext("没有这个办理结果。"), code="outcome")
    if outcome == Outcome.OTHER_NO_CORRECTION:
        _require_status(req, Status.CORRECTION)
    else:
        _require_status(req, Status.REGISTERED)
    if not basis.strip():
        raise ValidationError(gettext("请写明答复的法律依据和理由。"), code="basis")
    _not_before(on, req.correction_received_on or req.received_on, gettext("收到申请日期"))
    req.outcome = outcome
    req.decision_basis = basis
    req.decided_on = on
    req.decided_by = user
    req.status = Status.DECIDED
    _save(req, user=user, action=Action.DECIDE, on=on, note=Outcome(outcome).label)


@transaction.atomic
def record_reply_letter(req: InformationRequest, *, user, on: datetime.date) -> None:
    _require_handler(user)
    _require_status(req, Status.DECIDED)
    _not_before(on, req.decided_on, gettext("答复日期"))
    req.reply_letter_on = on
    _save(req, user=user, action=Action.REPLY_LETTER, on=on, recompute=False)


# --- the secrecy review of the reply (第十七条) ---------------------------------------------


def reply_version(req: InformationRequest) -> str:
    """The version of the reply a secrecy review covers: the decision, its legal basis and
    reasons and the date decided. A changed decision needs a new review."""
    return content_version(req.tracking_code, req.outcome, req.decision_basis, req.decided_on)


def reply_sources(req: InformationRequest) -> list[str]:
    """What the office writes in the reply, for the personal-data scan."""
    return [decision_paragraph(req), req.decision_basis]


def reply_findings(req: InformationRequest):
    return scan_all(reply_sources(req))


@transaction.atomic
def record_reply_secrecy_review(req: InformationRequest, *, user, acceptances=(), note: str = ""):
    """The reviewer confirms "经保密审查，可以公开" for the decided reply of `req`."""
    req = InformationRequest.objects.select_for_update().get(pk=req.pk)
    _require_status(req, Status.DECIDED)
    version = reply_version(req)
    review = record_secrecy_review(
        target=req,
        version=version,
        user=user,
        findings=reply_findings(req),
        acceptances=acceptances,
        note=note,
    )
    req._history_user = user
    req._change_reason = gettext("%(statement)s（版本 %(version)s）") % {
        "statement": SECRECY_STATEMENT,
        "version": version[:12],
    }
    req.save()
    return review


@transaction.atomic
def deliver(req: InformationRequest, *, user, on: datetime.date) -> None:
    """Serve the reply on the applicant: refused (ValidationError "secrecy_review_missing" or
    "personal_data_unresolved") without a secrecy review of the decided reply."""
    _require_handler(user)
    _require_status(req, Status.DECIDED)
    _not_before(on, req.reply_letter_on or req.decided_on, gettext("告知书日期"))
    require_publishable(req, reply_version(req), reply_sources(req))
    req.delivered_on = on
    req.status = Status.DELIVERED
    _save(req, user=user, action=Action.DELIVER, on=on, recompute=False)


@transaction.atomic
def close(req: InformationRequest, *, user, on: datetime.date) -> None:
    _require_handler(user)
    _require_status(req, Status.DELIVERED)
    req.closed_on = on
    req.status = Status.CLOSED
    _save(req, user=user, action=Action.CLOSE, on=on, recompute=False)


@transaction.atomic
def record_remedy(
    req: InformationRequest,
    *,
    user,
    kind: str,
    filed_on: datetime.date,
    body: str,
    result: str = Remedy.Result.PENDING,
    concluded_on: datetime.date | None = None,
) -> Remedy:
    """An administrative review (60 days) or lawsuit (6 months) against the reply."""
    _require_handler(user)
    if not req.decided_on:
        raise ValidationError(gettext("尚未作出答复，不能记录复议或诉讼。"), code="no_decision")
    remedy = Remedy(
        request=req,
        kind=kind,
        filed_on=filed_on,
        body=body,
        result=result,
        concluded_on=concluded_on,
    )
    remedy.full_clean()
    remedy._history_user = user
    remedy.save()
    RequestEvent.objects.create(
        request=req, action=Action.REMEDY, on=filed_on, user=user, note=str(remedy)
    )
    return remedy


# --- calendar edits --------------------------------------------------------------------


def recompute_open_deadlines(*, user=None, years: Iterable[int] = ()) -> list[InformationRequest]:
    """Recompute the deadline of every open application after a calendar edit; each change
    is logged and recorded as an event. Returns the applications whose deadline moved."""
    moved = []
    open_requests = InformationRequest.objects.filter(
        status__in=InformationRequest.OPEN_STATUSES, received_on__isnull=False
    ).prefetch_related("consultations")
    calendar = working_calendar()
    for req in open_requests:
        before = req.due_on
        try:
            after = deadline_of(req, calendar).due_on
            warning = ""
        except UnknownYear as exc:
            after, warning = None, str(exc)
        if after == before:
            continue
        with transaction.atomic():
            req.due_on = after
            req._history_user = user
            req._change_reason = str(Action.RECALCULATE.label)
            req.save(update_fields=["due_on"])
            RequestEvent.objects.create(
                request=req,
                action=Action.RECALCULATE,
                on=timezone.localdate(),
                user=user,
                note="\n".join(
                    p
                    for p in (gettext("调整的年度：%(years)s") % {"years": list(years)}, warning)
                    if p
                ),
                due_before=before,
                due_after=after,
            )
        logger.info(
            "deadline recomputed after calendar edit: request=%s before=%s after=%s",
            req.tracking_code,
            before,
            after,
        )
        moved.append(req)
    return moved


def on_calendar_edited(*, years=(), user=None, **kwargs) -> None:
    recompute_open_deadlines(user=user, years=years)


# --- what needs attention --------------------------------------------------------------

DUE_SOON_WORKING_DAYS = 5


def due_soon_limit(today: datetime.date) -> datetime.date:
    """The last day of the "due soon" window: 5 working days after today (a week of
    calendar days when the calendar lacks the year)."""
    try:
        return _add(today, DUE_SOON_WORKING_DAYS)
    except UnknownYear:
        return today + datetime.timedelta(days=7)


def due_soon(today: datetime.date):
    """Open applications due today or within the next 5 working days."""
    return InformationRequest.objects.filter(
        status__in=InformationRequest.OPEN_STATUSES,
        due_on__gte=today,
        due_on__lte=due_soon_limit(today),
    )


def overdue(today: datetime.date):
    """Open applications past their deadline (an approved extension is already in it)."""
    return InformationRequest.objects.filter(
        status__in=InformationRequest.OPEN_STATUSES, due_on__lt=today
    )
