"""The annual disclosure work report (政府信息公开工作年度报告, 《政府信息公开条例》第四十九条、
第五十条) drafted from the records and rendered in the national format of
国办公开办函〔2021〕30号:

    一、总体情况                                  text
    二、主动公开政府信息情况                      table 二 (figures the office enters)
    三、收到和处理政府信息公开申请情况            table 三 (applications, applications.statistics)
    四、政府信息公开行政复议、行政诉讼情况        table 四 (reviews and lawsuits)
    五、存在的主要问题及改进情况                  text
    六、其他需要报告的事项                        text, opening with the fees charged

Table 三's check (勾稽关系: 一 + 二 = 三（七）+ 四 per column) and table 四's totals are
enforced before submission (`table_problems`). The workflow is in work_report_services.

The report lives in the applications app because that app sits above disclosure in the
layers (tests/test_layers.py): it reads the disclosure catalogue for table 二 and publishes
through `disclosure.services.disclosure_publish_document`; the disclosure app knows nothing
of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import DisclosureWorkReport, Remedy
from applications.statistics import (
    CARRIED_IN,
    CARRIED_OUT,
    COLUMN_LABELS,
    COLUMNS,
    NEW,
    REMEDY_COLUMNS,
    RESULT_TOTAL,
    TOTAL,
    RequestTable,
    remedy_row,
    remedy_table,
    request_table_for_year,
)
from core.models import Organization
from core.pdf import FONT_STACKS, html_to_pdf
from disclosure.models import DisclosureItem

REPORT_LANGUAGE = "zh-hans"
# Text the office must replace before the report can be submitted.
PLACEHOLDER = "【请补充】"
PUBLIC_NOTE = "（此件公开发布）"

PART_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


# --- table 二: 主动公开政府信息情况 ----------------------------------------------------------


@dataclass(frozen=True)
class ActiveBlock:
    """One block of table 二: the article of 《政府信息公开条例》第二十条 it reports on, its
    column labels and its rows as (label, model fields)."""

    article: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


# Labels exactly as in 国办公开办函〔2021〕30号.
ACTIVE_BLOCKS = (
    ActiveBlock(
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (
            ("规章", ("rules_issued", "rules_repealed", "rules_in_force")),
            (
                "行政规范性文件",
                ("normative_issued", "normative_repealed", "normative_in_force"),
            ),
        ),
    ),
    ActiveBlock(
        "第二十条第（五）项",
        ("本年处理决定数量",),
        (("行政许可", ("licensing_decisions",)),),
    ),
    ActiveBlock(
        "第二十条第（六）项",
        ("本年处理决定数量",),
        (
            ("行政处罚", ("penalty_decisions",)),
            ("行政强制", ("enforcement_decisions",)),
        ),
    ),
    ActiveBlock(
        "第二十条第（八）项",
        ("本年收费金额（单位：万元）",),
        (("行政事业性收费", ("fees_amount",)),),
    ),
)
ACTIVE_FIELDS = tuple(
    field for block in ACTIVE_BLOCKS for _l, fields in block.rows for field in fields
)


def active_defaults(organization: Organization, year: int) -> dict[str, int]:
    """Defaults of table 二 from the disclosure catalogue. The office makes no 规章 (only
    governments with rule-making power do), so those stay 0; 行政规范性文件 are counted from
    the proactively disclosed items of category “法规文件”: published in the year, repealed in
    the year, and in force at its end. Licences, penalties, enforcement and fees are not
    recorded in the portal: 0 until the office enters them."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rules = DisclosureItem.objects.filter(
        organization=organization,
        category=DisclosureItem.Category.RULES,
        method=DisclosureItem.Method.PROACTIVE,
        published_on__isnull=False,
    )
    return {
        "normative_issued": rules.filter(published_on__range=(start, end)).count(),
        "normative_repealed": rules.filter(repealed_on__range=(start, end)).count(),
        "normative_in_force": rules.filter(published_on__lte=end)
        .filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
        .count(),
    }


def _figure(value) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    return str(value)


def active_table(report: DisclosureWorkReport) -> list[dict]:
    """Table 二 for rendering: per block its article, columns and (label, figures) rows."""
    return [
        {
            "article": block.article,
            "columns": block.columns,
            "rows": [
                (label, [_figure(getattr(report, field)) for field in fields])
                for label, fields in block.rows
            ],
        }
        for block in ACTIVE_BLOCKS
    ]


# --- tables 三 and 四: the snapshot ---------------------------------------------------------


def count_figures(year: int) -> dict:
    """The snapshot of tables 三 and 四 for `year` from the applications and remedies."""
    table = request_table_for_year(year)
    remedies = remedy_table(year, Remedy.objects.filter(filed_on__year=year))
    return {"requests": table.rows, "remedies": remedies}


