"""Reading and changing the working-day calendar.

`working_calendar()` loads the table (the authority for every deadline). `seed_years()` fills
years from the chinese_calendar package, which knows the schedules up to the year of its
release. `calendar_changed()` is called after every edit: it tells the apps whose deadlines
count working days (they connect to `calendar_edited`) so they recompute open deadlines.
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

from workdays.calendar import WorkingCalendar, add_working_days
from workdays.models import CalendarYear, SpecialDay

logger = logging.getLogger(__name__)

# Sent with `years` (the years edited) and `user` after a calendar edit.
calendar_edited = Signal()


def working_calendar() -> WorkingCalendar:
    holidays, workdays = [], []
    for day, kind in SpecialDay.objects.values_list("date", "kind"):
        (holidays if kind == SpecialDay.Kind.HOLIDAY else workdays).append(day)
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkingCalendar.build(years, holidays, workdays)


def add_days(start: datetime.date, n: int) -> datetime.date:
    """`add_working_days` over the calendar table."""
    return add_working_days(start, n, working_calendar())


def package_schedule(year: int) -> list[tuple[datetime.date, str, str]]:
    """(date, kind, name) of the days of `year` that differ from Monday to Friday, from the
    chinese_calendar package. Raises NotImplementedError for years the package does not know."""
    import chinese_calendar

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    chinese_calendar.is_workday(first)  # raises NotImplementedError for an unknown year
    chinese_calendar.is_workday(last)
    names = {
        "New Year's Day": "元旦",
        "Spring Festival": "春节",
        "Tomb-sweeping Day": "清明节",
        "Labour Day": "劳动节",
        "Dragon Boat Festival": "端午节",
        "National Day": "国庆节",
        "Mid-autumn Festival": "中秋节",
        "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
    }
    rows = []
    for day, name in sorted(chinese_calendar.holidays.items()):
        if day.year == year and day.weekday() < 5:
            rows.append((day, SpecialDay.Kind.HOLIDAY, names.get(name, name)))
    for day, name in sorted(chinese_calendar.workdays.items()):
        if day.year == year and day.weekday() >= 5:
            rows.append((day, SpecialDay.Kind.WORKDAY, names.get(name, name)))
    return sorted(rows)


def package_years() -> list[int]:
    """The years whose whole schedule the installed chinese_calendar package knows."""
    import chinese_calendar

    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    known = []
    for year in sorted(years):
        try:
            chinese_calendar.is_workday(datetime.date(year, 12, 31))
        except NotImplementedError:
            continue
        known.append(year)
    return known


def seed_years(
    years: Iterable[int], *, replace: bool = False, using: str = "default"
) -> dict[int, int]:
    """Fill the given years from the package; returns days written per year.

    A year already in the table is left as administrators edited it unless `replace`.
    """
    written: dict[int, int] = {}
    with transaction.atomic(using=using):
        for year in years:
            existing = CalendarYear.objects.using(using).filter(year=year).first()
            if existing is not None and not replace:
                continue
            rows = package_schedule(year)
            calendar_year, _created = CalendarYear.objects.using(using).update_or_create(
                year=year, defaults={"source": CalendarYear.Source.PACKAGE}
            )
            calendar_year.days.all().delete()
            SpecialDay.objects.using(using).bulk_create(
                SpecialDay(calendar_year=calendar_year, date=day, kind=kind, name=name)
                for day, kind, name in rows
            )
            written[year] = len(rows)
    return written


def calendar_changed(*, years: Iterable[int], user=None) -> None:
    """Called after the calendar was edited: logs it and lets dependent apps recompute."""
    years = sorted(set(years))
    logger.info("working-day calendar edited: years=%s user=%s", years, getattr(user, "pk", None))
    calendar_edited.send(sender=CalendarYear, years=years, user=user)
