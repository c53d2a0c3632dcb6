"""`manage.py application_statistics --year 2022 [--format html]`: tables 三 and 四 of the
annual disclosure work report from the records, with the check 一 + 二 = 三（七）+ 四 per
column (exit status 1 when it fails)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation

from applications.statistics import tables_for_year


class Command(BaseCommand):
    help = "按年度统计政府信息公开申请办理情况（年度报告表三、表四），并做勾稽检查。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2022")
        parser.add_argument("--format", choices=["text", "html"], default="text")

    def handle(self, *args, year, format, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度“{year}”无效，应为 2000 到 2100 之间的四位数字。")
        with translation.override("zh-hans"):
            context = tables_for_year(year)
            table = context["table"]
            if format == "html":
                self.stdout.write(render_to_string("applications/_request_tables.html", context))
            else:
                self.stdout.write("\t".join(["", *context["column_labels"]]))
                for label, figures in table.labelled_rows():
                    self.stdout.write("\t".join([label, *map(str, figures)]))
                self.stdout.write(
                    "行政复议、行政诉讼：" + " ".join(map(str, context["remedy_row"]))
                )
            problems = table.check_messages()
        if problems:
            self.stderr.write("勾稽检查未通过：\n" + "\n".join(problems))
            sys.exit(1)
        self.stderr.write("勾稽检查通过。")
