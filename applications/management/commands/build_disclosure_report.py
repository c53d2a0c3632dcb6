"""`manage.py build_disclosure_report --year Y --output F [--format html]`: the annual
disclosure work report (政府信息公开工作年度报告, 《政府信息公开条例》第五十条) of a finished year
as a GB/T 9704 PDF (default) or HTML, in the national format of 国办公开办函〔2021〕30号.

The year's newest report on record is written as it stands (an approved or published one as
its frozen PDF, verified against its SHA-256); a year without a report gets a preview drafted
from the records, which is not saved. The tables' 勾稽 check is reported on standard error;
exit status 1 when it fails (the file is written anyway, for inspection)."""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from applications import work_report
from applications import work_report_services as services
from applications.models import DisclosureWorkReport
from core.files import TamperedFileError
from core.models import Organization

FORMATS = ("pdf", "html")


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（PDF 或 HTML），并检查表三、表四的勾稽关系。"

    def add_arguments(self, parser):
        # Parsed here rather than by argparse so a wrong value gets a Chinese message.
        parser.add_argument("--year", required=True, help="报告年度，如 2022")
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument("--format", default="pdf", help="pdf（默认）或 html")

    def handle(self, *args, year, output, format, **options):
        year = self._year(year)
        fmt = (format or "").strip().lower()
        if fmt not in FORMATS:
            raise CommandError(f"格式“{format}”无效，只能是 pdf 或 html。")
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"输出路径“{output}”是一个目录，请给出文件名。")
        if not path.parent.is_dir():
            raise CommandError(f"输出目录“{path.parent}”不存在。")
        try:
            organization = Organization.objects.current()
        except Organization.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        report = (
            DisclosureWorkReport.objects.filter(organization=organization, year=year)
            .order_by("-revision")
            .first()
        )
        if report is None:
            report = services.work_report_draft(year=year, organization=organization)
            self.stderr.write(f"{year}年度尚无报告记录，已按现有记录生成预览（未保存）。")
        try:
            if fmt == "html":
                data = work_report.render_html(report).encode("utf-8")
            elif report.pdf_sha256:
                data = services.work_report_pdf_bytes(report)
            else:
                data = work_report.render_pdf(report)
        except (TamperedFileError, ValidationError) as exc:
            raise CommandError(" ".join(exc.messages)) from None
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入“{output}”：{exc.strerror}") from None
        self.stdout.write(f"已写入 {path}（{report.title}，{report.get_status_display()}）。")
        problems = work_report.table_problems(report)
        if problems:
            self.stderr.write("勾稽检查未通过：\n" + "\n".join(problems))
            sys.exit(1)
        self.stderr.write("勾稽检查通过。")

    @staticmethod
    def _year(value: str) -> int:
        text = str(value).strip()
        if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
            raise CommandError(f"年度“{value}”无效，应为 2000 到 2100 之间的四位数字。")
        year = int(text)
        if year >= timezone.localdate().year:
            raise CommandError(f"{year}年度尚未结束，只能为已结束的年度生成报告。")
        return year
