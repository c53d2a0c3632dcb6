"""The annual report's workflow: every state change is one action here.

Each action checks the user's permission and the report's state in one place
(`report_check`), records an audit entry (`ReportEvent` with user, time and comment, and a
history row with the same user and comment), and performs its side effects. The admin and
the management command call these functions; nothing else changes a report's status.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                  │                      │                      │
      └────return────────┴──────return──────────┘           correct (new revision)

Who may do what (permissions, granted to the roles by accounts.roles):
- draft (`add_annualreport`), regenerate and edit (`change_annualreport`) and submit
  (`submit_report`): 录入员, data entry;
- approve or return (`approve_report`): 审核人, the reviewer; nobody approves a report they
  submitted themselves (four eyes);
- publish (`publish_report`): the reviewer, once the report is approved, and 管理员;
- start a correction of a published report: `add_annualreport`.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lawbuilding import reports
from lawbuilding.models import AnnualReport, Organization, ReportEvent, ReportSection

Status = AnnualReport.Status
Action = ReportEvent.Action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change
    permission: str


TRANSITIONS = {
    Action.REGENERATE: Transition(
        Action.REGENERATE, (Status.DRAFT,), None, "lawbuilding.change_annualreport"
    ),
    Action.SUBMIT: Transition(
        Action.SUBMIT, (Status.DRAFT,), Status.SUBMITTED, "lawbuilding.submit_report"
    ),
    Action.RETURN: Transition(
        Action.RETURN,
        (Status.SUBMITTED, Status.APPROVED),
        Status.DRAFT,
        "lawbuilding.approve_report",
    ),
    Action.APPROVE: Transition(
        Action.APPROVE, (Status.SUBMITTED,), Status.APPROVED, "lawbuilding.approve_report"
    ),
    Action.PUBLISH: Transition(
        Action.PUBLISH, (Status.APPROVED,), Status.PUBLISHED, "lawbuilding.publish_report"
    ),
    Action.CORRECT: Transition(
        Action.CORRECT, (Status.PUBLISHED,), None, "lawbuilding.add_annualreport"
    ),
}


def report_check(*, report: AnnualReport, user, action: str) -> None:
    """Raise PermissionDenied or ValidationError (Chinese message) unless `user` may perform
    `action` on `report` now. The one place where workflow permissions are decided."""
    transition = TRANSITIONS[action]
    label = Action(action).label
    if user is None or not user.is_authenticated or not user.has_perm(transition.permission):
        raise PermissionDenied(_("您没有“%(action)s”年度报告的权限。") % {"action": label})
    if report.status not in transition.sources:
        raise ValidationError(
            _("报告当前状态为“%(status)s”，不能%(action)s。")
            % {"status": report.get_status_display(), "action": label},
            code="bad_status",
        )
    # Separation of duties (《法治政府建设与责任落实督察工作规定》, review before publication
    # under 《政府信息公开条例》第十七条): nobody approves or publishes a report they submitted,
    # superusers included.
    if action == Action.APPROVE and report.submitted_by_id == user.pk:
        raise PermissionDenied(_("不能审核通过自己提交的报告。"))
    if action == Action.PUBLISH and report.submitted_by_id == user.pk:
        raise PermissionDenied(_("不能公开发布自己提交的报告。"))
    if action == Action.CORRECT and AnnualReport.objects.filter(corrects=report).exists():
        raise ValidationError(
            _("该报告已有更正版本，请在更正版本上继续修改。"), code="already_corrected"
        )


def report_allowed_actions(*, report: AnnualReport, user) -> list[str]:
    allowed = []
    for action in TRANSITIONS:
        try:
            report_check(report=report, user=user, action=action)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


def _log(*, report: AnnualReport, user, action: str, before: str, comment: str) -> ReportEvent:
    event = ReportEvent(
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


def _save(report: AnnualReport, *, user, reason: str) -> None:
    report._history_user = user
    report._change_reason = reason
    report.full_clean()
    report.save()


def _locked(report: AnnualReport) -> AnnualReport:
    """The report re-read under a row lock: two reviewers clicking at once act one after
    the other, and the second sees the first one's result."""
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _add_section(report: AnnualReport, user, **fields) -> ReportSection:
    section = ReportSection(report=report, **fields)
    section._history_user = user
    section.full_clean()
    section.save()
    return section


def _save_sections(report: AnnualReport, drafts: list[reports.SectionDraft], user) -> None:
    for draft in drafts:
        _add_section(
            report,
            user,
            key=draft.key,
            part=draft.part,
            order=draft.order,
            heading=draft.heading,
            body=draft.body,
            included=draft.included,
            generated_heading=draft.heading,
            generated_body=draft.body,
        )


