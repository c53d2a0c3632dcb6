from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.roles import sync_roles


class Command(BaseCommand):
    help = _("创建或更新角色用户组（录入员、审核人、领导、管理员）及其权限。")

    def handle(self, *args, **options):
        for name, count in sync_roles().items():
            self.stdout.write(_("%(name)s：%(count)s 项权限") % {"name": name, "count": count})
