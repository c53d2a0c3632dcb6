"""One row of the public site's particulars, shown in every public page's footer.

Government websites show, at the foot of every page, the site identifier issued under the
《政府网站发展指引》(国办发〔2017〕47号) and 《政府网站与政务新媒体检查指标》, the ICP filing
number (《互联网信息服务管理办法》第十二条) and the public-security filing number (《计算机信息
网络国际联网安全保护管理办法》第十二条), together with a way to contact the office.
"""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SiteSettings(models.Model):
    site_code = models.CharField(
        _("网站标识码"), max_length=20, blank=True, help_text=_("例如 3204000012（十位数字）。")
    )
    icp_number = models.CharField(
        _("ICP 备案号"), max_length=40, blank=True, help_text=_("例如 苏ICP备05000000号。")
    )
    police_number = models.CharField(
        _("公安机关备案号"),
        max_length=40,
        blank=True,
        help_text=_("例如 苏公网安备 32040202000000号。"),
    )
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网站页脚信息")
        verbose_name_plural = _("网站页脚信息")

    def __str__(self) -> str:
        return str(_("网站页脚信息"))

    def clean(self):
        if not self.pk and SiteSettings.objects.exists():
            raise ValidationError(_("网站页脚信息只有一份，请修改已有的一份。"))

    def footer_values(self) -> tuple:
        return (
            self.site_code,
            self.icp_number,
            self.police_number,
            self.contact_phone,
            self.contact_email,
            self.contact_address,
        )


# Read on every public page: kept for a short while per process, so an edit shows everywhere
# within this many seconds without a query per page.
CACHE_SECONDS = 30
_cache: dict = {}
_lock = threading.Lock()


def current_settings() -> SiteSettings:
    """The settings row (an unsaved blank one when none was entered yet)."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get("settings")
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
    found = SiteSettings.objects.order_by("pk").first() or SiteSettings()
    with _lock:
        _cache["settings"] = (now, found)
    return found


def forget_settings() -> None:
    with _lock:
        _cache.clear()