# --- drafting ---------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, year: int, user, organization: Organization | None = None, comment: str = ""
) -> tuple[AnnualReport, list[str]]:
    """A new draft of `year`'s report generated from the records; returns it and the
    generator's warnings (figures not linked to their record, undated documents …)."""
    if user is None or not user.has_perm("lawbuilding.add_annualreport"):
        raise PermissionDenied(_("您没有起草年度报告的权限。"))
    organization = organization or Organization.objects.current()
    if AnnualReport.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            _("%(year)s年度的报告已存在，请打开该报告修改或重新生成。") % {"year": year},
            code="report_exists",
        )
    try:
        draft = reports.generate(organization=organization, year=year)
    except reports.NoRecordsError as exc:
        raise ValidationError(str(exc), code="no_records") from None
    report = AnnualReport(
        organization=organization,
        year=year,
        title=draft.title,
        summary=draft.title,
        created_by=user,
        created_at=timezone.now(),
    )
    _save(report, user=user, reason=comment or _("由记录生成草稿"))
    _save_sections(report, draft.sections, user)
    _log(report=report, user=user, action=Action.CREATE, before="", comment=comment)
    return report, draft.warnings


@dataclass
class SectionChange:
    """What regenerating would do to one section."""

    key: str
    label: str
    kind: str  # "update" (unedited, follows the records), "conflict" (edited by staff),
    #          "new" (a section the records now fill), "removed" (no longer generated)
    current: str
    proposed: str

    @property
    def segments(self) -> list[tuple[str, str]]:
        """Character-level difference as ("equal" | "delete" | "insert", text) pieces: a
        changed figure inside a long Chinese paragraph shows as just that figure."""
        matcher = difflib.SequenceMatcher(None, self.current, self.proposed, autojunk=False)
        pieces = []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(("equal", self.current[a1:a2]))
                continue
            if a2 > a1:
                pieces.append(("delete", self.current[a1:a2]))
            if b2 > b1:
                pieces.append(("insert", self.proposed[b1:b2]))
        return pieces

    @property
    def diff(self) -> list[str]:
        return list(
            difflib.unified_diff(
                self.current.splitlines(),
                self.proposed.splitlines(),
                fromfile=_("当前文本"),
                tofile=_("重新生成的文本"),
                lineterm="",
                n=1,
            )
        )


def _text(heading: str, body: str) -> str:
    return f"{heading}\n{body}".strip("\n") if heading else body


def report_plan_regeneration(*, report: AnnualReport) -> tuple[list[SectionChange], list[str]]:
    """What regenerating from today's records would change, section by section, without
    changing anything; and the generator's warnings."""
    draft = reports.generate(organization=report.organization, year=report.year)
    existing = {s.key: s for s in report.sections.all()}
    changes = []
    for new in draft.sections:
        old = existing.pop(new.key, None)
        proposed = _text(new.heading, new.body)
        if old is None:
            if proposed:
                changes.append(SectionChange(new.key, new.heading, "new", "", proposed))
            continue
        current = _text(old.heading, old.body)
        if current == proposed:
            continue
        kind = "conflict" if old.is_edited else "update"
        changes.append(SectionChange(new.key, old.heading or new.heading, kind, current, proposed))
    for old in existing.values():
        if old.generated_body or old.generated_heading:
            current = _text(old.heading, old.body)
            kind = "conflict" if old.is_edited else "removed"
            changes.append(SectionChange(old.key, old.heading, kind, current, ""))
    return changes, draft.warnings


@transaction.atomic
def report_regenerate(
    *, report: AnnualReport, user, overwrite: set[str] | frozenset[str] = frozenset(), comment=""
) -> list[SectionChange]:
    """Bring the draft up to date with the records.

    Sections staff have not edited follow the records. A section staff have edited is
    replaced only if its key is in `overwrite` (the admin asks, showing the difference);
    otherwise it is kept as they wrote it, and its new generated text is remembered so the
    next comparison is against it. Returns the changes applied."""
    report = _locked(report)
    report_check(report=report, user=user, action=Action.REGENERATE)
    draft = reports.generate(organization=report.organization, year=report.year)
    existing = {s.key: s for s in report.sections.all()}
    applied = []
    for new in draft.sections:
        section = existing.get(new.key)
        proposed = _text(new.heading, new.body)
        if section is None:
            _save_sections(report, [new], user)
            if proposed:
                applied.append(SectionChange(new.key, new.heading, "new", "", proposed))
            continue
        current = _text(section.heading, section.body)
        if current == proposed or (section.is_edited and new.key not in overwrite):
            continue  # unchanged, or kept as staff wrote it
        applied.append(SectionChange(new.key, new.heading, "update", current, proposed))
        if not current:
            # A section that was empty (and so left out) is offered again once it has text.
            section.included = new.included
        section.heading = section.generated_heading = new.heading
        section.body = section.generated_body = new.body
        section._history_user = user
        section._change_reason = _("重新生成")
        section.full_clean()
        section.save()
    _log(
        report=report,
        user=user,
        action=Action.REGENERATE,
        before=report.status,
        comment=comment or _("更新了 %(n)s 个部分") % {"n": len(applied)},
    )
    return applied


