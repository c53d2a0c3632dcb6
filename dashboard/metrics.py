"""The dashboard's figures, computed from records in a fixed number of queries.

Each panel runs a few aggregate queries that cover the selected year and the year before at
once (conditional `Count`/`Sum`, months as date ranges); nothing here queries per row, so
the number of queries is the same whatever the amount of data
(tests/dashboard/test_dashboard_queries.py).

Every figure carries the admin changelist URL filtered to exactly the records it counts, and
`link_count`, the number of rows that list shows (tests open each link and compare). Natural
filters on the model's own fields are preferred (`?kind__exact=center_group&date__year=2021`);
where no filter gives exactly the set, the link lists the primary keys (`?pk__in=1,2`).
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Q, Sum, Value, When
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications import services as applications
from applications.models import DisclosureWorkReport, InformationRequest
from core.deadlines import Deadline
from dashboard import permissions
from disclosure.models import DisclosureItem
from lawbuilding.models import AnnualReport, PlanTask
from supervision.models import (
    Country,
    Delegation,
    DelegationLimits,
    DelegationMember,
    DelegationStop,
    HonoraryCitizenNotice,
    Nominee,
    NoticeComment,
    Proposal,
)
from trainings.models import Law, StudySession

ACTION_WINDOW_DAYS = 14
OVERDUE_LIST_LIMIT = 10


# --- figures and links -----------------------------------------------------------------------


@dataclass
class Figure:
    """One number on the dashboard, the same number for the previous year, and their links."""

    key: str
    label: str | Promise
    value: int | float | None
    url: str | None = None
    link_count: int | None = None
    previous: int | float | None = None
    previous_url: str | None = None
    previous_link_count: int | None = None
    unit: str | Promise = ""
    # Figures that are sums (participants, views) name the summed field for the tests.
    sum_field: str = ""
    help_text: str | Promise = ""

    @property
    def delta(self) -> int | float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


@dataclass
class Panel:
    key: str
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    note: str | Promise = ""
    extra: dict = field(default_factory=dict)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


@functools.cache
def _changelist_base(label: str, script_prefix: str, urlconf: str | None) -> str | None:
    # Keyed by everything reverse() depends on; reversing ~100 links per page was a
    # noticeable share of the render time.
    app_label, model_name = label.split(".")
    try:
        return reverse(f"admin:{app_label}_{model_name}_changelist")
    except NoReverseMatch:
        return None


def changelist_url(model, params: dict[str, object] | None = None) -> str | None:
    """The admin list of `model` with `params` as its filters; None if it is not in the admin."""
    base = _changelist_base(
        model._meta.label_lower, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    if base is None:
        return None
    if not params:
        return base
    return base + "?" + urlencode({key: str(value) for key, value in params.items()})


def pk_list_url(model, pks: Iterable[int]) -> str | None:
    """Fallback link listing primary keys; no link for an empty set (`pk__in=` is invalid)."""
    pks = sorted(pks)
    if not pks:
        return None
    return changelist_url(model, {"pk__in": ",".join(str(pk) for pk in pks)})


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _year_span(year: int, previous: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(previous, 1, 1), datetime.date(year, 12, 31)


def _month_after(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def _counts(queryset, year_q: dict[int, Q], conditions: dict[str, Q | None]) -> dict:
    """One aggregate query: for every year and condition, `Count('pk', filter=year & cond)`."""
    aggregates = {}
    for year, in_year in year_q.items():
        for name, condition in conditions.items():
            where = in_year if condition is None else in_year & condition
            aggregates[f"{name}_{year}"] = Count("pk", filter=where)
    return queryset.aggregate(**aggregates)


class Figures:
    """Builds one panel's figures for the selected year and the previous one.

    `values` holds each figure's counts under "<key>_<year>" (as `_counts` returns them).
    """

    def __init__(self, model, values: dict, *, year: int, previous: int, unit: str | Promise):
        self.model, self.values = model, values
        self.year, self.previous, self.unit = year, previous, unit

    def count(self, key: str, label, params, *, source: str = "", help_text="") -> Figure:
        """A count whose link is a natural admin filter: `params(year)` gives it (None: no
        link). `source` names the counts in `values` when they are not under `key`."""
        source = source or key
        now, before = self.values[f"{source}_{self.year}"], self.values[f"{source}_{self.previous}"]
        url, previous_url = params(self.year), params(self.previous)
        return Figure(
            key=key,
            label=label,
            value=now,
            url=None if url is None else changelist_url(self.model, url),
            link_count=now,
            previous=before,
            previous_url=None if previous_url is None else changelist_url(self.model, previous_url),
            previous_link_count=before,
            unit=self.unit,
            help_text=help_text,
        )

    def pks(self, key: str, label, pks: dict[int, set], *, help_text="") -> Figure:
        """A count whose link lists the primary keys counted (no natural filter fits)."""
        now, before = pks[self.year], pks[self.previous]
        return Figure(
            key=key,
            label=label,
            value=len(now),
            url=pk_list_url(self.model, now),
            link_count=len(now),
            previous=len(before),
            previous_url=pk_list_url(self.model, before),
            previous_link_count=len(before),
            unit=self.unit,
            help_text=help_text,
        )

    def derived(self, key: str, label, value, previous, *, like: Figure, **fields) -> Figure:
        """A figure computed from records another figure links to (a rate, a sum)."""
        return Figure(
            key=key,
            label=label,
            value=value,
            url=like.url,
            link_count=like.link_count,
            previous=previous,
            previous_url=like.previous_url,
            previous_link_count=like.previous_link_count,
            **{"unit": self.unit, **fields},
        )


# --- work plan -------------------------------------------------------------------------------


def work_plan_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    Status = PlanTask.Status
    # The plan for the year after (drafted during the year, like the seed's 2022 plan with 12
    # tasks in the 2021 report) rides along in the same query.
    years = (year + 1, year, previous)
    values = _counts(
        PlanTask.objects.filter(section__plan__year__in=years),
        {y: Q(section__plan__year=y) for y in years},
        {
            "total": None,
            **{status.value: Q(status=status) for status in Status},
            "overdue": ~Q(status=Status.DONE) & Q(due_on__lt=today),
        },
    )

    def plan(y):
        return {"section__plan__year": y}

    figures = Figures(PlanTask, values, year=year, previous=previous, unit=_("项"))
    panel = Panel("plan", _("年度工作计划"))
    panel.figures.append(figures.count("total", _("计划任务"), plan))
    for status in Status:
        panel.figures.append(
            figures.count(
                status.value, status.label, lambda y, s=status: {**plan(y), "status__exact": s}
            )
        )
    panel.figures += [
        figures.derived(
            "percent_done",
            _("完成率"),
            percent(values[f"done_{year}"], values[f"total_{year}"]),
            percent(values[f"done_{previous}"], values[f"total_{previous}"]),
            like=panel.figure(Status.DONE),
            unit="%",
        ),
        # "overdue" is the admin's 是否逾期 filter: due date passed and not done, as here.
        figures.count(
            "overdue",
            _("逾期未完成"),
            lambda y: {**plan(y), "overdue": "yes"},
            help_text=_("完成时限已过而尚未完成的任务。"),
        ),
        # Its columns: the plan drafted in the selected year (for year + 1), and a year before.
        Figures(PlanTask, values, year=year + 1, previous=year, unit=_("项")).count(
            "next_total",
            _("下一年度计划任务"),
            plan,
            source="total",
            help_text=_("本年度制定的下一年度工作计划中的任务。"),
        ),
    ]
    panel.extra["chart"] = [
        (status.label, values[f"{status.value}_{year}"], values[f"{status.value}_{previous}"])
        for status in Status
    ]
    return panel


# --- learning --------------------------------------------------------------------------------


def learning_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    sessions = StudySession.objects.filter(date__range=_year_span(year, previous))
    in_year = {y: Q(date__year=y) for y in (year, previous)}
    # Months are conditional counts over date ranges in the same query as the totals.
    # (TruncMonth groups in SQL too, but on SQLite it calls a Python function for every row,
    # which made the page's time grow with the number of sessions: bench_dashboard.)
    months = {
        f"m{y}_{m}": Q(date__gte=datetime.date(y, m, 1), date__lt=_month_after(y, m))
        for y in (year, previous)
        for m in range(1, 13)
    }
    values = sessions.aggregate(
        **{name: Count("pk", filter=q) for name, q in months.items()},
        **{f"total_{y}": Count("pk", filter=q) for y, q in in_year.items()},
        **{f"participants_{y}": Sum("participants", filter=q) for y, q in in_year.items()},
        **{
            f"counted_{y}": Count("pk", filter=q & Q(participants__isnull=False))
            for y, q in in_year.items()
        },
    )
    for row in sessions.values("kind").annotate(
        **{f"n_{y}": Count("pk", filter=q) for y, q in in_year.items()}
    ):
        values.update({f"{row['kind']}_{y}": row[f"n_{y}"] for y in (year, previous)})
    laws: dict[int, set] = {year: set(), previous: set()}
    for pk, n_year, n_previous in (
        Law.objects.annotate(
            **{
                f"n_{y}": Count("study_sessions", filter=Q(study_sessions__date__year=y))
                for y in (year, previous)
            }
        )
        .filter(Q(**{f"n_{year}__gt": 0}) | Q(**{f"n_{previous}__gt": 0}))
        .values_list("pk", f"n_{year}", f"n_{previous}")
    ):
        if n_year:
            laws[year].add(pk)
        if n_previous:
            laws[previous].add(pk)

    figures = Figures(StudySession, values, year=year, previous=previous, unit=_("次"))
    panel = Panel("learning", _("学法活动"))
    panel.figures.append(figures.count("total", _("学法活动"), lambda y: {"date__year": y}))
    for kind in StudySession.Kind:
        values.setdefault(f"{kind.value}_{year}", 0)
        values.setdefault(f"{kind.value}_{previous}", 0)
        panel.figures.append(
            figures.count(
                kind.value, kind.label, lambda y, k=kind: {"kind__exact": k, "date__year": y}
            )
        )
    # The participants' sum links to the sessions it adds up: those with a number filled in.
    counted_sessions = figures.count(
        "counted", "", lambda y: {"date__year": y, "participants__isnull": 0}
    )
    panel.figures += [
        figures.derived(
            "participants",
            _("参加人次"),
            values[f"participants_{year}"] or 0,
            values[f"participants_{previous}"] or 0,
            like=counted_sessions,
            unit=_("人次"),
            sum_field="participants",
            help_text=_("已填写参加人数的活动合计。"),
        ),
        Figures(Law, {}, year=year, previous=previous, unit=_("部")).pks(
            "laws", _("学习的法律法规和文件"), laws
        ),
    ]
    panel.extra["months"] = [
        (month, values[f"m{year}_{month}"], values[f"m{previous}_{month}"])
        for month in range(1, 13)
    ]
    panel.extra["month_urls"] = {
        month: changelist_url(StudySession, {"date__year": year, "date__month": month})
        for month in range(1, 13)
    }
    panel.extra["kinds"] = [
        (kind.label, values[f"{kind.value}_{year}"], values[f"{kind.value}_{previous}"])
        for kind in StudySession.Kind
    ]
    return panel


# --- proposals -------------------------------------------------------------------------------

EFFECTIVE_DUE = Proposal.EFFECTIVE_DUE


def _late_proposals(proposals, *, year: int, today: datetime.date) -> tuple[list[dict], int]:
    """The most overdue proposals of the year with their days late, and how many there are.

    Rows are read as plain tuples and only the few listed become dicts with a link, so the
    work stays flat as the overdue pile grows."""
    rows = sorted(
        (-((replied_on or today) - due).days, number, pk, kind, title, due, replied_on)
        for pk, number, kind, title, due, replied_on in proposals.filter(year=year)
        .filter(Proposal.overdue_q(today))
        .annotate(effective_due=EFFECTIVE_DUE)
        .values_list("pk", "number", "kind", "title", "effective_due", "replied_on")
    )
    kinds = dict(Proposal.Kind.choices)
    listed = [
        {
            "pk": pk,
            "year": year,
            "number": number,
            "kind": kind,
            "kind_display": kinds.get(kind, kind),
            "title": title,
            "effective_due": due,
            "replied_on": replied_on,
            "days_late": -days,
            "url": changelist_url(Proposal, {"pk__in": pk}),
        }
        for days, number, pk, kind, title, due, replied_on in rows[:OVERDUE_LIST_LIMIT]
    ]
    return listed, len(rows)


def proposals_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    proposals = Proposal.objects.filter(year__in=[year, previous])
    values = _counts(
        proposals,
        {y: Q(year=y) for y in (year, previous)},
        {
            "received": None,
            "replied": Q(replied_on__isnull=False),
            "in_time": Proposal.replied_in_time_q(),
            "overdue": Proposal.overdue_q(today),
            **{f"class_{c}": Q(result_class=c) for c in Proposal.ResultClass.values},
            **{f"sat_{s}": Q(satisfaction=s) for s in Proposal.Satisfaction.values},
        },
    )
    late, late_total = _late_proposals(proposals, year=year, today=today)

    def of_year(y, **filters):
        return {"year": y, **filters}

    figures = Figures(Proposal, values, year=year, previous=previous, unit=_("件"))
    panel = Panel("proposals", _("提案与建议办理"))
    panel.figures += [
        figures.count("received", _("收到"), of_year),
        figures.count("replied", _("已答复"), lambda y: of_year(y, replied_on__isnull=0)),
        # "deadline" is the admin's 答复时限 filter, with the same rules as counted here.
        figures.count("in_time", _("按期答复"), lambda y: of_year(y, deadline="in_time")),
    ]
    panel.figures += [
        figures.derived(
            "in_time_rate",
            _("按期答复率"),
            percent(values[f"in_time_{year}"], values[f"replied_{year}"]),
            percent(values[f"in_time_{previous}"], values[f"replied_{previous}"]),
            like=panel.figure("in_time"),
            unit="%",
            help_text=_("按期答复件数占已答复件数的比例。"),
        ),
        figures.count(
            "overdue",
            _("逾期"),
            lambda y: of_year(y, deadline="overdue"),
            help_text=_("逾期答复或逾期尚未答复。"),
        ),
    ]
    for c in Proposal.ResultClass:
        panel.figures.append(
            figures.count(
                f"class_{c.value}", c.label, lambda y, c=c: of_year(y, result_class__exact=c)
            )
        )
    for s in Proposal.Satisfaction:
        label = _("满意度：%(level)s") % {"level": s.label}
        panel.figures.append(
            figures.count(f"sat_{s.value}", label, lambda y, s=s: of_year(y, satisfaction__exact=s))
        )
    panel.extra["late"] = late
    panel.extra["late_more"] = max(0, late_total - len(late))
    panel.extra["classes"] = [
        (c, values[f"class_{c}_{year}"], values[f"class_{c}_{previous}"])
        for c in Proposal.ResultClass.values
    ]
    return panel


# --- notices ---------------------------------------------------------------------------------


def notices_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    rows = list(
        HonoraryCitizenNotice.objects.filter(notice_start__range=_year_span(year, previous))
        .annotate(
            nominee_count=Count("nominees", distinct=True),
            pending_count=Count(
                "comments",
                filter=Q(comments__status=NoticeComment.Status.PENDING),
                distinct=True,
            ),
        )
        .values_list("pk", "notice_start", "notice_end", "nominee_count", "pending_count")
    )
    ids: dict[int, list[str]] = {year: [], previous: []}
    values = {
        f"{name}_{y}": 0 for name in ("total", "open", "closed", "nominees", "pending") for y in ids
    }
    for pk, start, end, nominees, pending in rows:
        y = start.year
        ids[y].append(str(pk))
        state = "closed" if end < today else "open" if start <= today else "upcoming"
        for name, add in (("total", 1), (state, 1), ("nominees", nominees), ("pending", pending)):
            values[f"{name}_{y}"] = values.get(f"{name}_{y}", 0) + add

    def of_year(y, **filters):
        return {"notice_start__year": y, **filters}

    def of_notices(y, **filters):
        # Nominees and comments belong to the year's notices: filter by the notice keys.
        return {"notice__in": ",".join(ids[y]), **filters} if ids[y] else None

    notices = Figures(HonoraryCitizenNotice, values, year=year, previous=previous, unit=_("批"))
    panel = Panel("notices", _("荣誉市民公示"))
    panel.figures += [
        notices.count("total", _("公示"), of_year),
        # "notice_status" is the admin's 公示状态 filter, on the same dates as here.
        notices.count("open", _("公示中"), lambda y: of_year(y, notice_status="open")),
        notices.count("closed", _("已结束"), lambda y: of_year(y, notice_status="closed")),
        Figures(Nominee, values, year=year, previous=previous, unit=_("人")).count(
            "nominees", _("公示候选人"), of_notices
        ),
        Figures(NoticeComment, values, year=year, previous=previous, unit=_("条")).count(
            "pending",
            _("待审核意见"),
            lambda y: of_notices(y, status__exact=NoticeComment.Status.PENDING),
        ),
    ]
    return panel


# --- delegations -----------------------------------------------------------------------------


class _StopCountry(NamedTuple):
    """What DelegationLimits.violations reads of a country, without building model instances
    (the model's own `is_far` rule is reused, so the two cannot drift apart)."""

    region: str
    Region = Country.Region
    is_far = Country.is_far


def delegations_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    limits = DelegationLimits.current()
    span = _year_span(year, previous)
    # Three queries whatever the number of trips: the limits, the trips, their stops.
    trips = (
        Delegation.objects.filter(departure_on__range=span)
        .annotate(
            member_total=Count("members", distinct=True),
            has_findings=Case(
                When(~Q(in_trip_findings="") | ~Q(post_trip_findings=""), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("departure_on", "pk")
        .values_list(
            "pk", "name", "departure_on", "return_on", "pre_notice_start", "education_on",
            "in_trip_checked_on", "post_trip_checked_on", "member_total", "has_findings",
            named=True,
        )
    )  # fmt: skip
    stops: dict[int, list[_StopCountry]] = defaultdict(list)
    for delegation_id, region in (
        DelegationStop.objects.filter(delegation__departure_on__range=span)
        .order_by("delegation_id", "order")
        .values_list("delegation_id", "country__region")
    ):
        stops[delegation_id].append(_StopCountry(region))

    checks = {
        "pre_notice": "pre_notice_start",
        "education": "education_on",
        "in_trip": "in_trip_checked_on",
        "post_trip": "post_trip_checked_on",
    }
    values = {f"{name}_{y}": 0 for name in ("total", "members", *checks) for y in (year, previous)}
    ids: dict[int, list[str]] = {year: [], previous: []}
    findings: dict[int, set] = {year: set(), previous: set()}
    violators: dict[int, set] = {year: set(), previous: set()}
    violation_list = []
    for trip in trips:
        y = trip.departure_on.year
        ids[y].append(str(trip.pk))
        values[f"total_{y}"] += 1
        values[f"members_{y}"] += trip.member_total
        for name, field_name in checks.items():
            values[f"{name}_{y}"] += getattr(trip, field_name) is not None
        if trip.has_findings:
            findings[y].add(trip.pk)
        problems = limits.violations(
            departure_on=trip.departure_on,
            return_on=trip.return_on,
            member_count=trip.member_total,
            countries=stops[trip.pk],
        )
        if problems:
            violators[y].add(trip.pk)
            if y == year:
                violation_list.append({"delegation": trip, "problems": problems})
    values.update({f"violations_{y}": len(violators[y]) for y in (year, previous)})

    def of_year(y, **filters):
        return {"departure_on__year": y, **filters}

    figures = Figures(Delegation, values, year=year, previous=previous, unit=_("个"))
    panel = Panel("delegations", _("因公出国（境）团组"))
    panel.figures += [
        figures.count("total", _("团组"), of_year),
        Figures(DelegationMember, values, year=year, previous=previous, unit=_("人次")).count(
            "members",
            _("出访人员"),
            lambda y: {"delegation__in": ",".join(ids[y])} if ids[y] else None,
        ),
    ]
    for (name, field_name), label in zip(
        checks.items(),
        (_("已做出访前公示"), _("已做行前教育"), _("已做事中检查"), _("已做事后检查")),
        strict=True,
    ):
        # The admin's "empty / not empty" filters on the dates of each step.
        panel.figures.append(
            figures.count(name, label, lambda y, f=field_name: of_year(y, **{f"{f}__isempty": 0}))
        )
    panel.figures += [
        figures.pks("findings", _("检查有发现的团组"), findings),
        # "violation" is the admin's 出访规则 filter, applying DelegationLimits.violations too.
        figures.count("violations", _("违反出访规定的团组"), lambda y: of_year(y, violation="yes")),
    ]
    panel.extra["violations"] = violation_list[:OVERDUE_LIST_LIMIT]
    return panel


# --- disclosure ------------------------------------------------------------------------------

MANDATORY_DISCLOSURE_FIELDS = ("index_number", "title", "summary")


def disclosure_missing_q() -> Q:
    """索引号, 信息名称, 内容概述 empty (生成日期 cannot be empty in the database)."""
    missing = Q()
    for name in MANDATORY_DISCLOSURE_FIELDS:
        missing |= Q(**{name: ""})
    return missing


def disclosure_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    span = _year_span(year, previous)
    values = DisclosureItem.objects.filter(published_on__range=span).aggregate(
        **{f"published_{y}": Count("pk", filter=Q(published_on__year=y)) for y in (year, previous)},
        **{
            f"views_{y}": Sum("view_count", filter=Q(published_on__year=y))
            for y in (year, previous)
        },
    )
    # An item belongs to the year it was published in, or, unpublished, to its generation year.
    missing: dict[int, set] = {year: set(), previous: set()}
    for pk, published_on, generated_on in (
        DisclosureItem.objects.filter(disclosure_missing_q())
        .filter(
            Q(published_on__range=span) | Q(published_on__isnull=True, generated_on__range=span)
        )
        .values_list("pk", "published_on", "generated_on")
    ):
        missing[(published_on or generated_on).year].add(pk)

    figures = Figures(DisclosureItem, values, year=year, previous=previous, unit=_("条"))
    panel = Panel("disclosure", _("政务公开"))
    panel.figures.append(
        figures.count("published", _("本年公开信息"), lambda y: {"published_on__year": y})
    )
    panel.figures += [
        figures.derived(
            "views",
            _("浏览次数合计"),
            values[f"views_{year}"] or 0,
            values[f"views_{previous}"] or 0,
            like=panel.figure("published"),
            unit=_("次"),
            sum_field="view_count",
        ),
        figures.pks(
            "missing",
            _("必填项缺失"),
            missing,
            help_text=_("索引号、信息名称、内容概述或生成日期为空的信息。"),
        ),
    ]
    return panel


# --- the annual report and its deadlines -----------------------------------------------------

DISCLOSURE_REPORT_TITLE = "政府信息公开工作年度报告"


def report_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    """The selected year's report and the statutory dates, which fall in the next year:
    report by 1 March, publish by 1 April (厅字〔2019〕28号) and the disclosure work report by
    31 January (《政府信息公开条例》第四十九条)."""
    panel = Panel("report", _("年度报告"))
    # The newest revision speaks for the year (a correction supersedes what it corrects).
    report = AnnualReport.objects.filter(year=year).order_by("-revision", "-pk").first()
    report_url = changelist_url(AnnualReport, {"year": year})
    approved_on = getattr(report, "approved_on", None)
    published_on = getattr(report, "published_on", None)
    first = report
    while getattr(first, "corrects_id", None):
        # The duties to report and publish were met by the first revision: a correction
        # approved or published later does not move those dates (厅字〔2019〕28号).
        first = first.corrects
        approved_on = first.approved_on or approved_on
        published_on = first.published_on or published_on
    status_display = report.get_status_display() if report else ""
    if report is None:
        # Years reported before the portal (the seed's 2021 report) left only their disclosure
        # item: 生成日期 is the approval date and 公开日期 the publication.
        published_filter = {
            "title__contains": f"{year}年度法治政府建设情况报告",
            "published_on__isnull": False,
        }
        published_item = (
            DisclosureItem.objects.filter(**published_filter)
            .order_by("published_on")
            .values("generated_on", "published_on")
            .first()
        )
        if published_item is not None:
            approved_on, published_on = (
                published_item["generated_on"],
                published_item["published_on"],
            )
            status_display = _("已公开发布（据政务公开信息）")
            report_url = changelist_url(
                DisclosureItem, {**published_filter, "published_on__isnull": 0}
            )

    disclosure_report_on, disclosure_report_url = _disclosure_work_report(year)
    panel.extra.update(
        report=report,
        status=getattr(report, "status", ""),
        status_display=status_display,
        report_url=report_url,
        deadlines=[
            Deadline(
                _("报送法治政府建设年度报告（3月1日前）"),
                AnnualReport.report_due_for(year),
                approved_on,
                today,
                report_url,
            ),
            Deadline(
                _("公开法治政府建设年度报告（4月1日前）"),
                AnnualReport.publish_due_for(year),
                published_on,
                today,
                report_url,
            ),
            Deadline(
                _("政府信息公开工作年度报告（1月31日前）"),
                DisclosureWorkReport.due_for(year),
                disclosure_report_on,
                today,
                disclosure_report_url,
            ),
        ],
    )
    return panel


def _disclosure_work_report(year: int) -> tuple[datetime.date | None, str | None]:
    """When `year`'s disclosure work report was first published (a correction published later
    does not move it, 《政府信息公开条例》第四十九条), and where to see it: the report in the
    portal, else, for years reported before the portal, its disclosure item found by title."""
    report = (
        DisclosureWorkReport.objects.filter(year=year)
        .select_related("corrects")
        .order_by("-revision", "-pk")
        .first()
    )
    if report is not None:
        return report.first_published_on, changelist_url(DisclosureWorkReport, {"year": year})
    # Matched against the Chinese titles of disclosure items, so never translated.
    published_filter = {
        "title__contains": DISCLOSURE_REPORT_TITLE,
        "title__icontains": f"{year}年",
        "published_on__isnull": False,
    }
    published_on = (
        DisclosureItem.objects.filter(**published_filter)
        .order_by("published_on")
        .values_list("published_on", flat=True)
        .first()
    )
    return published_on, changelist_url(
        DisclosureItem, {**published_filter, "published_on__isnull": 0}
    )


# --- awaiting your action --------------------------------------------------------------------


@dataclass
class ActionItem:
    label: str | Promise
    count: int
    url: str | None
    rows: list = field(default_factory=list)


def awaiting_action(user, *, today: datetime.date) -> list[ActionItem]:
    items: list[ActionItem] = []
    if permissions.can_review_reports(user):
        # The workflow refuses approving one's own submission (lawbuilding.services).
        submitted = AnnualReport.objects.filter(status=AnnualReport.Status.SUBMITTED).exclude(
            submitted_by=user
        )
        to_review = list(submitted.order_by("year").values("pk", "year"))
        items.append(
            ActionItem(
                _("待审核的年度报告"),
                len(to_review),
                pk_list_url(AnnualReport, (row["pk"] for row in to_review)),
                rows=to_review,
            )
        )
    if permissions.can_moderate_comments(user):
        pending = NoticeComment.objects.filter(status=NoticeComment.Status.PENDING).count()
        items.append(
            ActionItem(
                _("待审核的公示意见"),
                pending,
                changelist_url(NoticeComment, {"status__exact": NoticeComment.Status.PENDING}),
            )
        )
    if permissions.can_handle_proposals(user):
        window_end = today + datetime.timedelta(days=ACTION_WINDOW_DAYS)
        unreplied = list(
            Proposal.objects.filter(replied_on__isnull=True)
            .annotate(effective_due=EFFECTIVE_DUE)
            .filter(effective_due__lte=window_end)
            .order_by("effective_due", "number")
            .values("pk", "kind", "year", "number", "title", "effective_due")
        )
        kinds = dict(Proposal.Kind.choices)
        for row in unreplied:
            row["kind_display"] = kinds.get(row["kind"], row["kind"])
            row["days_left"] = (row["effective_due"] - today).days
            row["days_overdue"] = max(0, -row["days_left"])
        due_soon = [row for row in unreplied if row["days_left"] >= 0]
        overdue = [row for row in unreplied if row["days_left"] < 0]
        # The admin's 答复时限 filter has both sets ("due_soon", and "overdue" unreplied).
        items.append(
            ActionItem(
                _("14 天内到期的提案答复"),
                len(due_soon),
                changelist_url(Proposal, {"deadline": "due_soon"}),
                rows=due_soon[:OVERDUE_LIST_LIMIT],
            )
        )
        if overdue:
            items.append(
                ActionItem(
                    _("已逾期尚未答复的提案"),
                    len(overdue),
                    changelist_url(Proposal, {"deadline": "overdue", "replied_on__isnull": 1}),
                    rows=overdue[:OVERDUE_LIST_LIMIT],
                )
            )
    items.extend(_application_actions(user, today=today))
    return items


def _application_actions(user, *, today: datetime.date) -> list[ActionItem]:
    """Applications for disclosure due within 5 working days and overdue ones
    (《政府信息公开条例》第三十三条), for the staff who handle them."""
    if not applications.can_handle(user):
        return []
    items = [
        ActionItem(
            _("5 个工作日内到期的政府信息公开申请"),
            applications.due_soon(today).count(),
            changelist_url(InformationRequest, {"deadline": "due_soon"}),
        )
    ]
    late = applications.overdue(today).count()
    if late:
        items.append(
            ActionItem(
                _("已逾期的政府信息公开申请"),
                late,
                changelist_url(InformationRequest, {"deadline": "overdue"}),
            )
        )
    return items


# --- everything ------------------------------------------------------------------------------


@dataclass
class DashboardData:
    year: int
    previous: int
    today: datetime.date
    panels: dict[str, Panel]
    actions: list[ActionItem]

    HEADLINE = (
        ("plan", "percent_done", _("计划任务完成率")),
        ("learning", "total", _("学法活动")),
        ("proposals", "in_time_rate", _("提案建议按期答复率")),
        ("proposals", "overdue", _("逾期提案建议")),
        ("delegations", "violations", _("违反出访规定的团组")),
        ("disclosure", "missing", _("缺必填项的公开信息")),
    )

    @property
    def headline(self) -> list[tuple[str | Promise, Figure]]:
        """The few figures read first, shown as tiles above the panels."""
        return [(label, self.panels[p].figure(f)) for p, f, label in self.HEADLINE]


def build_dashboard(*, year: int, user, today: datetime.date) -> DashboardData:
    previous = year - 1
    panels = {}
    for build in (
        work_plan_panel,
        learning_panel,
        proposals_panel,
        notices_panel,
        delegations_panel,
        disclosure_panel,
        report_panel,
    ):
        panel = build(year=year, previous=previous, today=today)
        panels[panel.key] = panel
    return DashboardData(
        year=year,
        previous=previous,
        today=today,
        panels=panels,
        actions=awaiting_action(user, today=today),
    )
