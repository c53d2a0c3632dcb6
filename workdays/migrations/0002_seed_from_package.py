"""Seed the calendar with the schedules the chinese_calendar package knows (2004 to the
year of its release). Years already present are left alone."""

import datetime

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    for year in years:
        try:
            chinese_calendar.is_workday(datetime.date(year, 12, 31))
        except NotImplementedError:
            continue
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year = CalendarYear.objects.create(year=year, source="package")
        rows = [
            SpecialDay(calendar_year=calendar_year, date=day, kind="holiday", name=NAMES.get(n, n))
            for day, n in chinese_calendar.holidays.items()
            if day.year == year and day.weekday() < 5
        ] + [
            SpecialDay(calendar_year=calendar_year, date=day, kind="workday", name=NAMES.get(n, n))
            for day, n in chinese_calendar.workdays.items()
            if day.year == year and day.weekday() >= 5
        ]
        SpecialDay.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
