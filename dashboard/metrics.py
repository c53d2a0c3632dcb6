"""The dashboard's figures, computed from records in a fixed number of queries.

Each panel runs a few aggregate queries that cover the selected year and the year before at
once (conditional `Count`/`Sum`, months as date ranges); nothing here queries per row, so
the number of queries is the same whatever the amount of data (tests/test_dashboard_queries.py).

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

from django.apps import apps
from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dashboard import permissions
from lawbuilding.models import PlanTask
from supervision.models import (
    Country,
    Delegation,
    DelegationLimits,
    DelegationMember,
    DelegationStop,
    DisclosureItem,
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


def _figure(
    key: str,
    label,
    model,
    *,
    values: dict,
    year: int,
    previous: int,
    params,
    unit="",
    help_text="",
) -> Figure:
    """A count figure whose link is a natural admin filter: `params(year)` gives the filter."""
    now, before = values[f"{key}_{year}"], values[f"{key}_{previous}"]
    return Figure(
        key=key,
        label=label,
        value=now,
        url=changelist_url(model, params(year)),
        link_count=now,
        previous=before,
        previous_url=changelist_url(model, params(previous)),
        previous_link_count=before,
        unit=unit,
        help_text=help_text,
    )


def _pk_figure(key: str, label, model, *, pks: dict[int, set], year: int, previous: int, unit=""):
    """A count figure whose link lists the primary keys counted."""
    return Figure(
        key=key,
        label=label,
        value=len(pks[year]),
        url=pk_list_url(model, pks[year]),
        link_count=len(pks[year]),
        previous=len(pks[previous]),
        previous_url=pk_list_url(model, pks[previous]),
        previous_link_count=len(pks[previous]),
        unit=unit,
    )


# --- work plan -------------------------------------------------------------------------------


def work_plan_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    in_year = {y: Q(section__plan__year=y) for y in (year, previous)}
    overdue = ~Q(status=PlanTask.Status.DONE) & Q(due_on__lt=today)
    # Tasks of the plan for the year after (drafted during the year, e.g. the seed's 2022
    # plan with 12 tasks in the 2021 report) ride along in the same query.
    in_year[year + 1] = Q(section__plan__year=year + 1)
    values = _counts(
        PlanTask.objects.filter(section__plan__year__in=[year + 1, year, previous]),
        in_year,
        {
            "total": None,
            PlanTask.Status.NOT_STARTED: Q(status=PlanTask.Status.NOT_STARTED),
            PlanTask.Status.IN_PROGRESS: Q(status=PlanTask.Status.IN_PROGRESS),
            PlanTask.Status.DONE: Q(status=PlanTask.Status.DONE),
            "overdue": overdue,
        },
    )

    def plan(y):
        return {"section__plan__year": y}

    panel = Panel("plan", _("年度工作计划"))
    panel.figures.append(
        _figure(
            "total",
            _("计划任务"),
            PlanTask,
            values=values,
            year=year,
            previous=previous,
            params=plan,
            unit=_("项"),
        )
    )
    for status in PlanTask.Status:
        panel.figures.append(
            _figure(
                status.value,
                status.label,
                PlanTask,
                values=values,
                year=year,
                previous=previous,
                params=lambda y, s=status: {**plan(y), "status__exact": s},
                unit=_("项"),
            )
        )
    done = panel.figure(PlanTask.Status.DONE)
    panel.figures.append(
        Figure(
            key="percent_done",
            label=_("完成率"),
            value=percent(values[f"done_{year}"], values[f"total_{year}"]),
            url=done.url,
            link_count=done.link_count,
            previous=percent(values[f"done_{previous}"], values[f"total_{previous}"]),
            previous_url=done.previous_url,
            previous_link_count=done.previous_link_count,
            unit="%",
        )
    )
    panel.figures.append(
        _figure(
            "overdue",
            _("逾期未完成"),
            PlanTask,
            values=values,
            year=year,
            previous=previous,
            # The admin's "是否逾期" filter: due date passed, not done (as counted here).
            params=lambda y: {**plan(y), "overdue": "yes"},
            unit=_("项"),
            help_text=_("完成时限已过而尚未完成的任务。"),
        )
    )
    # Its two columns: the plan drafted in the selected year (for year + 1) and in the one before.
    panel.figures.append(
        Figure(
            key="next_total",
            label=_("下一年度计划任务"),
            value=values[f"total_{year + 1}"],
            url=changelist_url(PlanTask, plan(year + 1)),
            link_count=values[f"total_{year + 1}"],
            previous=values[f"total_{year}"],
            previous_url=changelist_url(PlanTask, plan(year)),
            previous_link_count=values[f"total_{year}"],
            unit=_("项"),
            help_text=_("本年度制定的下一年度工作计划中的任务。"),
        )
    )
    panel.extra["chart"] = [
        (status.label, values[f"{status.value}_{year}"], values[f"{status.value}_{previous}"])
        for status in PlanTask.Status
    ]
    return panel


# --- learning --------------------------------------------------------------------------------


def learning_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    sessions = StudySession.objects.filter(date__range=_year_span(year, previous))
    in_year = {y: Q(date__year=y) for y in (year, previous)}
    # Months as conditional counts over date ranges, in the same query as the totals:
    # TruncMonth would group in SQL too, but on SQLite it calls a Python function for every
    # row, which made the page's time grow with the number of sessions (bench_dashboard).
    months = {
        f"m{y}_{m}": Q(date__gte=datetime.date(y, m, 1), date__lt=_month_after(y, m))
        for y in (year, previous)
        for m in range(1, 13)
    }
    totals = sessions.aggregate(
        **{name: Count("pk", filter=q) for name, q in months.items()},
        **{f"total_{y}": Count("pk", filter=q) for y, q in in_year.items()},
        **{f"participants_{y}": Sum("participants", filter=q) for y, q in in_year.items()},
        **{
            f"counted_{y}": Count("pk", filter=q & Q(participants__isnull=False))
            for y, q in in_year.items()
        },
    )
    by_kind = {
        row["kind"]: row
        for row in sessions.values("kind").annotate(
            **{f"n_{y}": Count("pk", filter=q) for y, q in in_year.items()}
        )
    }
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

    panel = Panel("learning", _("学法活动"))
    panel.figures.append(
        _figure(
            "total",
            _("学法活动"),
            StudySession,
            values=totals,
            year=year,
            previous=previous,
            params=lambda y: {"date__year": y},
            unit=_("次"),
        )
    )
    for kind in StudySession.Kind:
        row = by_kind.get(kind.value, {})
        counts = {f"{kind.value}_{y}": row.get(f"n_{y}", 0) for y in (year, previous)}
        panel.figures.append(
            _figure(
                kind.value,
                kind.label,
                StudySession,
                values=counts,
                year=year,
                previous=previous,
                params=lambda y, k=kind: {"kind__exact": k, "date__year": y},
                unit=_("次"),
            )
        )
    panel.figures.append(
        Figure(
            key="participants",
            label=_("参加人次"),
            value=totals[f"participants_{year}"] or 0,
            url=changelist_url(StudySession, {"date__year": year, "participants__isnull": 0}),
            link_count=totals[f"counted_{year}"],
            previous=totals[f"participants_{previous}"] or 0,
            previous_url=changelist_url(
                StudySession, {"date__year": previous, "participants__isnull": 0}
            ),
            previous_link_count=totals[f"counted_{previous}"],
            unit=_("人次"),
            sum_field="participants",
            help_text=_("已填写参加人数的活动合计。"),
        )
    )
    panel.figures.append(
        _pk_figure(
            "laws",
            _("学习的法律法规和文件"),
            Law,
            pks=laws,
            year=year,
            previous=previous,
            unit=_("部"),
        )
    )
    panel.extra["months"] = [
        (month, totals[f"m{year}_{month}"], totals[f"m{previous}_{month}"])
        for month in range(1, 13)
    ]
    panel.extra["month_urls"] = {
        month: changelist_url(StudySession, {"date__year": year, "date__month": month})
        for month in range(1, 13)
    }
    panel.extra["kinds"] = [
        (kind.label, panel.figure(kind.value).value, panel.figure(kind.value).previous)
        for kind in StudySession.Kind
    ]
    return panel


# --- proposals -------------------------------------------------------------------------------

EFFECTIVE_DUE = Coalesce(F("extended_due_on"), F("due_on"))
REPLIED_IN_TIME = Q(replied_on__isnull=False, replied_on__lte=EFFECTIVE_DUE)


def proposal_overdue_q(today: datetime.date) -> Q:
    """Late replies, and proposals still unanswered after their (extended) due date."""
    unreplied_past_due = Q(replied_on__isnull=True, due_on__lt=today) & (
        Q(extended_due_on__isnull=True) | Q(extended_due_on__lt=today)
    )
    return Q(replied_on__gt=EFFECTIVE_DUE) | unreplied_past_due


def proposals_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    proposals = Proposal.objects.filter(year__in=[year, previous])
    in_year = {y: Q(year=y) for y in (year, previous)}
    conditions: dict[str, Q | None] = {
        "received": None,
        "replied": Q(replied_on__isnull=False),
        "in_time": REPLIED_IN_TIME,
        "overdue": proposal_overdue_q(today),
    }
    conditions.update({f"class_{c}": Q(result_class=c) for c in Proposal.ResultClass.values})
    conditions.update({f"sat_{s}": Q(satisfaction=s) for s in Proposal.Satisfaction.values})
    values = _counts(proposals, in_year, conditions)

    # Rows are read as plain tuples and only the few listed become dicts with a link, so the
    # work stays flat as the overdue pile grows.
    overdue_rows = sorted(
        (
            -((replied_on or today) - effective_due).days,
            number,
            pk,
            kind,
            title,
            effective_due,
            replied_on,
        )
        for pk, number, kind, title, effective_due, replied_on in proposals.filter(year=year)
        .filter(proposal_overdue_q(today))
        .annotate(effective_due=EFFECTIVE_DUE)
        .values_list("pk", "number", "kind", "title", "effective_due", "replied_on")
    )
    kinds = dict(Proposal.Kind.choices)
    late = [
        {
            "pk": pk,
            "year": year,
            "number": number,
            "kind": kind,
            "kind_display": kinds.get(kind, kind),
            "title": title,
            "effective_due": effective_due,
            "replied_on": replied_on,
            "days_late": -days,
            "url": changelist_url(Proposal, {"pk__in": pk}),
        }
        for days, number, pk, kind, title, effective_due, replied_on in overdue_rows[
            :OVERDUE_LIST_LIMIT
        ]
    ]

    def of_year(y):
        return {"year": y}

    def count(key, label, params, help_text=""):
        return _figure(
            key,
            label,
            Proposal,
            values=values,
            year=year,
            previous=previous,
            params=params,
            unit=_("件"),
            help_text=help_text,
        )

    panel = Panel("proposals", _("提案与建议办理"))
    panel.figures += [
        count("received", _("收到"), of_year),
        count("replied", _("已答复"), lambda y: {**of_year(y), "replied_on__isnull": 0}),
        # "deadline" is the admin's 答复时限 filter, with the same rules as counted here.
        count("in_time", _("按期答复"), lambda y: {**of_year(y), "deadline": "in_time"}),
    ]
    in_time = panel.figure("in_time")
    panel.figures += [
        Figure(
            key="in_time_rate",
            label=_("按期答复率"),
            value=percent(values[f"in_time_{year}"], values[f"replied_{year}"]),
            url=in_time.url,
            link_count=in_time.link_count,
            previous=percent(values[f"in_time_{previous}"], values[f"replied_{previous}"]),
            previous_url=in_time.previous_url,
            previous_link_count=in_time.previous_link_count,
            unit="%",
            help_text=_("按期答复件数占已答复件数的比例。"),
        ),
        count(
            "overdue",
            _("逾期"),
            lambda y: {**of_year(y), "deadline": "overdue"},
            help_text=_("逾期答复或逾期尚未答复。"),
        ),
    ]
    for choice in Proposal.ResultClass:
        panel.figures.append(
            count(
                f"class_{choice.value}",
                choice.label,
                lambda y, c=choice: {**of_year(y), "result_class__exact": c},
            )
        )
    for choice in Proposal.Satisfaction:
        panel.figures.append(
            count(
                f"sat_{choice.value}",
                _("满意度：%(level)s") % {"level": choice.label},
                lambda y, c=choice: {**of_year(y), "satisfaction__exact": c},
            )
        )
    panel.extra["late"] = late
    panel.extra["late_more"] = max(0, len(overdue_rows) - OVERDUE_LIST_LIMIT)
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
        .values("pk", "notice_start", "notice_end", "nominee_count", "pending_count")
    )
    notices = {year: [], previous: []}
    for row in rows:
        notices[row["notice_start"].year].append(row)

    def state(row) -> str:
        if row["notice_end"] < today:
            return "closed"
        return "open" if row["notice_start"] <= today else "upcoming"

    def ids(y, predicate=lambda row: True):
        return ",".join(str(row["pk"]) for row in notices[y] if predicate(row))

    panel = Panel("notices", _("荣誉市民公示"))
    counts = {}
    for y in (year, previous):
        counts[f"total_{y}"] = len(notices[y])
        for name in ("open", "closed", "upcoming"):
            counts[f"{name}_{y}"] = sum(1 for row in notices[y] if state(row) == name)
        counts[f"nominees_{y}"] = sum(row["nominee_count"] for row in notices[y])
        counts[f"pending_{y}"] = sum(row["pending_count"] for row in notices[y])

    def of_year(y):
        return {"notice_start__year": y}

    panel.figures += [
        _figure(
            "total",
            _("公示"),
            HonoraryCitizenNotice,
            values=counts,
            year=year,
            previous=previous,
            params=of_year,
            unit=_("批"),
        ),
        _figure(
            "open",
            _("公示中"),
            HonoraryCitizenNotice,
            values=counts,
            year=year,
            previous=previous,
            # "notice_status" is the admin's 公示状态 filter (same dates as here).
            params=lambda y: {**of_year(y), "notice_status": "open"},
            unit=_("批"),
        ),
        _figure(
            "closed",
            _("已结束"),
            HonoraryCitizenNotice,
            values=counts,
            year=year,
            previous=previous,
            params=lambda y: {**of_year(y), "notice_status": "closed"},
            unit=_("批"),
        ),
    ]
    # Nominees and comments belong to the year's notices: filter by their notice keys.
    for key, label, model, unit, extra in (
        ("nominees", _("公示候选人"), Nominee, _("人"), {}),
        (
            "pending",
            _("待审核意见"),
            NoticeComment,
            _("条"),
            {"status__exact": NoticeComment.Status.PENDING},
        ),
    ):
        urls = {
            y: changelist_url(model, {"notice__in": ids(y), **extra}) if notices[y] else None
            for y in (year, previous)
        }
        panel.figures.append(
            Figure(
                key=key,
                label=label,
                value=counts[f"{key}_{year}"],
                url=urls[year],
                link_count=counts[f"{key}_{year}"],
                previous=counts[f"{key}_{previous}"],
                previous_url=urls[previous],
                previous_link_count=counts[f"{key}_{previous}"],
                unit=unit,
            )
        )
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
    # Three queries whatever the number of trips: limits, trips with member counts, stops.
    trips = list(
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
            "pk",
            "name",
            "departure_on",
            "return_on",
            "pre_notice_start",
            "education_on",
            "in_trip_checked_on",
            "post_trip_checked_on",
            "member_total",
            "has_findings",
            named=True,
        )
    )
    stops: dict[int, list[_StopCountry]] = defaultdict(list)
    for delegation_id, region in (
        DelegationStop.objects.filter(delegation__departure_on__range=span)
        .order_by("delegation_id", "order")
        .values_list("delegation_id", "country__region")
    ):
        stops[delegation_id].append(_StopCountry(region))
    by_year: dict[int, list] = {year: [], previous: []}
    for trip in trips:
        by_year[trip.departure_on.year].append(trip)

    counts: dict[str, int] = {}
    findings: dict[int, set] = defaultdict(set)
    violators: dict[int, set] = defaultdict(set)
    violation_list = []
    for y, rows in by_year.items():
        counts[f"total_{y}"] = len(rows)
        counts[f"members_{y}"] = sum(d.member_total for d in rows)
        counts[f"pre_notice_{y}"] = sum(1 for d in rows if d.pre_notice_start)
        counts[f"education_{y}"] = sum(1 for d in rows if d.education_on)
        counts[f"in_trip_{y}"] = sum(1 for d in rows if d.in_trip_checked_on)
        counts[f"post_trip_{y}"] = sum(1 for d in rows if d.post_trip_checked_on)
        for d in rows:
            if d.has_findings:
                findings[y].add(d.pk)
            problems = limits.violations(
                departure_on=d.departure_on,
                return_on=d.return_on,
                member_count=d.member_total,
                countries=stops[d.pk],
            )
            if problems:
                violators[y].add(d.pk)
                if y == year:
                    violation_list.append({"delegation": d, "problems": problems})

    def of_year(y):
        return {"departure_on__year": y}

    def done(field_name):
        # The admin's "empty / not empty" filters on the check dates.
        return lambda y: {**of_year(y), f"{field_name}__isempty": 0}

    panel = Panel("delegations", _("因公出国（境）团组"))
    panel.figures.append(
        _figure(
            "total",
            _("团组"),
            Delegation,
            values=counts,
            year=year,
            previous=previous,
            params=of_year,
            unit=_("个"),
        )
    )
    member_urls = {
        y: changelist_url(DelegationMember, {"delegation__in": ",".join(str(d.pk) for d in rows)})
        if rows
        else None
        for y, rows in by_year.items()
    }
    panel.figures.append(
        Figure(
            key="members",
            label=_("出访人员"),
            value=counts[f"members_{year}"],
            url=member_urls[year],
            link_count=counts[f"members_{year}"],
            previous=counts[f"members_{previous}"],
            previous_url=member_urls[previous],
            previous_link_count=counts[f"members_{previous}"],
            unit=_("人次"),
        )
    )
    for key, label, field_name in (
        ("pre_notice", _("已做出访前公示"), "pre_notice_start"),
        ("education", _("已做行前教育"), "education_on"),
        ("in_trip", _("已做事中检查"), "in_trip_checked_on"),
        ("post_trip", _("已做事后检查"), "post_trip_checked_on"),
    ):
        panel.figures.append(
            _figure(
                key,
                label,
                Delegation,
                values=counts,
                year=year,
                previous=previous,
                params=done(field_name),
                unit=_("个"),
            )
        )
    panel.figures += [
        _pk_figure(
            "findings",
            _("检查有发现的团组"),
            Delegation,
            pks=findings,
            year=year,
            previous=previous,
            unit=_("个"),
        ),
        # "violation" is the admin's 出访规则 filter, applying DelegationLimits.violations too.
        _figure(
            "violations",
            _("违反出访规定的团组"),
            Delegation,
            values={f"violations_{y}": len(violators[y]) for y in (year, previous)},
            year=year,
            previous=previous,
            params=lambda y: {**of_year(y), "violation": "yes"},
            unit=_("个"),
        ),
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
    published = DisclosureItem.objects.filter(published_on__range=_year_span(year, previous))
    values = published.aggregate(
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
            Q(published_on__range=_year_span(year, previous))
            | Q(published_on__isnull=True, generated_on__range=_year_span(year, previous))
        )
        .values_list("pk", "published_on", "generated_on")
    ):
        missing[(published_on or generated_on).year].add(pk)

    def of_year(y):
        return {"published_on__year": y}

    panel = Panel("disclosure", _("政务公开"))
    panel.figures.append(
        _figure(
            "published",
            _("本年公开信息"),
            DisclosureItem,
            values=values,
            year=year,
            previous=previous,
            params=of_year,
            unit=_("条"),
        )
    )
    published_figure = panel.figures[0]
    panel.figures.append(
        Figure(
            key="views",
            label=_("浏览次数合计"),
            value=values[f"views_{year}"] or 0,
            url=published_figure.url,
            link_count=published_figure.link_count,
            previous=values[f"views_{previous}"] or 0,
            previous_url=published_figure.previous_url,
            previous_link_count=published_figure.previous_link_count,
            unit=_("次"),
            sum_field="view_count",
        )
    )
    panel.figures.append(
        _pk_figure(
            "missing",
            _("必填项缺失"),
            DisclosureItem,
            pks=missing,
            year=year,
            previous=previous,
            unit=_("条"),
        )
    )
    panel.figures[-1].help_text = _("索引号、信息名称、内容概述或生成日期为空的信息。")
    return panel


# --- the annual report and its deadlines -----------------------------------------------------

DISCLOSURE_REPORT_TITLE = "政府信息公开工作年度报告"


@dataclass
class Deadline:
    label: str | Promise
    due_on: datetime.date
    met: bool | None  # None: the records cannot tell
    days_left: int  # negative when the date has passed
    url: str | None = None
    done_on: datetime.date | None = None

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def days_late(self) -> int:
        """Days a completed step came after its date (0 when on time)."""
        return max(0, (self.done_on - self.due_on).days) if self.done_on else 0


def annual_report_model():
    """The report workflow's model (issue 3), or None where it does not exist."""
    try:
        return apps.get_model("lawbuilding", "AnnualReport")
    except LookupError:
        return None