def request_table_of(report: DisclosureWorkReport) -> RequestTable:
    rows = {
        row: {column: int(cells.get(column, 0)) for column in COLUMNS}
        for row, cells in (report.figures or {}).get("requests", {}).items()
    }
    return RequestTable(report.year, rows)


def remedies_of(report: DisclosureWorkReport) -> dict[str, dict[str, int]]:
    stored = (report.figures or {}).get("remedies", {})
    return {
        kind: {column: int(stored.get(kind, {}).get(column, 0)) for column in REMEDY_COLUMNS}
        for kind in Remedy.Kind.values
    }


def table_problems(report: DisclosureWorkReport) -> list[str]:
    """Why the tables fail their checks, in Chinese; empty when they hold. Table 三: 一 + 二 =
    三（七）+ 四 and （七） = the sum of the result rows, per column (国办公开办函〔2021〕30号,
    勾稽关系); table 四: each 总计 is the sum of its four results."""
    if not (report.figures or {}).get("requests"):
        return [_("尚未统计表三、表四的数据，请先按记录重新统计。")]
    problems = []
    table = request_table_of(report)
    if table.check():
        problems.append(_("政府信息公开申请情况表勾稽关系不成立，不能提交："))
        problems += table.check_messages()
    for kind, cells in remedies_of(report).items():
        parts = sum(cells[c] for c in REMEDY_COLUMNS if c != TOTAL)
        if parts != cells[TOTAL]:
            problems.append(
                _("“%(kind)s”的总计 %(total)s 不等于各项结果之和 %(sum)s。")
                % {"kind": Remedy.Kind(kind).label, "total": cells[TOTAL], "sum": parts}
            )
    return problems


def figures_drift(report: DisclosureWorkReport) -> bool:
    """The snapshot no longer matches the records (an application decided late, a review
    concluded): the office may recount while the report is a draft."""
    current = count_figures(report.year)
    stored = {
        "requests": request_table_of(report).rows,
        "remedies": remedies_of(report),
    }
    return stored != current


# --- the text ---------------------------------------------------------------------------------


def _joined(items: list[str]) -> str:
    return "、".join(items)


def draft_texts(organization: Organization, year: int, figures: dict) -> dict[str, str]:
    """The skeleton of parts 一、五、六, with the figures of the records; the placeholders
    (【请补充】) must be replaced before submission."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    items = DisclosureItem.objects.filter(
        organization=organization,
        published_on__range=(start, end),
        method=DisclosureItem.Method.PROACTIVE,
    )
    by_category = []
    for category in DisclosureItem.Category:
        n = items.filter(category=category).count()
        if n:
            by_category.append(f"{category.label}{n}条")
    total = items.count()
    table = RequestTable(year, figures["requests"])
    remedies = figures["remedies"]
    reviews = remedies[Remedy.Kind.REVIEW][TOTAL]
    lawsuits = (
        remedies[Remedy.Kind.LAWSUIT_DIRECT][TOTAL]
        + remedies[Remedy.Kind.LAWSUIT_AFTER_REVIEW][TOTAL]
    )
    paragraphs = [
        f"{year}年，{organization.full_name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"坚持以公开为常态、不公开为例外，依法做好主动公开和依申请公开工作。",
        (
            f"（一）主动公开。全年主动公开政府信息{total}条，其中{_joined(by_category)}。"
            if total
            else "（一）主动公开。本年度未主动公开政府信息。"
        ),
        f"（二）依申请公开。全年新收政府信息公开申请{table.cell(NEW, TOTAL)}件，"
        f"上年结转{table.cell(CARRIED_IN, TOTAL)}件，办结{table.cell(RESULT_TOTAL, TOTAL)}件，"
        f"结转下年度继续办理{table.cell(CARRIED_OUT, TOTAL)}件；"
        f"因政府信息公开被申请行政复议{reviews}件、被提起行政诉讼{lawsuits}件。",
        f"（三）政府信息管理。{PLACEHOLDER}政府信息公开审查、动态更新、规范性文件清理等情况。",
        f"（四）平台建设。{PLACEHOLDER}政府网站政府信息公开专栏等平台建设情况。",
        f"（五）监督保障。{PLACEHOLDER}工作机构、人员配备、培训和考核等情况。",
    ]
    return {
        "overview": "\n".join(paragraphs),
        "problems": f"{PLACEHOLDER}本年度政府信息公开工作存在的主要问题，"
        f"上年度问题的改进情况，以及下一步改进措施。",
        "other_matters": f"{PLACEHOLDER}人大代表建议和政协提案办理结果公开情况、年度政务公开工作"
        f"要点落实情况等；无其他事项的，写“本机关无其他需要报告的事项。”",
    }


def fee_sentence(report: DisclosureWorkReport) -> str:
    """The fees charged for answering applications, stated in part 六 (《政府信息公开条例》
    第四十二条、第五十条)."""
    if report.information_fees:
        return (
            f"本年度本机关依据《政府信息公开信息处理费管理办法》收取信息处理费"
            f"{_figure(report.information_fees)}元。"
        )
    return "本年度本机关未收取信息处理费。"


def completeness_problems(report: DisclosureWorkReport) -> list[str]:
    """Parts 一、五、六 written, no placeholder left."""
    problems = []
    for field in ("overview", "problems", "other_matters"):
        label = str(DisclosureWorkReport._meta.get_field(field).verbose_name)
        text = getattr(report, field).strip()
        if not text:
            problems.append(_("“%(part)s”为空，请填写。") % {"part": label})
        elif PLACEHOLDER in text:
            problems.append(
                _("“%(part)s”仍有待补充的内容（%(mark)s），请补充后再提交。")
                % {"part": label, "mark": PLACEHOLDER}
            )
    return problems


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- rendering --------------------------------------------------------------------------------


def default_title(organization: Organization, year: int) -> str:
    return f"{organization.full_name}{year}年政府信息公开工作年度报告"


def title_lines(report: DisclosureWorkReport) -> list[str]:
    """GB/T 9704-2012 7.3.1: a title line holds 20 characters in 2号 type and breaks between
    words: after the office's name."""
    name = report.organization.full_name
    width = sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in report.title)
    if width > 20 and report.title.startswith(name) and len(report.title) > len(name):
        return [name, report.title[len(name) :]]
    return [report.title]


