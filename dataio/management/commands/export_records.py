"""`manage.py export_records trainings.StudySession 学法活动.xlsx`: every record, in the
same format the admin exports and the importers read (formula cells escaped)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from dataio.importing import export_bytes
from dataio.management.commands._io_common import kind_arg, model_arg, write_file


class Command(BaseCommand):
    help = "导出全部记录到 xlsx 或 csv 文件（与后台导出格式相同）。"

    def add_arguments(self, parser):
        parser.add_argument("model", help="应用.模型，例如 trainings.StudySession")
        parser.add_argument("file", help="输出文件，.xlsx 或 .csv")

    def handle(self, *args, model, file, **options):
        model_class = model_arg(model)
        kind = kind_arg(file)
        write_file(file, export_bytes(model_class, kind))
        self.stdout.write(
            gettext("已导出“%(model)s” %(count)s 条记录：%(file)s")
            % {
                "model": model_class._meta.verbose_name,
                "count": model_class._default_manager.count(),
                "file": file,
            }
        )
