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

Submission and approval pass the completeness gate (`report_completeness_problems`): every
statutory part of 厅字〔2019〕28号 第二十四条 present, no placeholder left, next year's plan
written, and no figure in the text contradicting the records. A part with nothing to report
gets past the gate only through `report_confirm_empty`, which records the reason.

Publication also needs the secrecy review of 《政府信息公开条例》第十七条, recorded by the
reviewer for exactly the approved version (`report_record_secrecy_review`, permission
`publication.record_secrecy_review`), with every personal-data finding of the text and the
PDF removed or accepted with a reason (《个人信息保护法》). The frozen PDF is stored without
its metadata, so its checksum is that of the published copy.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import read_verified
from core.models import Organization
from core.publiccontent import public_content_changed
from disclosure.services import disclosure_publish_document, disclosure_repeal
from lawbuilding import report_text, reports
from lawbuilding.models import AnnualReport, ReportEvent, ReportSection
from publication.metadata import publication_copy
from publication.models import SECRECY_STATEMENT
from publication.review import content_version, record_secrecy_review, scan_all

Status = AnnualReport.Status
Action = ReportEvent.Action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change
    permission: str
    # The text must be complete (every statutory part, figures matching the records).
    complete: bool = False


TRANSITIONS = {
    Action.REGENERATE: Transition(
        Action.REGENERATE, (Status.DRAFT,), None, "lawbuilding.change_annualreport"
    ),
    Action.SUBMIT: Transition(
        Action.SUBMIT, (Status.DRAFT,), Status.SUBMITTED, "lawbuilding.submit_report", True
    ),
    Action.RETURN: Transition(
        Action.RETURN,
        (Status.SUBMITTED, Status.APPROVED),
        Status.DRAFT,
        "lawbuilding.approve_report",
    ),
    Action.APPROVE: Transition(
        Action.APPROVE, (Status.SUBMITTED,), Status.APPROVED, "lawbuilding.approve_report", True
    ),
    Action.PUBLISH: Transition(
        Action.PUBLISH, (Status.APPROVED,), Status.PUBLISHED, "lawbuilding.publish_report"
    ),
    Action.CORRECT: Transition(
        Action.CORRECT, (Status.PUBLISHED,), None, "lawbuilding.add_annualreport"
    ),
    Action.WAIVE: Transition(
        Action.WAIVE, (Status.DRAFT,), None, "lawbuilding.change_annualreport"
    ),
}

# Parts required in every report (厅字〔2019〕28号 第二十四条) besides the year's measures.
STATUTORY_PARTS = (
    ReportSection.Part.SHORTCOMINGS,
    ReportSection.Part.RESPONSIBILITY,
    ReportSection.Part.OTHER,
)
# Bodies that say a part is empty without confirming it.
EMPTY_WORDS = {"本部分无内容", "无", "暂无", "无内容", "本年度无", "本年度无相关情况"}
# A figure with its measure word: 20批, 80人次, 3000余人, 7名 …
FIGURE = re.compile(r"(\d+(?:\.\d+)?)(余?)(批次|人次|批|名|人|次|位|个|项|件|场|期|天|份)")


def _anchor_pattern(before: str) -> str | None:
    """A pattern for the words before a figure, figures among them matching any value (so
    "派遣20批80人次" still anchors "80人次" when "20批" was changed too); None when too few
    words precede the figure to tell where it stands."""
    before = re.split(r"[，。；、：]", before)[-1].lstrip("0123456789.余")
    if len(re.sub(r"[\d.余]", "", before)) < 2:
        return None
    parts, pos = [], 0
    for figure in FIGURE.finditer(before):
        parts.append(re.escape(before[pos : figure.start()]))
        parts.append(r"\d+(?:\.\d+)?余?" + re.escape(figure.group(3)))
        pos = figure.end()
    parts.append(re.escape(before[pos:]))
    return "".join(parts)


def _figure_conflicts(text: str, generated: str) -> list[tuple[str, str]]:
    """(figure in the text, figure on record) for each figure the generator writes after
    some words which the text writes after the same words with another value."""
    conflicts = []
    for match in FIGURE.finditer(generated):
        anchor = _anchor_pattern(generated[max(0, match.start() - 8) : match.start()])
        if anchor is None:
            continue
        for found in re.finditer(anchor, text):
            typed = FIGURE.match(text, found.end())
            if typed and typed.group(3) == match.group(3) and typed.group(0) != match.group(0):
                conflicts.append((typed.group(0), match.group(0)))
    return list(dict.fromkeys(conflicts))