def cn_date(day: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704-2012 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def context(report: DisclosureWorkReport) -> dict:
    table = request_table_of(report)
    return {
        "report": report,
        "title": report.title,
        "title_lines": title_lines(report),
        "headings": PART_HEADINGS,
        "overview": paragraphs(report.overview),
        "problems": paragraphs(report.problems),
        "other_matters": [fee_sentence(report), *paragraphs(report.other_matters)],
        "active_blocks": active_table(report),
        "table": table,
        "column_labels": [str(COLUMN_LABELS[c]) for c in COLUMNS],
        "remedy_row": remedy_row(remedies_of(report)),
        "organization": report.organization,
        "signed_on": cn_date(report.approved_on or timezone.localdate()),
        "note": PUBLIC_NOTE,
        "fonts": FONT_STACKS,
    }


def render_html(report: DisclosureWorkReport, *, document: bool = True) -> str:
    """The report in the GB/T 9704-2012 layout (`document`), or just its six parts for the
    admin page."""
    with translation.override(REPORT_LANGUAGE):
        template = (
            "applications/work_report.html" if document else "applications/_work_report_body.html"
        )
        return render_to_string(template, context(report))


def render_pdf(report: DisclosureWorkReport) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        return html_to_pdf(
            render_html(report),
            title=report.title,
            author=report.organization.full_name,
            subject=report.title,
            keywords=["政府信息公开", "年度报告"],
        )


def disclosure_body(report: DisclosureWorkReport) -> str:
    """The report as the text of its disclosure page: the parts in order, each table as one
    line per row ("label：column figure，…"), the 落款 and the note."""
    ctx = context(report)
    out = [PART_HEADINGS[0], *ctx["overview"], PART_HEADINGS[1]]
    for block in ctx["active_blocks"]:
        for label, figures in block["rows"]:
            out.append(
                f"{label}："
                + "，".join(f"{c}{n}" for c, n in zip(block["columns"], figures, strict=True))
            )
    out.append(PART_HEADINGS[2])
    for label, figures in ctx["table"].labelled_rows():
        if figures:
            out.append(
                f"{label}："
                + "，".join(f"{c}{n}" for c, n in zip(ctx["column_labels"], figures, strict=True))
            )
        else:
            out.append(label)
    out.append(PART_HEADINGS[3])
    remedies = remedies_of(report)
    for kind in Remedy.Kind.values:
        out.append(
            f"{Remedy.Kind(kind).label}："
            + "，".join(
                f"{Remedy.Result(c).label if c != TOTAL else '总计'}{remedies[kind][c]}"
                for c in REMEDY_COLUMNS
            )
        )
    out += [PART_HEADINGS[4], *ctx["problems"], PART_HEADINGS[5], *ctx["other_matters"]]
    if report.approved_on:
        out.append(f"{report.organization.full_name}\n{cn_date(report.approved_on)}")
    out.append(PUBLIC_NOTE)
    return "\n\n".join(out) + "\n"
