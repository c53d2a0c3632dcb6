"""`manage.py seed_working_days --year 2026` fills years of the calendar from the
chinese_calendar package. Years already in the table are kept as administrators edited
them unless --replace is given."""

from django.core.management.base import BaseCommand, CommandError

from workdays.services import seed_years


class Command(BaseCommand):
    help = "从 chinese_calendar 数据包导入指定年度的节假日安排。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", required=True, help="年度，可重复")
        parser.add_argument("--replace", action="store_true", help="覆盖表中已有的年度")

    def handle(self, *args, year, replace, **options):
        try:
            written = seed_years(year, replace=replace)
        except NotImplementedError as exc:
            raise CommandError(
                "数据包中没有所列某一年度的安排（chinese_calendar 只收录到其发布时已公布的年度），"
                "请在管理后台“工作日历”中按国务院通知录入。"
            ) from exc
        for y in year:
            if y in written:
                self.stdout.write(f"{y}: 已导入 {written[y]} 天")
            else:
                self.stdout.write(f"{y}: 表中已有，未改动（如需覆盖请加 --replace）")