def report_panel(*, year: int, previous: int, today: datetime.date) -> Panel:
    """The selected year's report and the statutory dates, which fall in the next year:
    report by 1 March, publish by 1 April (厅字〔2019〕28号) and the disclosure work report by
    31 January (《政府信息公开条例》Art. 49)."""
    panel = Panel("report", _("年度报告"))
    model = annual_report_model()
    report = report_url = None
    if model is not None:
        # The newest revision speaks for the year (a correction supersedes what it corrects).
        report = model.objects.filter(year=year).order_by("-revision", "-pk").first()
        report_url = changelist_url(model, {"year": year})
    approved_on = getattr(report, "approved_on", None)
    published_on = getattr(report, "published_on", None)
    status_display = report.get_status_display() if report else ""
    if report is None:
        # Years reported before the portal (the seed's 2021 report) left only their disclosure
        # item: 生成日期 is the approval date and 公开日期 the publication (issue 3, step 6).
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

    # Matched against the Chinese titles of disclosure items, so never translated.
    disclosure_report_filter = {
        "title__contains": DISCLOSURE_REPORT_TITLE,
        "title__icontains": f"{year}年",
        "published_on__isnull": False,
    }
    disclosure_report_on = (
        DisclosureItem.objects.filter(**disclosure_report_filter)
        .order_by("published_on")
        .values_list("published_on", flat=True)
        .first()
    )

    def deadline(label, due_on, met, done_on, url):
        return Deadline(label, due_on, met, (due_on - today).days, url, done_on)

    known = model is not None or published_on is not None
    panel.extra.update(
        report=report,
        report_model_exists=model is not None,
        status=getattr(report, "status", ""),
        status_display=status_display,
        report_url=report_url,
        deadlines=[
            deadline(
                _("报送法治政府建设年度报告（3月1日前）"),
                datetime.date(year + 1, 3, 1),
                (approved_on is not None) if known else None,
                approved_on,
                report_url,
            ),
            deadline(
                _("公开法治政府建设年度报告（4月1日前）"),
                datetime.date(year + 1, 4, 1),
                (published_on is not None) if known else None,
                published_on,
                report_url,
            ),
            deadline(
                _("政府信息公开工作年度报告（1月31日前）"),
                datetime.date(year + 1, 1, 31),
                disclosure_report_on is not None,
                disclosure_report_on,
                changelist_url(
                    DisclosureItem, {**disclosure_report_filter, "published_on__isnull": 0}
                ),
            ),
        ],
    )
    return panel


# --- awaiting your action --------------------------------------------------------------------


@dataclass
class ActionItem:
    label: str | Promise
    count: int
    url: str | None
    rows: list = field(default_factory=list)


def awaiting_action(user, *, today: datetime.date) -> list[ActionItem]:
    items: list[ActionItem] = []
    model = annual_report_model()
    if model is not None and permissions.can_review_reports(user):
        to_review = list(
            model.objects.filter(status="submitted").order_by("year").values("pk", "year")
        )
        items.append(
            ActionItem(
                _("待审核的年度报告"),
                len(to_review),
                changelist_url(model, {"status__exact": "submitted"}),
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
