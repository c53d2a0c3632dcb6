import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = _("从备份恢复数据库和上传文件：先校验 SHA-256，确认后整体替换当前数据。")

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help=_("备份目录（含 manifest.json）。"))
        parser.add_argument(
            "--yes", action="store_true", help=_("不再询问，直接覆盖当前数据库和上传文件。")
        )

    def handle(self, *args, backup: Path, yes: bool, **options):
        try:
            manifest = backup_verify(path=backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("备份已校验：%(path)s（%(created)s，%(vendor)s）")
            % {
                "path": backup,
                "created": manifest["created_at"],
                "vendor": manifest["database"]["vendor"],
            }
        )
        if not yes:
            warning = _("恢复将用该备份覆盖当前数据库和全部上传文件，当前数据将丢失。")
            if not sys.stdin.isatty():
                raise CommandError(warning + _("确认无误后请加 --yes 重新运行。"))
            answer = input(warning + _("确认恢复请输入 yes："))
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消恢复，当前数据未被改动。"))
        try:
            backup_restore(path=backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("恢复完成。")))
