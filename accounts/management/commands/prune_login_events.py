"""Delete security-log rows older than the retention period (FAO_SECURITY_LOG_DAYS).

Run daily from cron or a systemd timer. It refuses a period under 183 days: 网络安全法
Art. 21 asks for network logs to be kept at least six months.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.checks import MIN_SECURITY_LOG_DAYS
from accounts.models import LoginEvent


class Command(BaseCommand):
    help = _("删除超过保存期限（FAO_SECURITY_LOG_DAYS，至少 183 天）的登录日志。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("保存天数，默认取 FAO_SECURITY_LOG_DAYS；不得少于 183 天。"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只统计将删除的条数，不删除。")
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.FAO_SECURITY_LOG_DAYS if days is None else days
        if days < MIN_SECURITY_LOG_DAYS:
            raise CommandError(
                _(
                    "安全日志至少保存 %(minimum)s 天（网络安全法要求不少于六个月），"
                    "拒绝按 %(days)s 天清理。"
                )
                % {"minimum": MIN_SECURITY_LOG_DAYS, "days": days}
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = LoginEvent.objects.filter(at__lt=cutoff)
        if dry_run:
            count = old.count()
        else:
            count, _detail = old.delete()
        self.stdout.write(
            _("%(action)s %(count)s 条 %(cutoff)s 之前的登录日志。")
            % {
                "action": _("将删除") if dry_run else _("已删除"),
                "count": count,
                "cutoff": timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M"),
            }
        )
