"""`manage.py build_report --year 2021 --output report.pdf [--format html]`.

Builds the year's annual report: the stored report when one exists (a published or approved
report gives its frozen, hash-verified PDF), otherwise a draft generated from the records on
the fly (nothing is saved). Bad arguments stop with a Chinese message and exit status 1.
"""

import argparse
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Organization
from lawbuilding import reports
from lawbuilding.models import AnnualReport
from lawbuilding.services import report_pdf_bytes


def year_argument(value: str) -> int:
    if not value.isdigit() or len(value) != 4:
        raise argparse.ArgumentTypeError(_("年度应为四位数字，如 2021。"))
    return int(value)


class Command(BaseCommand):
    help = _("生成某一年度的法治政府建设年度报告（PDF 或 HTML）。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=year_argument, required=True, help=_("报告年度，如 2021。")
        )
        parser.add_argument("--output", required=True, help=_("输出文件路径。"))
        parser.add_argument(
            "--format",
            choices=["pdf", "html"],
            default="pdf",
            help=_("输出格式：pdf（默认）或 html（生成 PDF 所用的 HTML）。"),
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help=_("忽略已保存的报告，按当前记录重新生成草稿。"),
        )

    def handle(self, *args, year: int, output: str, format: str, draft: bool, **options):
        this_year = timezone.localdate().year
        if not 2000 <= year < this_year:
            raise CommandError(
                _("年度 %(year)s 无效：只能为 2000 年至 %(last)s 年之间已结束的年度。")
                % {"year": year, "last": this_year - 1}
            )
        target = Path(output)
        self.check_writable(target)
        try:
            organization = Organization.objects.current()
        except Organization.DoesNotExist as exc:
            raise CommandError(str(exc)) from None

        stored = (
            None
            if draft
            else AnnualReport.objects.filter(organization=organization, year=year)
            .order_by("-revision")
            .first()
        )
        if stored is not None:
            title, sections = stored.title, list(stored.sections.all())
            summary = stored.summary
        else:
            try:
                generated = reports.generate(organization=organization, year=year)
            except reports.NoRecordsError as exc:
                raise CommandError(str(exc)) from None
            title, sections, summary = generated.title, generated.sections, generated.title
            for warning in generated.warnings:
                self.stderr.write(_("提示：%(w)s") % {"w": warning})

        if format == "html":
            data = reports.render_html(
                title=title, sections=sections, organization=organization
            ).encode("utf-8")
        elif stored is not None and stored.pdf_sha256:
            try:
                data = report_pdf_bytes(stored)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        else:
            data = reports.render_pdf(
                title=title, sections=sections, organization=organization, summary=summary
            )
        self.write_atomically(target, data)
        source = (
            _("已保存的报告（%(status)s）") % {"status": stored.get_status_display()}
            if stored
            else _("按记录生成的草稿")
        )
        self.stdout.write(
            _("已生成 %(path)s（%(size)s 字节，来源：%(source)s）。")
            % {"path": target, "size": len(data), "source": source}
        )

    def check_writable(self, target: Path) -> None:
        folder = target.parent if str(target.parent) else Path(".")
        if target.is_dir():
            raise CommandError(_("输出路径 %(path)s 是一个目录。") % {"path": target})
        if not folder.is_dir():
            raise CommandError(_("输出目录 %(path)s 不存在。") % {"path": folder})
        if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
            raise CommandError(_("没有写入 %(path)s 的权限。") % {"path": target})

    def write_atomically(self, target: Path, data: bytes) -> None:
        """Written next to the target and renamed: an interrupted build leaves no half file."""
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(
                _("无法写入 %(path)s：%(error)s") % {"path": target, "error": exc.strerror}
            ) from None
