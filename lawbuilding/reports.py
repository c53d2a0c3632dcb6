"""The annual report's draft generator: its sections built from the year's records.

Nothing a reader could check is typed here: counts, lists, names, numbers and titles all come
from records (study sessions, documents, leading groups, legal advisers, proposals, notices,
work records and their figures, next year's work plan). Fixed wording is limited to the
connecting phrases of each sentence and the per-theme headings and opening sentences that
staff keep in `ReportThemeDefault`.

Figures of a work record enter its narrative through placeholders: "全年共派遣{transfer_batches}
{transfer_person_times}赴昆山…" becomes "全年共派遣20批80人次赴昆山…" with the current values.

The statutory contents (厅字〔2019〕28号 第二十四条) are offered in order, every year: the
year's measures and results under the theme headings, shortcomings and their causes, how the
principal leaders fulfilled their duty as first responsible persons, other matters, then next
year's plan. A theme or part the records cannot fill stays in place with a visible placeholder
("本年度无相关记录：请补充或说明。") that blocks submission until staff write it or confirm,
with a reason, that the part has no content (lawbuilding.services).

Sentence templates live in lawbuilding.report_text, one per kind of record.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Organization
from core.pdf import FONT_STACKS, html_to_pdf
from lawbuilding import report_text
from lawbuilding.models import (
    AnnualReport,
    InstitutionalDocument,
    LeadingGroup,
    LeadingGroupMember,
    LegalAdviserEngagement,
    ReportSection,
    ReportTheme,
    ReportThemeDefault,
    WorkPlan,
    WorkRecord,
)
from supervision.models import Delegation, DelegationLimits, HonoraryCitizenNotice, Proposal
from trainings.models import StudySession

REPORT_LANGUAGE = "zh-hans"

Part = ReportSection.Part

# Fallbacks when ReportThemeDefault has no row for a theme (its data migration fills them).
THEME_HEADINGS = {
    ReportTheme.LEADERSHIP: "党组重视，引领法治政府建设",
    ReportTheme.INSTITUTIONS: "建章立制，完善法治建设内容",
    ReportTheme.RISK: "压实责任，依法防范重大风险",
    ReportTheme.SUPERVISION: "强化监督，推进科学民主决策",
    ReportTheme.LEARNING: "加强学习，提升依法行政能力",
}
THEME_ORDER = list(THEME_HEADINGS)

STATUTORY_HEADINGS = {
    Part.SHORTCOMINGS: "存在的不足和原因",
    Part.RESPONSIBILITY: "党政主要负责人履行推进法治建设第一责任人职责情况",
    Part.OTHER: "其他需要报告的情况",
}

# Parts whose headings are numbered together "一、二、…" (the year's part), and the next
# year's plan, which numbers its own sections from "一、" again (seed report).
NUMBERED_CURRENT = {Part.ACHIEVEMENTS, Part.SHORTCOMINGS, Part.RESPONSIBILITY, Part.OTHER}
NUMBERED_NEXT = {Part.NEXT_YEAR}

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 18 → 十八, 21 → 二十一 (up to 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》]"


def fullwidth_punctuation(text: str) -> str:
    """Chinese text takes full-width commas, colons, semicolons and brackets (GB/T 15834);
    records typed with a Western keyboard often carry half-width ones."""
    text = re.sub(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)", r"（\1）", text)
    text = re.sub(rf"(?<={_CJK}),\s*|,\s*(?={_CJK})", "，", text)
    text = re.sub(rf"(?<={_CJK});\s*|;\s*(?={_CJK})", "；", text)
    text = re.sub(rf"(?<={_CJK}):\s*|:\s*(?={_CJK})", "：", text)
    text = re.sub(rf"(?<={_CJK})!", "！", text)
    text = re.sub(rf"(?<={_CJK})\?", "？", text)
    return text


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in "。！？；”" else text + "。"


def clause(text: str) -> str:
    """A sentence without its full stop, to be joined to others with "，"."""
    return text.strip().rstrip("。；")


def paragraph(sentences: Iterable[str]) -> str:
    return "".join(sentence(s) for s in sentences if s and s.strip())


def cited(titles: Iterable[str]) -> str:
    return "".join(f"《{t}》" for t in titles)


def joined(items: list[str], last: str = "和") -> str:
    """A、B和C."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


