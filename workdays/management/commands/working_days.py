"""`manage.py working_days --from 2024-09-27 --add 20` prints 2024-10-30: the N-th working
day after the given date (the day itself is not counted, 《政府信息公开条例》第三十三条),
under the calendar table."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from workdays.calendar import UnknownYear, add_working_days
from workdays.services import working_calendar

MAX_DAYS = 1000


class Command(BaseCommand):
    help = "按工作日历计算某日之后第 N 个工作日（当日不计入）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="起算日期 YYYY-MM-DD")
        parser.add_argument("--add", dest="days", required=True, help="工作日数 N（0–1000）")
        parser.add_argument("--explain", action="store_true", help="逐日列出计入的工作日")

    def handle(self, *args, start, days, explain, **options):
        try:
            start_date = datetime.date.fromisoformat(start)
        except ValueError as exc:
            raise CommandError(f"起算日期“{start}”无效，应为 YYYY-MM-DD，如 2024-09-27。") from exc
        try:
            count = int(days)
        except ValueError as exc:
            raise CommandError(f"工作日数“{days}”无效，应为 0 到 {MAX_DAYS} 之间的整数。") from exc
        if not 0 <= count <= MAX_DAYS:
            raise CommandError(f"工作日数“{days}”无效，应为 0 到 {MAX_DAYS} 之间的整数。")
        calendar = working_calendar()
        try:
            calendar.check_year(start_date)
            result = add_working_days(start_date, count, calendar)
        except UnknownYear as exc:
            raise CommandError(str(exc)) from exc
        if explain:
            day, counted = start_date, 0
            while day < result:
                day += datetime.timedelta(days=1)
                if calendar.is_working_day(day):
                    counted += 1
                    self.stdout.write(f"  {counted:>4}  {day.isoformat()}")
        self.stdout.write(result.isoformat())