def report_completeness_problems(report: AnnualReport) -> list[str]:
    """Why `report` is not yet complete enough to submit or approve, in Chinese; empty when
    it is. Checked on submission and on approval, and listed on the report's admin page."""
    problems = []
    sections = list(report.sections.all())
    Part = ReportSection.Part

    def label(section) -> str:
        return section.heading or section.get_part_display()

    def has_text(section) -> bool:
        return section.included and bool(section.body.strip() or section.heading.strip())

    for section in sections:
        if section.included and section.body.strip().rstrip("。.") in EMPTY_WORDS:
            # Typing "无" is not confirming a part empty: that takes a reason, on record.
            problems.append(
                _("“%(part)s”只写了“%(text)s”：请使用“本部分无内容”确认并说明理由。")
                % {"part": label(section), "text": section.body.strip()}
            )
        if section.included and report_text.PLACEHOLDER_MARK in section.body:
            problems.append(
                _("“%(part)s”仍是占位文字“本年度无相关记录”，请补充内容或确认本部分无内容。")
                % {"part": label(section)}
            )
    if not any(s.part == Part.ACHIEVEMENTS and has_text(s) and s.body.strip() for s in sections):
        problems.append(_("缺少法定内容“上一年度主要举措和成效”。"))
    for part in STATUTORY_PARTS:
        of_part = [s for s in sections if s.part == part]
        written = [s for s in of_part if has_text(s) and s.body.strip()]
        waived = [s for s in of_part if not s.included and s.empty_reason.strip()]
        if not written and not waived:
            problems.append(
                _("法定内容“%(part)s”为空：请填写，或确认“本部分无内容”并说明理由。")
                % {"part": Part(part).label}
            )
    plan = [
        s
        for s in sections
        if s.part == Part.NEXT_YEAR
        and has_text(s)
        and s.body.strip()
        and report_text.PLACEHOLDER_MARK not in s.body
    ]
    if not plan:
        problems.append(
            _("缺少法定内容“下一年度主要安排”：请先录入%(year)s年度工作计划并重新生成。")
            % {"year": report.year + 1}
        )
    problems += _figure_problems(report, sections)
    return problems


def _figure_problems(report: AnnualReport, sections) -> list[str]:
    try:
        draft = reports.generate(organization=report.organization, year=report.year)
    except reports.NoRecordsError:
        return []
    generated = {d.key: d.body for d in draft.sections}
    problems = []
    for section in sections:
        if not section.included or section.key not in generated:
            continue
        for typed, on_record in _figure_conflicts(section.body, generated[section.key]):
            problems.append(
                _("“%(part)s”中的数字“%(typed)s”与记录不符（记录为“%(record)s”）。")
                % {
                    "part": section.heading or section.get_part_display(),
                    "typed": typed,
                    "record": on_record,
                }
            )
    return problems


def report_check(*, report: AnnualReport, user, action: str, completeness: bool = True) -> None:
    """Raise PermissionDenied or ValidationError (Chinese message) unless `user` may perform
    `action` on `report` now. The one place where workflow permissions are decided.

    `completeness=False` skips the completeness gate (used to decide which buttons to show:
    the page lists the gate's reasons separately)."""
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
    if transition.complete and completeness:
        problems = report_completeness_problems(report)
        if problems:
            raise ValidationError(
                [ValidationError(p, code="incomplete") for p in problems], code="incomplete"
            )


def report_allowed_actions(*, report: AnnualReport, user) -> list[str]:
    allowed = []
    for action in TRANSITIONS:
        try:
            report_check(report=report, user=user, action=action, completeness=False)
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


def _records_unchanged(section: ReportSection, new: reports.SectionDraft) -> bool:
    """The generator writes what it wrote when the section was last generated: whatever
    staff made of it (a part written by hand, a placeholder replaced) is not in question."""
    return (section.generated_heading, section.generated_body) == (new.heading, new.body)


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
        if current == proposed or _records_unchanged(old, new):
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
        if current == proposed or _records_unchanged(section, new):
            continue  # the records say what they said: staff text stays
        if section.is_edited and new.key not in overwrite:
            continue  # unchanged, or kept as staff wrote it
        applied.append(SectionChange(new.key, new.heading, "update", current, proposed))
        if not current or section.empty_reason:
            # A section that was empty (or confirmed empty) is offered again with its text.
            section.included = new.included
            section.empty_reason = ""
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