@dataclass
class SectionDraft:
    key: str
    part: str
    heading: str = ""
    body: str = ""
    included: bool = True
    order: int = 0


@dataclass
class Draft:
    title: str
    sections: list[SectionDraft]
    warnings: list[str] = field(default_factory=list)


class NoRecordsError(ValueError):
    pass


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def has_records(organization: Organization, year: int) -> bool:
    """Whether anything of `year` is on record to report (or next year's plan exists)."""
    return any(
        (
            WorkRecord.objects.filter(year=year).exists(),
            StudySession.objects.filter(date__year=year).exists(),
            Proposal.objects.filter(Q(year=year) | Q(replied_on__year=year)).exists(),
            HonoraryCitizenNotice.objects.filter(notice_start__year=year).exists(),
            InstitutionalDocument.objects.filter(adopted_on__year=year).exists(),
            Delegation.objects.filter(departure_on__year=year).exists(),
            WorkPlan.objects.filter(organization=organization, year=year + 1).exists(),
        )
    )


class _Generator:
    def __init__(self, organization: Organization, year: int) -> None:
        self.org = organization
        self.year = year
        self.start, self.end = year_bounds(year)
        self.warnings: list[str] = []
        self.records = list(
            WorkRecord.objects.filter(year=year)
            .prefetch_related("quantities")
            .order_by("theme", "order", "pk")
        )
        # A record already told in a work record's narrative is not told twice.
        self.narratives = "".join(r.narrative for r in self.records)

    def mentioned(self, title: str) -> bool:
        return bool(title) and title in self.narratives

    # --- work records -----------------------------------------------------------------

    def narrative(self, record: WorkRecord) -> str:
        quantities = {q.key: q for q in record.quantities.all()}
        used: set[str] = set()

        def figure(match: re.Match) -> str:
            key = match.group(1)
            if key not in quantities:
                self.warnings.append(
                    _("工作记录“%(title)s”引用了不存在的数据 {%(key)s}。")
                    % {"title": record.title, "key": key}
                )
                return match.group(0)
            used.add(key)
            return quantities[key].display_value

        text = re.sub(r"\{([a-z0-9_-]+)\}", figure, record.narrative)
        for key, quantity in quantities.items():
            # A zero is usually told in words ("零投诉"), not as a figure.
            if key not in used and quantity.value:
                self.warnings.append(
                    _(
                        "工作记录“%(title)s”的数据“%(label)s”未以 {%(key)s} 写入叙述，"
                        "修改该数据不会改变报告中的数字。"
                    )
                    % {"title": record.title, "label": quantity.label, "key": key}
                )
        return text

    def work_records(self, theme: str) -> list[str]:
        return [self.narrative(r) for r in self.records if r.theme == theme]

    # --- structured records, theme by theme --------------------------------------------

    def documents(self, kinds: Iterable[str]) -> list[InstitutionalDocument]:
        docs = InstitutionalDocument.objects.filter(kind__in=list(kinds))
        undated = [d for d in docs if d.adopted_on is None and not self.mentioned(d.title)]
        for doc in undated:
            self.warnings.append(
                _("制度文件《%(title)s》未填写制定日期，未列入任何年度的报告。")
                % {"title": doc.title}
            )
        return [
            d
            for d in docs.filter(adopted_on__year=self.year).order_by("adopted_on", "pk")
            if not self.mentioned(d.title)
        ]

    def leading_groups(self) -> list[str]:
        sentences = []
        adjusted = []
        groups = (
            LeadingGroup.objects.filter(organization=self.org)
            .prefetch_related("members__person")
            .order_by("pk")
        )
        for group in groups:
            if self.mentioned(group.name):
                continue
            established_now = group.established_on and group.established_on.year == self.year
            members = [
                m
                for m in group.members.all()
                if (m.start_on is None or m.start_on <= self.end)
                and (m.end_on is None or m.end_on >= self.start)
            ]
            leader = next((m for m in members if m.role == LeadingGroupMember.Role.LEADER), None)
            # A group without an establishment date was not founded "this year": it is told
            # only in the year it was established or its members changed.
            if leader and established_now:
                post = leader.post or leader.person.post
                text = _("成立由%(post)s%(name)s为组长的%(group)s") % {
                    "post": post,
                    "name": leader.person.name,
                    "group": group.name,
                }
                roles = []
                if any(m.role == LeadingGroupMember.Role.IN_CHARGE for m in members):
                    roles.append(_("法治政府建设分管党组成员"))
                if any(m.role == LeadingGroupMember.Role.LIAISON for m in members):
                    roles.append(_("联络员"))
                if roles:
                    text += _("，明确%(roles)s") % {"roles": joined(roles)}
                sentences.append(text)
            elif established_now:
                sentences.append(_("成立了%(group)s") % {"group": group.name})
            if group.adjusted_on and group.adjusted_on.year == self.year:
                adjusted.append(group.name)
        if adjusted:
            sentences.append(_("调整了%(groups)s成员") % {"groups": "、".join(adjusted)})
        return ["，".join(sentences)] if sentences else []

    def center_group_study(self) -> list[str]:
        sessions = list(
            StudySession.objects.filter(
                date__year=self.year, kind=StudySession.Kind.CENTER_GROUP
            ).prefetch_related("laws")
        )
        if not sessions:
            return []
        laws: list[str] = []
        for session in sorted(sessions, key=lambda s: (s.date, s.pk)):
            for law in session.laws.all():
                if law.cited_title not in laws:
                    laws.append(law.cited_title)
        text = _("党组理论学习中心组举办%(n)s次学法活动") % {"n": len(sessions)}
        if laws:
            text += _("，把%(laws)s等作为学习内容") % {"laws": cited(laws)}
        return [text]

    def leadership(self) -> list[str]:
        out = self.leading_groups()
        docs = self.documents([InstitutionalDocument.Kind.RESPONSIBILITY_LIST])
        if docs:
            out.append(_("制定了%(docs)s") % {"docs": cited(d.title for d in docs)})
        out += self.center_group_study()
        return out

    def institutions(self) -> list[str]:
        out = []
        docs = self.documents(
            [
                InstitutionalDocument.Kind.KEY_POINTS,
                InstitutionalDocument.Kind.LEGAL_EDUCATION_PLAN,
                InstitutionalDocument.Kind.PROCEDURE,
                InstitutionalDocument.Kind.MANAGEMENT_MEASURES,
                InstitutionalDocument.Kind.RULES_OF_PROCEDURE,
            ]
        )
        if docs:
            out.append(_("制定了%(docs)s") % {"docs": cited(d.title for d in docs)})
        engagements = (
            LegalAdviserEngagement.objects.filter(start_on__lte=self.end, end_on__gte=self.start)
            .prefetch_related("lawyers", "services")
            .order_by("start_on")
        )
        for engagement in engagements:
            lawyers = sorted(engagement.lawyers.all(), key=lambda p: (p.is_demo, p.pk))
            if not lawyers:
                continue
            signed = engagement.agreement_signed_on or engagement.start_on
            verb = _("签订协议") if signed.year == self.year else _("续签协议")
            who = (
                _("%(name)s等%(n)s位律师") % {"name": lawyers[0].name, "n": len(lawyers)}
                if len(lawyers) > 1
                else _("%(name)s律师") % {"name": lawyers[0].name}
            )
            text = _("与%(firm)s%(verb)s，聘请该所%(who)s为我办法律顾问") % {
                "firm": engagement.law_firm,
                "verb": verb,
                "who": who,
            }
            services = [s for s in engagement.services.all() if s.date.year == self.year]
            if services:
                text += _("，全年提供法律服务%(n)s次") % {"n": len(services)}
            else:
                text += _("，为%(org)s提供法律服务") % {"org": self.org.short_name}
            out.append(text)
        return out

    def risk(self) -> list[str]:
        docs = self.documents([InstitutionalDocument.Kind.HANDBOOK])
        out = []
        if docs:
            out.append(_("参与编写%(docs)s") % {"docs": cited(d.title for d in docs)})
        notices = self.documents([InstitutionalDocument.Kind.NOTICE])
        if notices:
            out.append(_("印发%(docs)s") % {"docs": cited(d.title for d in notices)})
        return out

    def delegations(self) -> list[str]:
        """The year's outbound delegations (by departure date) and their checks. A trip with
        an approval number was approved; an application without one that breaks the limits
        (中办发〔2013〕16号: days, countries, members) was refused."""
        delegations = list(
            Delegation.objects.filter(departure_on__year=self.year)
            .prefetch_related("members", "stops__country")
            .order_by("departure_on", "pk")
        )
        if not delegations:
            return []

        limits = DelegationLimits.current()
        approved, refused, refused_reasons = [], 0, []
        for delegation in delegations:
            stops = sorted(delegation.stops.all(), key=lambda s: (s.order, s.pk))
            violations = limits.violations(
                departure_on=delegation.departure_on,
                return_on=delegation.return_on,
                member_count=len(delegation.members.all()),
                countries=[stop.country for stop in stops],
            )
            if not delegation.approval_number.strip() and violations:
                refused += 1
                refused_reasons.extend(v.rstrip("。") for v in violations)
                continue
            approved.append((delegation, stops, violations))
        countries: list[str] = []
        for _delegation, stops, _violations in approved:
            for stop in stops:
                if not stop.is_transit and stop.country.name not in countries:
                    countries.append(stop.country.name)
        done = [d for d, _stops, _violations in approved]
        return report_text.delegations(
            count=len(done),
            people=sum(len(d.members.all()) for d in done),
            countries=countries,
            pre_notice=sum(1 for d in done if d.pre_notice_start and d.pre_notice_end),
            education=sum(1 for d in done if d.education_on),
            in_trip=sum(1 for d in done if d.in_trip_checked_on),
            post_trip=sum(1 for d in done if d.post_trip_checked_on),
            post_notice=sum(1 for d in done if d.post_notice_on),
            problems=sum(1 for _d, _stops, violations in approved if violations),
            refused=refused,
            refused_reasons=list(dict.fromkeys(refused_reasons)),
        )

    def supervision(self) -> list[str]:
        out = []
        proposals = list(
            Proposal.objects.filter(replied_on__year=self.year).order_by("kind", "number")
        )
        if proposals:
            items = []
            last_kind = None
            for proposal in proposals:
                if proposal.kind == Proposal.Kind.CPPCC:
                    prefix = _("政协") if proposal.kind != last_kind else ""
                    items.append(
                        _("%(prefix)s第%(number)s号提案《%(title)s》")
                        % {"prefix": prefix, "number": proposal.number, "title": proposal.title}
                    )
                else:
                    prefix = _("人大代表") if proposal.kind != last_kind else ""
                    items.append(
                        _("%(prefix)s第%(number)s号建议《%(title)s》")
                        % {"prefix": prefix, "number": proposal.number, "title": proposal.title}
                    )
                last_kind = proposal.kind
            out.append(_("及时答复了%(items)s") % {"items": joined(items)})
        interpretations = self.documents([InstitutionalDocument.Kind.INTERPRETATION])
        if interpretations:
            out.append(
                _("在市政府网站对%(docs)s作了解读")
                % {"docs": cited(d.title for d in interpretations)}
            )
        notices = HonoraryCitizenNotice.objects.filter(
            notice_start__year=self.year
        ).prefetch_related("nominees")
        city = self.org.full_name.split("市", 1)[0] + "市" if "市" in self.org.full_name else ""
        for notice in notices.order_by("notice_start"):
            nominees = list(notice.nominees.all())
            if not nominees:
                continue
            foreign = all(n.nationality not in ("中国", "中华人民共和国") for n in nominees)
            out.append(
                _(
                    "对拟授予第%(batch)s批“%(city)s荣誉市民”称号的%(n)s名%(who)s"
                    "在网站进行公示，征求全社会意见"
                )
                % {
                    "batch": cn_number(notice.batch),
                    "city": city,
                    "n": len(nominees),
                    "who": _("外籍人士") if foreign else _("人士"),
                }
            )
        out += self.delegations()
        return out

    LEARNING_KINDS = (
        StudySession.Kind.LECTURE,
        StudySession.Kind.COURT_HEARING,
        StudySession.Kind.TRAINING,
        StudySession.Kind.SELF_STUDY,
        StudySession.Kind.ONLINE_QUIZ,
        StudySession.Kind.PUBLICITY,
        StudySession.Kind.JOINT_SERVICE,
    )

    def session_sentence(self, session: StudySession) -> str:
        title = session.title
        # A summary naming the activity is the staff's own sentence for it: use it as is.
        if session.summary and title.strip("“”《》") in session.summary:
            return session.summary
        laws = [law.cited_title for law in session.laws.all() if law.cited_title not in title]
        audience = session.audience
        kind = session.kind
        if kind == StudySession.Kind.LECTURE:
            speaker = f"{session.speaker_org}{session.speaker_post}{session.speaker_name}"
            text = report_text.lecture(speaker=speaker, title=title)
        elif kind == StudySession.Kind.COURT_HEARING:
            text = report_text.watched(audience=audience, title=title)
        elif kind == StudySession.Kind.SELF_STUDY:
            text = report_text.self_study(audience=audience, title=title)
        elif kind == StudySession.Kind.JOINT_SERVICE and session.partners:
            text = report_text.joint_event(partners=session.partners, title=title)
        elif kind == StudySession.Kind.TRAINING:
            if session.organiser and session.organiser != self.org.full_name:
                text = report_text.attended_training(organiser=session.organiser, title=title)
            else:
                text = report_text.held_training(title=title)
        else:
            text = report_text.held_event(title=title)
        if laws:
            text += _("，学习%(laws)s") % {"laws": cited(laws)}
        return text

    def learning(self) -> list[str]:
        sessions = list(
            StudySession.objects.filter(date__year=self.year, kind__in=self.LEARNING_KINDS)
            .prefetch_related("laws")
            .order_by("date", "pk")
        )
        out = []
        for kind in self.LEARNING_KINDS:
            of_kind = [s for s in sessions if s.kind == kind and not self.mentioned(s.title)]
            if not of_kind:
                continue
            if kind == StudySession.Kind.ONLINE_QUIZ:
                out.append(report_text.took_part([s.title for s in of_kind]))
            else:
                out.append("，".join(clause(self.session_sentence(s)) for s in of_kind))
        total = StudySession.objects.filter(date__year=self.year).count()
        if total:
            out.append(_("全年共开展各类学法活动%(n)s次") % {"n": total})
        return out

    # --- the whole draft ---------------------------------------------------------------

    def theme_defaults(self) -> dict[str, ReportThemeDefault]:
        return {d.theme: d for d in ReportThemeDefault.objects.all()}

    def build(self) -> Draft:
        defaults = self.theme_defaults()
        facts = {
            ReportTheme.LEADERSHIP: self.leadership,
            ReportTheme.INSTITUTIONS: self.institutions,
            ReportTheme.RISK: self.risk,
            ReportTheme.SUPERVISION: self.supervision,
            ReportTheme.LEARNING: self.learning,
        }
        sections = [
            SectionDraft(
                key="opening",
                part=Part.OPENING,
                body=_(
                    "%(year)s年，在办党组的领导下，%(org)s认真贯彻落实习近平法治思想，落实省、"
                    "市法治政府建设要求，按照法治政府建设年度计划开展工作。"
                )
                % {"year": self.year, "org": self.org.short_name},
            )
        ]
        theme_order = sorted(
            THEME_ORDER,
            key=lambda t: (
                (defaults[t].order, THEME_ORDER.index(t))
                if t in defaults
                else (99, THEME_ORDER.index(t))
            ),
        )
        for theme in theme_order:
            default = defaults.get(theme)
            heading = default.heading if default else THEME_HEADINGS[theme]
            lead = (default.lead if default else "").replace("{机关简称}", self.org.short_name)
            told = [*facts[theme](), *self.work_records(theme)]
            # A theme without records keeps its place (the numbering follows the themes) with
            # a placeholder staff must replace or confirm as empty before submission.
            body = paragraph([lead, *told]) if told else report_text.PLACEHOLDER
            sections.append(
                SectionDraft(
                    key=f"theme-{theme}", part=Part.ACHIEVEMENTS, heading=heading, body=body
                )
            )
        for part, heading in STATUTORY_HEADINGS.items():
            # Required every year (厅字〔2019〕28号 第二十四条); no record says these.
            sections.append(
                SectionDraft(key=part, part=part, heading=heading, body=report_text.PLACEHOLDER)
            )
        sections += self.next_year()
        for order, section in enumerate(sections, start=1):
            section.order = order * 10
            section.heading = fullwidth_punctuation(section.heading)
            section.body = fullwidth_punctuation(section.body)
        return Draft(
            title=str(AnnualReport.default_title(self.org, self.year)),
            sections=sections,
            warnings=list(dict.fromkeys(self.warnings)),
        )

    def next_year(self) -> list[SectionDraft]:
        next_year = self.year + 1
        plan = (
            WorkPlan.objects.filter(organization=self.org, year=next_year)
            .prefetch_related("sections__tasks")
            .first()
        )
        if plan is None:
            self.warnings.append(
                _("尚未录入%(year)s年度工作计划，报告中“下一年度主要安排”为空。")
                % {"year": next_year}
            )
            return [
                SectionDraft(
                    key="next-opening",
                    part=Part.NEXT_YEAR_OPENING,
                    heading="",
                    body=report_text.PLACEHOLDER,
                )
            ]
        preamble = plan.preamble.strip()
        if preamble and not preamble.startswith(f"{next_year}年"):
            preamble = _("%(year)s年，%(text)s") % {"year": next_year, "text": preamble}
        out = [SectionDraft(key="next-opening", part=Part.NEXT_YEAR_OPENING, body=preamble)]
        for section in plan.sections.all():
            lines = []
            for task in sorted(section.tasks.all(), key=lambda t: t.number):
                body = task.body.strip()
                if task.title and not body.startswith(task.title):
                    body = f"{task.title}。{body}"
                lines.append(f"{task.number}.{body}")
            out.append(
                SectionDraft(
                    key=f"next-{section.order}",
                    part=Part.NEXT_YEAR,
                    heading=section.title,
                    body="\n".join(lines),
                )
            )
        return out


