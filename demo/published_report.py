"""The 2021 annual report as the office published it, loaded as a published report record.

Its sections are the seed text's (opening, the five 2021 headings, the 2022 plan with its five
headings and twelve tasks); the three statutory parts the 2021 report did not set out
separately (存在的不足和原因, 第一责任人履职情况, 其他需要报告的情况) are confirmed empty with a
reason, as a report of today would have to be. Its approval history is dated as the seed page
says (生成日期 2022-03-21, 公开日期 2022-03-22); its PDF is built once, its SHA-256 recorded,
and it is attached to the seed's disclosure item 014109568/2022-00012, which becomes the
report's disclosure item (no second item for the same report).

Loading twice changes nothing: a report of 2021 already on record (the published one, or any
correction of it) is left as it is.
"""

from __future__ import annotations

import datetime
import re

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import Organization
from demo import data
from disclosure.models import DisclosureAttachment, DisclosureItem
from lawbuilding import report_text, reports
from lawbuilding.models import AnnualReport, ReportEvent, ReportSection
from lawbuilding.services import report_findings, report_secrecy_version
from publication.metadata import publication_copy
from publication.models import SecrecyReview
from publication.review import record_secrecy_review

Part = ReportSection.Part
Action = ReportEvent.Action
Status = AnnualReport.Status

