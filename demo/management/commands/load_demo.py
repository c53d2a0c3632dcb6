from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.loader import load_demo


class Command(BaseCommand):
    help = _(
        "载入演示数据：2021年度法治政府建设情况报告中的全部事实、2022年工作要点，"
        "以及录入员、审核人、领导和管理员四个用户（重复运行不会改变数据）。"
    )

    def handle(self, *args, **options):
        load_demo(write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(_("演示数据已载入。")))