def generate(*, organization: Organization, year: int) -> Draft:
    """The draft of `year`'s report from the records, not saved."""
    if not has_records(organization, year):
        raise NoRecordsError(_("没有%(year)s年度的工作记录，无法生成报告。") % {"year": year})
    # The report is an official Chinese document whatever language its author browses in.
    with translation.override(REPORT_LANGUAGE):
        return _Generator(organization, year).build()


# --- rendering ----------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "heading" (一、), "subheading" (（一）), "para"
    text: str
    lead: str = ""  # a "（一）…。" lead-in set in 楷体 within a paragraph


SUBHEADING = re.compile(r"^(（[一二三四五六七八九十]+）[^。]*。?)(.*)$")


def blocks(sections: Iterable) -> list[Block]:
    """The report's text as headings and paragraphs, headings numbered "一、" within the year's
    part and again within the next year's plan; excluded or empty sections are left out."""
    out: list[Block] = []
    counters = {"current": 0, "next": 0}
    for section in sections:
        if not section.included or not (section.heading.strip() or section.body.strip()):
            continue
        if section.heading.strip():
            group = "next" if section.part in NUMBERED_NEXT else "current"
            if section.part in NUMBERED_CURRENT | NUMBERED_NEXT:
                counters[group] += 1
                text = f"{cn_number(counters[group])}、{section.heading.strip()}"
            else:
                text = section.heading.strip()
            out.append(Block("heading", text))
        for line in section.body.splitlines():
            line = line.strip()
            if not line:
                continue
            match = SUBHEADING.match(line)
            if match and match.group(2):
                out.append(Block("para", match.group(2), lead=match.group(1)))
            elif match:
                out.append(Block("subheading", line))
            else:
                out.append(Block("para", line))
    return out


