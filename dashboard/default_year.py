"""Which year the dashboard opens on, and why.

The office reports on a year after it ends: the annual report on the rule-of-law government
is due in the first quarter of the next year (《法治政府建设与责任落实督察工作规定》第二十五条).
Until that report is published, the year being reported on is the previous one, and that is
what leadership wants to see; once it is published, the current year.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from disclosure.models import DisclosureItem
from lawbuilding.models import AnnualReport, WorkPlan, WorkRecord
from supervision.models import Delegation, HonoraryCitizenNotice, Proposal
from trainings.models import StudySession


@dataclass(frozen=True)
class DefaultYear:
    year: int
    reason: str


def default_year(today: datetime.date) -> DefaultYear:
    previous = today.year - 1
    published = AnnualReport.objects.filter(
        year=previous, status=AnnualReport.Status.PUBLISHED
    ).exists()
    if published:
        return DefaultYear(
            today.year,
            _("%(previous)s年度报告已发布，默认显示本年度（%(year)s年）。")
            % {"previous": previous, "year": today.year},
        )
    return DefaultYear(
        previous,
        _("%(year)s年度报告尚未发布，默认显示正在报告的%(year)s年。") % {"year": previous},
    )


def _record_years():
    """(model, year expression) of the records the dashboard counts, one query each."""
    return (
        (WorkPlan, "year"),
        (WorkRecord, "year"),
        (Proposal, "year"),
        (StudySession, ExtractYear("date")),
        (Delegation, ExtractYear("departure_on")),
        (DisclosureItem, ExtractYear("published_on")),
        (HonoraryCitizenNotice, ExtractYear("approved_on")),
    )


def years_with_records(up_to: int) -> list[int]:
    """The years (newest first, not after `up_to`) that have any counted record; each model
    answers its latest such year, so the list has at most one entry per model."""
    years = set()
    for model, expression in _record_years():
        queryset = model.objects.all()
        if isinstance(expression, str):
            queryset = queryset.filter(**{f"{expression}__lte": up_to})
            latest = queryset.aggregate(latest=Max(expression))["latest"]
        else:
            latest = (
                queryset.annotate(_year=expression)
                .filter(_year__lte=up_to)
                .aggregate(latest=Max("_year"))["latest"]
            )
        if latest is not None:
            years.add(int(latest))
    return sorted(years, reverse=True)


def year_has_records(year: int) -> bool:
    return any(
        (
            WorkPlan.objects.filter(year=year).exists(),
            WorkRecord.objects.filter(year=year).exists(),
            Proposal.objects.filter(year=year).exists(),
            StudySession.objects.filter(date__year=year).exists(),
            Delegation.objects.filter(departure_on__year=year).exists(),
            DisclosureItem.objects.filter(published_on__year=year).exists(),
        )
    )