YEAR = 2021
HEADING = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
THEME_KEYS = ["leadership", "institutions", "risk", "supervision", "learning"]
WAIVED_REASON = "2021年度报告按当年格式发布，未单列该部分。"
# (action, day, hour, username, from, to, comment)
EVENTS = [
    (Action.CREATE, datetime.date(2022, 3, 14), 9, "luru", "", Status.DRAFT, "由记录生成草稿"),
    (
        Action.SUBMIT,
        datetime.date(2022, 3, 18),
        16,
        "luru",
        Status.DRAFT,
        Status.SUBMITTED,
        "请审核",
    ),
    (
        Action.APPROVE,
        datetime.date(2022, 3, 21),
        10,
        "shenhe",
        Status.SUBMITTED,
        Status.APPROVED,
        "同意",
    ),
    (
        Action.PUBLISH,
        datetime.date(2022, 3, 22),
        9,
        "shenhe",
        Status.APPROVED,
        Status.PUBLISHED,
        "索引号 014109568/2022-00012",
    ),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_sections(text: str) -> list[dict]:
    """The seed text as report sections, in order, punctuation as the generator writes it."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    blocks = [b for b in blocks if b not in ("(此件公开发布)", "（此件公开发布）")]
    sections: list[dict] = []
    plan_started = False
    theme = 0
    current: dict | None = None
    for block in blocks:
        block = reports.fullwidth_punctuation(block)
        match = HEADING.match(block)
        if match:
            heading = match.group(2)
            if plan_started:
                key, part = (
                    f"next-{len([s for s in sections if s['part'] == Part.NEXT_YEAR]) + 1}",
                    Part.NEXT_YEAR,
                )
            else:
                key, part = f"theme-{THEME_KEYS[theme]}", Part.ACHIEVEMENTS
                theme += 1
            current = {"key": key, "part": part, "heading": heading, "body": []}
            sections.append(current)
        elif block.startswith(f"{YEAR + 1}年"):
            plan_started = True
            for part, heading in reports.STATUTORY_HEADINGS.items():
                sections.append(
                    {"key": part, "part": part, "heading": heading, "body": [], "waived": True}
                )
            current = {
                "key": "next-opening",
                "part": Part.NEXT_YEAR_OPENING,
                "heading": "",
                "body": [block],
            }
            sections.append(current)
            current = None
        elif current is None and not sections:
            sections.append(
                {"key": "opening", "part": Part.OPENING, "heading": "", "body": [block]}
            )
        elif current is not None:
            current["body"].append(block)
    return sections


def load_published_report(org: Organization, text: str) -> AnnualReport | None:
    if AnnualReport.objects.filter(organization=org, year=YEAR).exists():
        return None
    item = DisclosureItem.objects.filter(index_number=data.SEED_DISCLOSURE["index_number"]).first()
    if item is None:
        return None
    users = {u.username: u for u in User.objects.filter(username__in=["luru", "shenhe"])}
    approved_on = data.SEED_DISCLOSURE["generated_on"]
    published_on = data.SEED_DISCLOSURE["published_on"]
    report = AnnualReport(
        organization=org,
        year=YEAR,
        title=data.SEED_DISCLOSURE["title"],
        summary=data.SEED_DISCLOSURE["summary"],
        created_by=users.get("luru"),
        created_at=_at(EVENTS[0][1], EVENTS[0][2]),
        submitted_by=users.get("luru"),
        submitted_at=_at(EVENTS[1][1], EVENTS[1][2]),
        approved_by=users.get("shenhe"),
        approved_on=approved_on,
        published_by=users.get("shenhe"),
        published_on=published_on,
        status=Status.DRAFT,
    )
    report._change_reason = "演示数据加载：2021年度报告（已公开发布）"
    report._history_date = _at(published_on, 9)
    report.save()
    for order, spec in enumerate(seed_sections(text), start=1):
        body = "\n".join(spec["body"])
        waived = spec.get("waived", False)
        section = ReportSection(
            report=report,
            key=spec["key"],
            part=spec["part"],
            order=order * 10,
            heading=spec["heading"],
            body=report_text.EMPTY_PART if waived else body,
            included=not waived,
            generated_heading=spec["heading"],
            generated_body=body,
            empty_reason=WAIVED_REASON if waived else "",
        )
        section._change_reason = "演示数据加载"
        section.full_clean()
        section.save()
    pdf = reports.render_pdf(
        title=report.title,
        sections=list(report.sections.all()),
        organization=org,
        summary=report.summary,
        signed_on=approved_on,
    )
    name = f"report-{org.org_code}-{YEAR}-r1.pdf"
    # Frozen as published: without document information or XMP (checksum after stripping).
    pdf, report.pdf_sha256 = publication_copy(pdf, name)
    report.pdf.save(name, ContentFile(pdf), save=False)
    report.status = Status.PUBLISHED
    report.disclosure = item
    report.full_clean()
    report.save()
    if not item.attachments.exists():
        attachment = DisclosureAttachment(
            item=item, title=f"{report.title}.pdf", sha256=report.pdf_sha256
        )
        attachment.file.save(
            item.index_number.replace("/", "-") + ".pdf", ContentFile(pdf), save=False
        )
        attachment._change_reason = "演示数据加载"
        attachment.save()
    for action, day, hour, username, before, after, comment in EVENTS:
        ReportEvent.objects.create(
            report=report,
            action=action,
            from_status=before,
            to_status=after,
            user=users.get(username),
            at=_at(day, hour),
            comment=comment,
        )
    reviewer = users.get("shenhe")
    if reviewer is not None and reviewer.has_perm("publication.record_secrecy_review"):
        # The secrecy review before publication (《政府信息公开条例》第十七条), dated with the
        # approval, for the version that was published.
        review = record_secrecy_review(
            target=report,
            version=report_secrecy_version(report),
            user=reviewer,
            findings=report_findings(report),
            note="演示数据加载",
        )
        SecrecyReview.objects.filter(pk=review.pk).update(reviewed_at=_at(approved_on, 15))
    waived = report.sections.filter(included=False).exclude(empty_reason="")
    for section in waived:
        ReportEvent.objects.create(
            report=report,
            action=Action.WAIVE,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            user=users.get("luru"),
            at=_at(EVENTS[1][1], EVENTS[1][2] - 1),
            comment=f"“{section.heading}”本部分无内容：{WAIVED_REASON}",
        )
    return report