# GB/T 9704-2012 7.3.1: the title in 2号 (22 pt) on a 156 mm line holds 20 characters; lines
# break between words, never inside one. Digits and Latin letters take half a character.
TITLE_LINE_CHARS = 20
# Where a report title may break: after the office's name, before the year, after "年度",
# before a "关于…" and before the kind of document.
TITLE_BREAKS_BEFORE = re.compile(r"(?=\d{4}年)|(?<=年度)|(?=关于)|(?=法治政府建设)")


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def title_lines(title: str, organization: Organization | None = None, layout: str = "") -> list:
    """The title's lines: as staff marked them with "|" (`layout`), else broken at the word
    boundary that gives the most even lines within the line length."""
    if layout and layout.replace("|", "") == title:
        return [line for line in layout.split("|") if line]
    if _width(title) <= TITLE_LINE_CHARS:
        return [title]
    cuts = {m.start() for m in TITLE_BREAKS_BEFORE.finditer(title)}
    if organization is not None and title.startswith(organization.full_name):
        cuts.add(len(organization.full_name))
    cuts = sorted(c for c in cuts if 0 < c < len(title))

    def best(text: str, offset: int) -> list[str] | None:
        if _width(text) <= TITLE_LINE_CHARS:
            return [text]
        options = []
        for cut in cuts:
            if cut <= offset or cut >= offset + len(text):
                continue
            head = text[: cut - offset]
            if _width(head) > TITLE_LINE_CHARS:
                continue
            rest = best(text[cut - offset :], cut)
            if rest:
                lines = [head, *rest]
                widths = [_width(line) for line in lines]
                options.append((len(lines), max(widths) - min(widths), lines))
        return min(options)[2] if options else None

    return best(title, 0) or [title]


