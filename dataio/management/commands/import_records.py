"""`manage.py import_records trainings.StudySession 学法活动.xlsx`: import a spreadsheet
with the admin's resources, in one transaction. Any error: a per-row report, nothing
written, exit status 1."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from dataio.importing import load_upload, run_import
from dataio.management.commands._io_common import kind_arg, model_arg
from dataio.spreadsheets import max_upload_bytes


class Command(BaseCommand):
    help = "从 xlsx 或 csv 文件导入记录：全部成功才写入，有任何错误则不写入并逐行报告。"

    def add_arguments(self, parser):
        parser.add_argument("model", help="应用.模型，例如 trainings.StudySession")
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--user", help="记入修改历史的用户名")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, model, file, user=None, dry_run=False, **options):
        model_class = model_arg(model)
        kind = kind_arg(file)
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("找不到文件“%(file)s”。") % {"file": file})
        acting_user = None
        if user:
            try:
                acting_user = get_user_model()._default_manager.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(gettext("找不到用户“%(user)s”。") % {"user": user}) from None
        if path.stat().st_size > max_upload_bytes():
            # Refused before reading it into memory.
            raise CommandError(
                gettext("文件大小超过允许的上限（%(max)s 字节）。") % {"max": max_upload_bytes()}
            )
        try:
            _info, dataset = load_upload(path.read_bytes(), path.name, model_class, kind=kind)
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from None
        outcome = run_import(
            model=model_class,
            dataset=dataset,
            user=acting_user,
            change_reason=gettext("命令行导入：%(file)s") % {"file": path.name},
            file_name=path.name,
            dry_run=dry_run,
        )
        if not outcome.ok:
            for line in outcome.report_lines():
                self.stderr.write(line)
            raise CommandError(
                gettext("导入失败：%(n)s 处错误，未写入任何数据。") % {"n": outcome.error_count}
            )
        if dry_run:
            self.stdout.write(
                gettext("检查通过：%(total)s 行均可导入（未写入）。") % {"total": outcome.total}
            )
        else:
            self.stdout.write(
                gettext("导入完成：新增 %(new)s 条，更新 %(updated)s 条。")
                % {"new": outcome.new, "updated": outcome.updated}
            )