# --- the workflow -----------------------------------------------------------------------


@transaction.atomic
def report_submit(*, report: AnnualReport, user, comment: str = "") -> AnnualReport:
    report = _locked(report)
    report_check(report=report, user=user, action=Action.SUBMIT)
    if not any(s.included and (s.body.strip() or s.heading.strip()) for s in report.sections.all()):
        raise ValidationError(_("报告没有任何内容，不能提交审核。"), code="empty_report")
    before = report.status
    report.status = Status.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    _save(report, user=user, reason=comment or _("提交审核"))
    _log(report=report, user=user, action=Action.SUBMIT, before=before, comment=comment)
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, user, comment: str) -> AnnualReport:
    """Back to draft for revision; the comment saying what to change is required."""
    comment = (comment or "").strip()
    report = _locked(report)
    report_check(report=report, user=user, action=Action.RETURN)
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


def report_render_pdf(report: AnnualReport) -> bytes:
    """The PDF of the report's current text (a preview while it is a draft)."""
    return reports.render_pdf(
        title=report.title,
        sections=list(report.sections.all()),
        organization=report.organization,
        summary=report.summary,
    )


@transaction.atomic
def report_approve(
    *,
    report: AnnualReport,
    user,
    comment: str = "",
    on: datetime.date | None = None,
) -> AnnualReport:
    """Approve the submitted text and freeze it as a PDF whose SHA-256 is recorded: what is
    approved is exactly what gets published."""
    report = _locked(report)
    report_check(report=report, user=user, action=Action.APPROVE)
    before = report.status
    pdf = report_render_pdf(report)
    report.status = Status.APPROVED
    report.approved_by = user
    report.approved_on = on or timezone.localdate()
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.pdf.save(
        f"report-{report.organization.org_code}-{report.year}-r{report.revision}.pdf",
        ContentFile(pdf),
        save=False,
    )
    _save(report, user=user, reason=comment or _("审核通过"))
    _log(report=report, user=user, action=Action.APPROVE, before=before, comment=comment)
    return report


@transaction.atomic
def report_publish(
    *,
    report: AnnualReport,
    user,
    comment: str = "",
    on: datetime.date | None = None,
) -> AnnualReport:
    """Publish the approved report: its disclosure item with a new index number and the
    frozen PDF attached (supervision.services)."""
    from supervision.services import disclosure_publish_report

    report = _locked(report)
    report_check(report=report, user=user, action=Action.PUBLISH)
    published_on = on or timezone.localdate()
    if published_on < report.approved_on:
        raise ValidationError(_("公开日期不能早于审核通过日期。"), code="publish_before_approval")
    before = report.status
    report.disclosure = disclosure_publish_report(
        report=report, published_on=published_on, user=user
    )
    report.status = Status.PUBLISHED
    report.published_by = user
    report.published_on = published_on
    _save(report, user=user, reason=comment or _("公开发布"))
    _log(
        report=report,
        user=user,
        action=Action.PUBLISH,
        before=before,
        comment=comment or _("索引号 %(index)s") % {"index": report.disclosure.index_number},
    )
    return report


@transaction.atomic
def report_start_correction(*, report: AnnualReport, user, comment: str) -> AnnualReport:
    """A published report never changes: a correction is a new revision, a draft holding a
    copy of the published text, which goes through review and publication again."""
    comment = (comment or "").strip()
    report = _locked(report)
    report_check(report=report, user=user, action=Action.CORRECT)
    if not comment:
        raise ValidationError(_("发起更正时必须说明更正原因。"), code="comment_required")
    revision = AnnualReport(
        organization=report.organization,
        year=report.year,
        revision=report.revision + 1,
        corrects=report,
        title=report.title,
        summary=report.summary,
        created_by=user,
        created_at=timezone.now(),
    )
    _save(revision, user=user, reason=comment)
    for section in report.sections.all():
        _add_section(
            revision,
            user,
            key=section.key,
            part=section.part,
            order=section.order,
            heading=section.heading,
            body=section.body,
            included=section.included,
            generated_heading=section.generated_heading,
            generated_body=section.generated_body,
        )
    _log(report=report, user=user, action=Action.CORRECT, before=report.status, comment=comment)
    _log(report=revision, user=user, action=Action.CREATE, before="", comment=comment)
    return revision


def report_pdf_bytes(report: AnnualReport) -> bytes:
    """The frozen PDF of an approved or published report, verified against its SHA-256."""
    from supervision.services import TamperedFileError, sha256_hex

    if not report.pdf or not report.pdf_sha256:
        raise ValidationError(_("该报告尚未定稿，没有 PDF 文件。"), code="no_pdf")
    with report.pdf.open("rb") as handle:
        data = handle.read()
    if sha256_hex(data) != report.pdf_sha256:
        raise TamperedFileError(
            _("报告 PDF 与定稿时记录的 SHA-256 不一致，文件可能已被改动。"), code="pdf_tampered"
        )
    return data