@transaction.atomic
def report_confirm_empty(
    *, report: AnnualReport, section: ReportSection, user, reason: str
) -> ReportSection:
    """Confirm that a part has nothing to report this year: the only way an empty statutory
    part passes the completeness gate. The part is left out of the report, its text says
    "本部分无内容。", and the reason is kept on the part and in the report's audit trail."""
    reason = (reason or "").strip()
    report = _locked(report)
    report_check(report=report, user=user, action=Action.WAIVE)
    if section.report_id != report.pk:
        raise ValidationError(_("该部分不属于此报告。"), code="wrong_report")
    if not reason:
        raise ValidationError(_("确认本部分无内容时必须说明理由。"), code="reason_required")
    if section.part in (ReportSection.Part.NEXT_YEAR, ReportSection.Part.NEXT_YEAR_OPENING):
        raise ValidationError(
            _("“下一年度主要安排”是必备内容，不能确认为无内容。"), code="plan_required"
        )
    section.body = report_text.EMPTY_PART
    section.included = False
    section.empty_reason = reason
    section._history_user = user
    section._change_reason = reason
    section.full_clean()
    section.save()
    _log(
        report=report,
        user=user,
        action=Action.WAIVE,
        before=report.status,
        comment=_("“%(part)s”本部分无内容：%(reason)s")
        % {"part": section.heading or section.get_part_display(), "reason": reason},
    )
    return section


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
        signed_on=report.approved_on,
        title_layout=report.title_layout,
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
    # The 成文日期 of the 落款 is the approval date (GB/T 9704-2012 7.3.5.1).
    report.approved_on = on or timezone.localdate()
    name = f"report-{report.organization.org_code}-{report.year}-r{report.revision}.pdf"
    # Frozen as it will be published: without document information or XMP.
    pdf, checksum = publication_copy(report_render_pdf(report), name)
    report.status = Status.APPROVED
    report.approved_by = user
    report.pdf_sha256 = checksum
    report.pdf.save(name, ContentFile(pdf), save=False)
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
    frozen PDF attached. A correction repeals the item of the revision it corrects on the
    same day."""
    report = _locked(report)
    report_check(report=report, user=user, action=Action.PUBLISH)
    published_on = on or timezone.localdate()
    if published_on < report.approved_on:
        raise ValidationError(_("公开日期不能早于审核通过日期。"), code="publish_before_approval")
    before = report.status
    report.disclosure = _publish_disclosure(report, published_on=published_on, user=user)
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
    # The report list and the report's page change with it.
    public_content_changed()
    return report


# --- the secrecy review (《政府信息公开条例》第十七条) --------------------------------------


def _disclosure_body(report: AnnualReport) -> str:
    return reports.disclosure_body(report.sections.all(), organization=report.organization)


def report_secrecy_version(report: AnnualReport) -> str:
    """The version a secrecy review of `report` covers: its title, summary, the text of its
    disclosure page and the frozen PDF's checksum. A return and a new approval make a new
    version (a new PDF), which needs a new review."""
    return content_version(
        report.title, report.summary, _disclosure_body(report), report.pdf_sha256
    )


def report_publication_sources(report: AnnualReport) -> list:
    """What goes public with `report`, for the personal-data scan: the texts of its
    disclosure page and the frozen PDF."""
    return [
        report.title,
        report.summary,
        _disclosure_body(report),
        ContentFile(report_pdf_bytes(report), name=f"{report.title}.pdf"),
    ]


def report_findings(report: AnnualReport):
    """The personal-data scan of what would be published (the reviewer's list)."""
    return scan_all(report_publication_sources(report))


@transaction.atomic
def report_record_secrecy_review(*, report: AnnualReport, user, acceptances=(), note: str = ""):
    """The reviewer confirms "经保密审查，可以公开" for the approved version of `report`.
    Refused before approval (there is no final version yet), without the permission
    `publication.record_secrecy_review`, or while a finding of the scan is not accepted.
    The review shows in the report's history and in the secrecy review records."""
    report = _locked(report)
    if report.status != Status.APPROVED:
        raise ValidationError(_("报告审核通过（定稿）后才能进行保密审查。"), code="bad_status")
    version = report_secrecy_version(report)
    review = record_secrecy_review(
        target=report,
        version=version,
        user=user,
        findings=report_findings(report),
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
            empty_reason=section.empty_reason,
        )
    _log(report=report, user=user, action=Action.CORRECT, before=report.status, comment=comment)
    _log(report=revision, user=user, action=Action.CREATE, before="", comment=comment)
    return revision


def _publish_disclosure(report: AnnualReport, *, published_on: datetime.date, user):
    """The report's disclosure item: 信息名称 = the title, 发布机构 = the office's full name (a
    correction keeps its predecessor's), 主动公开, 生成日期 = the approval date, 公开日期 =
    `published_on`, the frozen PDF attached with its SHA-256. A correction repeals the item of
    the revision it corrects on the same day, marked as revised (国办发〔2017〕47号)."""
    previous = report.corrects
    old = previous.disclosure if previous is not None and previous.disclosure_id else None
    organization = report.organization
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
        secrecy_review_of=(report, report_secrecy_version(report)),
        user=user,
        change_reason=_("发布年度报告")
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
    return item


def report_pdf_bytes(report: AnnualReport) -> bytes:
    """The frozen PDF of an approved or published report, verified against its SHA-256."""
    if not report.pdf or not report.pdf_sha256:
        raise ValidationError(_("该报告尚未定稿，没有 PDF 文件。"), code="no_pdf")
    return read_verified(
        report.pdf,
        report.pdf_sha256,
        _("报告 PDF 与定稿时记录的 SHA-256 不一致，文件可能已被改动。"),
        code="pdf_tampered",
    )