def cn_date(day: datetime.date) -> str:
    """成文日期 in Arabic numerals, no leading zeros (GB/T 9704-2012 7.3.5.1): 2022年3月21日."""
    return f"{day.year}年{day.month}月{day.day}日"


def plain_text(title: str, sections: Iterable) -> str:
    """The report as plain text, one paragraph a line: the PDF's text."""
    lines = [title, ""]
    for block in blocks(sections):
        lines.append(block.lead + block.text)
    return "\n".join(lines) + "\n"


PUBLIC_NOTE = "（此件公开发布）"


def disclosure_body(sections: Iterable, *, organization: Organization, signed_on=None) -> str:
    """The report as the body of its disclosure page: one paragraph a block, blocks separated
    by a blank line, headings as their own paragraphs; without the title (the page shows it
    once), with the 落款 and the "（此件公开发布）" note as on the published page."""
    paragraphs = [block.lead + block.text for block in blocks(sections)]
    if signed_on:
        paragraphs += [organization.full_name + "\n" + cn_date(signed_on)]
    paragraphs.append(PUBLIC_NOTE)
    return "\n\n".join(paragraphs) + "\n"


@translation.override(REPORT_LANGUAGE)
def render_html(
    *,
    title: str,
    sections: Iterable,
    organization: Organization,
    signed_on: datetime.date | None = None,
    title_layout: str = "",
) -> str:
    """The report's HTML in the GB/T 9704-2012 layout: the title in lines broken between
    words, the text, the 落款 (office and 成文日期, by default today) and the note that the
    document is published (附注 "（此件公开发布）")."""

    return render_to_string(
        "lawbuilding/report.html",
        {
            "title": title,
            "title_lines": title_lines(title, organization, title_layout),
            "blocks": blocks(sections),
            "organization": organization,
            "signed_on": cn_date(signed_on or timezone.localdate()),
            "note": PUBLIC_NOTE,
            "fonts": FONT_STACKS,
        },
    )


@translation.override(REPORT_LANGUAGE)
def render_pdf(
    *,
    title: str,
    sections: Iterable,
    organization: Organization,
    summary="",
    signed_on: datetime.date | None = None,
    title_layout: str = "",
) -> bytes:
    sections = list(sections)
    html = render_html(
        title=title,
        sections=sections,
        organization=organization,
        signed_on=signed_on,
        title_layout=title_layout,
    )
    return html_to_pdf(
        html,
        title=title,
        author=organization.full_name,
        subject=summary or title,
        keywords=[_("法治政府建设"), _("年度报告")],
    )
