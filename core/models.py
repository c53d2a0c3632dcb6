"""The foundation's records: the office this portal serves and the demo flag every
record type carries."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DemoFlagged(models.Model):
    """Records the demo loader invented where the seed report is vague are marked as such."""

    is_demo = models.BooleanField(
        _("演示数据"),
        default=False,
        help_text=_("由演示数据加载器补充的推定记录（原报告未写明的细节）。"),
    )

    class Meta:
        abstract = True


class OrganizationManager(models.Manager):
    def current(self) -> "Organization":
        """The office this deployment serves (one office per portal)."""
        org = self.order_by("pk").first()
        if org is None:
            raise Organization.DoesNotExist(_("尚未录入本机关信息，请先在后台添加“机关”。"))
        return org


class Organization(models.Model):
    full_name = models.CharField(
        _("机关全称"), max_length=100, unique=True, help_text=_("例如：常州市人民政府外事办公室")
    )
    short_name = models.CharField(_("简称"), max_length=30, help_text=_("例如：市外事办"))
    org_code = models.CharField(
        _("组织机构代码"),
        max_length=18,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{9}$|^[0-9A-Z]{18}$",
                message=_("组织机构代码应为 9 位或 18 位数字、大写字母。"),
                code="org_code",
            )
        ],
        help_text=_("用于政务公开索引号，例如 014109568。"),
    )
    hotline = models.CharField(_("因公临时出国违规违纪举报电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    website = models.URLField(_("网站"), blank=True)

    objects = OrganizationManager()
    # The tables keep the names they were created with in the app that held the model first.
    history = HistoricalRecords(table_name="lawbuilding_historicalorganization")

    class Meta:
        db_table = "lawbuilding_organization"
        verbose_name = _("机关")
        verbose_name_plural = _("机关")

    def __str__(self) -> str:
        return self.full_name
