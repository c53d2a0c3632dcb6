from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _("备份数据库和上传文件（PostgreSQL 用 pg_dump，SQLite 用在线备份），附 SHA-256 清单。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=_("备份存放目录（默认为 FAO_BACKUP_DIR）。"),
        )

    def handle(self, *args, output: Path | None, **options):
        try:
            path = backup_create(output_dir=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("备份完成：%(path)s") % {"path": path}))
        return None
