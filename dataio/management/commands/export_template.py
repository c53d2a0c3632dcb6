"""`manage.py export_template trainings.StudySession 学法活动.xlsx`: an empty import
template whose header row is the Chinese column names."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from dataio.importing import template_bytes
from dataio.management.commands._io_common import kind_arg, model_arg, write_file


class Command(BaseCommand):
    help = "导出空白导入模板（表头为中文字段名），格式 xlsx 或 csv。"

    def add_arguments(self, parser):
        parser.add_argument("model", help="应用.模型，例如 trainings.StudySession")
        parser.add_argument("file", help="输出文件，.xlsx 或 .csv")

    def handle(self, *args, model, file, **options):
        model_class = model_arg(model)
        kind = kind_arg(file)
        write_file(file, template_bytes(model_class, kind))
        self.stdout.write(
            gettext("已生成“%(model)s”导入模板：%(file)s")
            % {"model": model_class._meta.verbose_name, "file": file}
        )
