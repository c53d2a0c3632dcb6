"""`manage.py prepare_pdf_fonts`: cut the free CJK fonts down for fast PDF output, once.

Run by the set-up so the first PDF a user asks for does not wait for it (about 20 s on these
machines); `html_to_pdf` would otherwise do it on first use.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import pdf


class Command(BaseCommand):
    help = _("为 PDF 输出准备精简字体（缓存在 var/fonts/ 下，只需运行一次）。")

    def handle(self, *args, **options):
        start = time.perf_counter()
        # Cutting the fonts takes tens of seconds the first time (then it reads the cache):
        # say so before, so that the pause does not look like a hang.
        self.stdout.write(_("正在准备 PDF 所用的中文字体（首次约需 40 秒，之后直接使用缓存）……"))
        self.stdout.flush()
        prepared = pdf.prepare_fonts()
        missing = [face for face in pdf.FREE_FACES if prepared.get(face.family) is None]
        for family, path in prepared.items():
            if path is not None:
                self.stdout.write(_("%(family)s：%(path)s") % {"family": family, "path": path})
        if missing:
            packages = sorted({face.debian_package for face in missing})
            raise CommandError(
                _("缺少字体 %(fonts)s，请安装 Debian 软件包：%(packages)s")
                % {
                    "fonts": "、".join(f"{f.source_family} {f.source_style}" for f in missing),
                    "packages": " ".join(packages),
                }
            )
        self.stdout.write(_("字体已就绪（%(s).1f 秒）。") % {"s": time.perf_counter() - start})
