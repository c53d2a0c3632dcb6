"""The annual disclosure work report's workflow (《政府信息公开条例》第四十九条、第五十条): every
state change is one action here, shaped like the rule-of-law report's workflow.

Each action checks the user's permission and the report's state in one place
(`work_report_check`), records an audit entry (`DisclosureWorkReportEvent` with user, time and
comment, and a history row with the same user and comment), and performs its side effects.
The admin and the management command call these functions; nothing else changes a report's
status.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                  │                      │                      │
      └────return────────┴──────return──────────┘           correct (new revision)

Who may do what (permissions granted to the roles by accounts.roles):
- draft (`add_disclosureworkreport`), edit and recount (`change_disclosureworkreport`) and
  submit (`submit_disclosureworkreport`): 录入员;
- approve or return (`approve_disclosureworkreport`) and publish
  (`publish_disclosureworkreport`): 审核人 and 管理员. Nobody approves or publishes a report
  they submitted themselves, superusers included (four eyes).

Submission and approval require the tables' checks (勾稽关系, 国办公开办函〔2021〕30号) to hold
and parts 一、五、六 to be written without placeholders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import work_report
from applications.models import DisclosureWorkReport, DisclosureWorkReportEvent
from core.files import read_verified
from core.models import Organization
from disclosure.services import disclosure_publish_document, disclosure_repeal
from publication.metadata import publication_copy
from publication.models import SECRECY_STATEMENT
from publication.review import content_version, record_secrecy_review, scan_all

Status = DisclosureWorkReport.Status
Action = DisclosureWorkReportEvent.Action
PERMISSION = "applications.%s_disclosureworkreport"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change
    permission: str
    # The tables must pass their checks and the text parts be complete.
    complete: bool = False
    # Refused to whoever submitted the report (four eyes), superusers included.
    not_by_submitter: bool = False


TRANSITIONS = {
    Action.RECOUNT: Transition(Action.RECOUNT, (Status.DRAFT,), None, PERMISSION % "change"),
    Action.SUBMIT: Transition(
        Action.SUBMIT, (Status.DRAFT,), Status.SUBMITTED, PERMISSION % "submit", True
    ),
    Action.RETURN: Transition(
        Action.RETURN, (Status.SUBMITTED, Status.APPROVED), Status.DRAFT, PERMISSION % "approve"
    ),
    Action.APPROVE: Transition(
        Action.APPROVE,
        (Status.SUBMITTED,),
        Status.APPROVED,
        PERMISSION % "approve",
        complete=True,
        not_by_submitter=True,
    ),
    Action.PUBLISH: Transition(
        Action.PUBLISH,
        (Status.APPROVED,),
        Status.PUBLISHED,
        PERMISSION % "publish",
        not_by_submitter=True,
    ),
    Action.CORRECT: Transition(Action.CORRECT, (Status.PUBLISHED,), None, PERMISSION % "add"),
}


def work_report_problems(report: DisclosureWorkReport) -> list[str]:
    """Why `report` may not yet be submitted or approved, in Chinese; empty when it may."""
    return work_report.table_problems(report) + work_report.completeness_problems(report)


def work_report_check(
    *, report: DisclosureWorkReport, user, action: str, completeness: bool = True
) -> None:
    """Raise PermissionDenied or ValidationError (Chinese message) unless `user` may perform
    `action` on `report` now. The one place where the workflow's permissions are decided.

    `completeness=False` skips the checks of the content (used to decide which buttons to
    show: the page lists the reasons separately)."""
    transition = TRANSITIONS[action]
    label = Action(action).label
    if user is None or not user.is_authenticated or not user.has_perm(transition.permission):
        raise PermissionDenied(
            _("您没有“%(action)s”政府信息公开工作年度报告的权限。") % {"action": label}
        )
    if report.status not in transition.sources:
        raise ValidationError(
            _("报告当前状态为“%(status)s”，不能%(action)s。")
            % {"status": report.get_status_display(), "action": label},
            code="bad_status",
        )
    if transition.not_by_submitter and report.submitted_by_id == user.pk:
        raise PermissionDenied(
            _("不能%(action)s自己提交的报告，请由其他审核人办理。") % {"action": label}
        )
    if action == Action.CORRECT and DisclosureWorkReport.objects.filter(corrects=report).exists():
        raise ValidationError(
            _("该报告已有更正版本，请在更正版本上继续修改。"), code="already_corrected"
        )
    if transition.complete and completeness:
        problems = work_report_problems(report)
        if problems:
            raise ValidationError(
                [ValidationError(p, code="incomplete") for p in problems], code="incomplete"
            )


def work_report_allowed_actions(*, report: DisclosureWorkReport, user) -> list[str]:
    allowed = []
    for action in TRANSITIONS:
        try:
            work_report_check(report=report, user=user, action=action, completeness=False)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


def _log(*, report, user, action: str, before: str, comment: str) -> DisclosureWorkReportEvent:
    event = DisclosureWorkReportEvent(
        report=report,
        action=action,
        from_status=before,
        to_status=report.status,
        user=user,
        at=timezone.now(),
        comment=comment,
    )
    event._history_user = user
    event.full_clean()
    event.save()
    return event


def _save(report: DisclosureWorkReport, *, user, reason: str) -> None:
    report._history_user = user
    report._change_reason = reason
    report.full_clean()
    report.save()


def _locked(report: DisclosureWorkReport) -> DisclosureWorkReport:
    """Re-read under a row lock: two reviewers clicking at once act one after the other."""
    return DisclosureWorkReport.objects.select_for_update().get(pk=report.pk)


# --- drafting ---------------------------------------------------------------------------------


def work_report_draft(
    *, year: int, organization: Organization | None = None
) -> DisclosureWorkReport:
    """An unsaved draft of `year`'s report from the records: the text skeleton, table 二's
    defaults and the snapshot of tables 三 and 四 (used by the command for a preview)."""
    organization = organization or Organization.objects.current()
    figures = work_report.count_figures(year)
    report = DisclosureWorkReport(
        organization=organization,
        year=year,
        title=work_report.default_title(organization, year),
        figures=figures,
        counted_at=timezone.now(),
        **work_report.draft_texts(organization, year, figures),
        **work_report.active_defaults(organization, year),
    )
    return report


@transaction.atomic
def work_report_create(
    *, year: int, user, organization: Organization | None = None, comment: str = ""
) -> DisclosureWorkReport:
    """A new draft of `year`'s report drafted from the records."""
    if user is None or not user.has_perm(PERMISSION % "add"):
        raise PermissionDenied(_("您没有起草政府信息公开工作年度报告的权限。"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度应在 2000 至 2100 之间。"), code="bad_year")
    if year >= timezone.localdate().year:
        raise ValidationError(_("只能为已结束的年度起草报告。"), code="year_not_over")
    organization = organization or Organization.objects.current()
    if DisclosureWorkReport.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            _("%(year)s年度的政府信息公开工作年度报告已存在，请打开该报告修改。") % {"year": year},
            code="report_exists",
        )
    report = work_report_draft(year=year, organization=organization)
    report.created_by = user
    report.created_at = timezone.now()
    _save(report, user=user, reason=comment or _("由记录生成草稿"))
    _log(report=report, user=user, action=Action.CREATE, before="", comment=comment)
    return report


@transaction.atomic
def work_report_recount(*, report: DisclosureWorkReport, user, comment: str = ""):
    """Take tables 三 and 四 from the records again (a draft only); table 二 and the text
    stay as the office wrote them."""
    report = _locked(report)
    work_report_check(report=report, user=user, action=Action.RECOUNT)
    report.figures = work_report.count_figures(report.year)
    report.counted_at = timezone.now()
    _save(report, user=user, reason=comment or _("按记录重新统计"))
    _log(report=report, user=user, action=Action.RECOUNT, before=report.status, comment=comment)
    return report


# --- the workflow -------------------------------------------------------------------------------


@transaction.atomic
def work_report_submit(*, report: DisclosureWorkReport, user, comment: str = ""):
    report = _locked(report)
    work_report_check(report=report, user=user, action=Action.SUBMIT)
    before = report.status
    report.status = Status.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    _save(report, user=user, reason=comment or _("提交审核"))
    _log(report=report, user=user, action=Action.SUBMIT, before=before, comment=comment)
    return report


@transaction.atomic
def work_report_return(*, report: DisclosureWorkReport, user, comment: str):
    """Back to draft for revision; the comment saying what to change is required."""
    comment = (comment or "").strip()
    report = _locked(report)
    work_report_check(report=report, user=user, action=Action.RETURN)
    if not comment:
        raise ValidationError(_("退回修改时必须填写修改意见。"), code="comment_required")
    before = report.status
    report.status = Status.DRAFT
    # An approval withdrawn takes its frozen PDF with it: the next approval freezes anew.
    report.approved_by, report.approved_on = None, None
    report.pdf, report.pdf_sha256 = "", ""
    _save(report, user=user, reason=comment)
    _log(report=report, user=user, action=Action.RETURN, before=before, comment=comment)
    return report


@transaction.atomic
def work_report_approve(
    *, report: DisclosureWorkReport, user, comment: str = "", on: datetime.date | None = None
):
    """Approve the submitted report and freeze it as a PDF whose SHA-256 is recorded: what is
    approved is exactly what gets published. The 成文日期 of the 落款 is the approval date
    (GB/T 9704-2012 7.3.5.1)."""
    report = _locked(report)
    work_report_check(report=report, user=user, action=Action.APPROVE)
    before = report.status
    report.approved_on = on or timezone.localdate()
    name = f"disclosure-report-{report.organization.org_code}-{report.year}-r{report.revision}.pdf"
    # Frozen as it will be published: without document information or XMP.
    pdf, checksum = publication_copy(work_report.render_pdf(report), name)
    report.status = Status.APPROVED
    report.approved_by = user
    report.pdf_sha256 = checksum
    report.pdf.save(name, ContentFile(pdf), save=False)
    _save(report, user=user, reason=comment or _("审核通过"))
    _log(report=report, user=user, action=Action.APPROVE, before=before, comment=comment)
    return report


def work_report_pdf_bytes(report: DisclosureWorkReport) -> bytes:
    """The frozen PDF of an approved or published report, verified against its SHA-256."""
    if not report.pdf or not report.pdf_sha256:
        raise ValidationError(_("该报告尚未定稿，没有 PDF 文件。"), code="no_pdf")
    return read_verified(
        report.pdf,
        report.pdf_sha256,
        _("报告 PDF 与定稿时记录的 SHA-256 不一致，文件可能已被改动。"),
        code="pdf_tampered",
    )


# --- the secrecy review before publication (《政府信息公开条例》第十七条) ------------------


def work_report_secrecy_version(report: DisclosureWorkReport) -> str:
    """The version a secrecy review covers: the title, the disclosure page's text and the
    frozen PDF's checksum; a new approval (a new PDF) needs a new review."""
    return content_version(report.title, work_report.disclosure_body(report), report.pdf_sha256)


def work_report_publication_sources(report: DisclosureWorkReport) -> list:
    return [
        report.title,
        work_report.disclosure_body(report),
        ContentFile(work_report_pdf_bytes(report), name=f"{report.title}.pdf"),
    ]


def work_report_findings(report: DisclosureWorkReport):
    return scan_all(work_report_publication_sources(report))


@transaction.atomic
def work_report_record_secrecy_review(
    *, report: DisclosureWorkReport, user, acceptances=(), note: str = ""
):
    """The reviewer confirms "经保密审查，可以公开" for the approved version of `report`;
    refused before approval, without the permission, or while a finding is not accepted
    (《个人信息保护法》). Recorded in the report's history and the secrecy review records."""
    report = _locked(report)
    if report.status != Status.APPROVED:
        raise ValidationError(_("报告审核通过（定稿）后才能进行保密审查。"), code="bad_status")
    version = work_report_secrecy_version(report)
    review = record_secrecy_review(
        target=report,
        version=version,
        user=user,
        findings=work_report_findings(report),
        acceptances=acceptances,
        note=note,
    )
    _save(
        report,
        user=user,
        reason=_("%(statement)s（版本 %(version)s）")
        % {"statement": SECRECY_STATEMENT, "version": version[:12]},
    )
    return review


@transaction.atomic
def work_report_publish(
    *, report: DisclosureWorkReport, user, comment: str = "", on: datetime.date | None = None
):
    """Publish the approved report as a disclosure item with a new index number and the
    frozen PDF attached. A correction repeals the item of the revision it corrects."""
    report = _locked(report)
    work_report_check(report=report, user=user, action=Action.PUBLISH)
    published_on = on or timezone.localdate()
    if published_on < report.approved_on:
        raise ValidationError(_("公开日期不能早于审核通过日期。"), code="publish_before_approval")
    before = report.status
    previous = report.corrects
    old = previous.disclosure if previous is not None and previous.disclosure_id else None
    item = disclosure_publish_document(
        organization=report.organization,
        title=report.title,
        summary=report.title,
        body=work_report.disclosure_body(report),
        generated_on=report.approved_on,
        published_on=published_on,
        file_title=f"{report.title}.pdf",
        file_bytes=work_report_pdf_bytes(report),
        file_sha256=report.pdf_sha256,
        secrecy_review_of=(report, work_report_secrecy_version(report)),
        user=user,
        change_reason=_("发布政府信息公开工作年度报告")
        if old is None
        else _("更正并取代 %(index)s") % {"index": old.index_number},
        publisher=old.publisher if old is not None else "",
    )
    if old is not None:
        disclosure_repeal(
            item=old,
            on=published_on,
            user=user,
            reason=_("已修订：被更正版本 %(index)s 取代") % {"index": item.index_number},
        )
    report.disclosure = item
    report.status = Status.PUBLISHED
    report.published_by = user
    report.published_on = published_on
    _save(report, user=user, reason=comment or _("公开发布"))
    _log(
        report=report,
        user=user,
        action=Action.PUBLISH,
        before=before,
        comment=comment or _("索引号 %(index)s") % {"index": item.index_number},
    )
    return report


CORRECTION_COPIED = (
    "title",
    "overview",
    "problems",
    "other_matters",
    *work_report.ACTIVE_FIELDS,
    "information_fees",
    "figures",
    "counted_at",
)


@transaction.atomic
def work_report_start_correction(*, report: DisclosureWorkReport, user, comment: str):
    """A published report never changes: a correction is a new revision, a draft holding a
    copy of the published report, which goes through review and publication again."""
    comment = (comment or "").strip()
    report = _locked(report)
    work_report_check(report=report, user=user, action=Action.CORRECT)
    if not comment:
        raise ValidationError(_("发起更正时必须说明更正原因。"), code="comment_required")
    revision = DisclosureWorkReport(
        organization=report.organization,
        year=report.year,
        revision=report.revision + 1,
        corrects=report,
        created_by=user,
        created_at=timezone.now(),
        **{field: getattr(report, field) for field in CORRECTION_COPIED},
    )
    _save(revision, user=user, reason=comment)
    _log(report=report, user=user, action=Action.CORRECT, before=report.status, comment=comment)
    _log(report=revision, user=user, action=Action.CREATE, before="", comment=comment)
    return revision
