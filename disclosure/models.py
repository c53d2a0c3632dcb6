"""Government information disclosure (政务公开): the catalogue's items with the disclosure page
header's fields, their attachments, and the per-year index-number counters.

Index numbers ("014109568/2022-00012": organization code / year - five-digit serial) are
allocated by `disclosure.services` so serials never repeat and never skip; validity (有效 /
废止) is shown on each item as 国办发〔2017〕47号 requires for revised or repealed documents.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Organization
from core.uploads import UploadTo, validate_attachment


class IndexCounter(models.Model):
    """Last disclosure serial allocated per office and year; rows are locked while allocating
    so serials never repeat and never skip."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last_serial = models.PositiveIntegerField(_("已用最大流水号"), default=0)
    history = HistoricalRecords(table_name="supervision_historicalindexcounter")

    class Meta:
        db_table = "supervision_indexcounter"
        verbose_name = _("索引号计数器")
        verbose_name_plural = _("索引号计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="indexcounter_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.org_code}/{self.year}: {self.last_serial}"

    def clean(self) -> None:
        """The counter may start above zero (serials issued before the portal) but never fall
        below a serial already used, or the next allocation would repeat it."""
        if self.organization_id is None or not self.year or self.last_serial is None:
            return
        used = self.organization.disclosures.filter(index_year=self.year).aggregate(
            top=Max("index_serial")
        )["top"]
        if used and self.last_serial < used:
            raise ValidationError(
                {
                    "last_serial": ValidationError(
                        _("%(year)s 年已使用到第 %(used)s 号，计数器不能小于已用流水号。")
                        % {"year": self.year, "used": used},
                        code="counter_below_used",
                    )
                }
            )


class DisclosureItemQuerySet(models.QuerySet):
    def public(self, today: datetime.date | None = None) -> "DisclosureItemQuerySet":
        """What the public may see (the catalogue, the feed, file downloads): published by
        `today` and not withheld. Repealed items stay visible, marked so (国办发〔2017〕47号)."""
        today = today or timezone.localdate()
        return self.filter(published_on__isnull=False, published_on__lte=today).exclude(
            method=DisclosureItem.Method.WITHHELD
        )


class DisclosureAttachmentQuerySet(models.QuerySet):
    def public(self, today: datetime.date | None = None) -> "DisclosureAttachmentQuerySet":
        """Files the public may download: those of the items the public may see."""
        return self.filter(item__in=DisclosureItem.objects.public(today))


class DisclosureItem(models.Model):
    """政务公开信息 with every field of the disclosure page header (seed page)."""

    class Category(models.TextChoices):
        # 法定主动公开分类 as used on the city's disclosure site; "其他" is the seed's.
        ORGANIZATION = "organization", _("机构职能")
        RULES = "rules", _("法规文件")
        PLANS = "plans", _("规划计划")
        BUDGET = "budget", _("财政预决算")
        PERSONNEL = "personnel", _("人事信息")
        NOTICES = "notices", _("通知公告")
        PROPOSALS = "proposals", _("建议提案办理")
        OTHER = "other", _("其他")

    class Method(models.TextChoices):
        PROACTIVE = "proactive", _("主动公开")
        ON_REQUEST = "on_request", _("依申请公开")
        WITHHELD = "withheld", _("不予公开")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("机关")
    )
    title = models.CharField(_("信息名称"), max_length=200)
    index_number = models.CharField(
        _("索引号"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z-]+/\d{4}-\d{5}$",
                _("索引号格式应为“机构代码/年份-五位流水号”，如 014109568/2022-00012。"),
                "index_number",
            )
        ],
    )
    index_year = models.PositiveSmallIntegerField(_("索引号年份"), editable=False)
    index_serial = models.PositiveIntegerField(_("索引号流水号"), editable=False)
    category = models.CharField(_("法定主动公开分类"), max_length=20, choices=Category.choices)
    method = models.CharField(
        _("公开方式"), max_length=12, choices=Method.choices, default=Method.PROACTIVE
    )
    document_number = models.CharField(_("文件编号"), max_length=60, blank=True)
    publisher = models.CharField(_("发布机构"), max_length=100)
    generated_on = models.DateField(_("生成日期"))
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    repealed_on = models.DateField(
        _("废止日期"), null=True, blank=True, help_text=_("留空表示“有效”。")
    )
    summary = models.CharField(_("内容概述"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    view_count = models.PositiveIntegerField(_("浏览次数"), default=0, editable=False)
    objects = DisclosureItemQuerySet.as_manager()
    history = HistoricalRecords(
        table_name="supervision_historicaldisclosureitem", excluded_fields=["view_count"]
    )

    class Meta:
        db_table = "supervision_disclosureitem"
        verbose_name = _("政务公开信息")
        verbose_name_plural = _("政务公开信息")
        ordering = ["-published_on", "-index_year", "-index_serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "index_year", "index_serial"],
                name="disclosure_unique_serial",
                violation_error_message=_("该年度的索引号流水号已被使用。"),
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("generated_on")),
                name="disclosure_published_after_generated",
                violation_error_message=_("公开日期不能早于生成日期。"),
            ),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(repealed_on__gte=F("published_on")),
                name="disclosure_repealed_after_published",
                violation_error_message=_("废止日期不能早于公开日期。"),
            ),
        ]
        indexes = [models.Index(fields=["published_on"], name="disclosure_published_idx")]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # The year and serial are a denormalised split of the index number, kept so the
        # database can enforce "serials never repeat" per office and year.
        self.index_year, self.index_serial = self.split_index_number(self.index_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("publicsite:disclosure_detail", args=[self.slug])

    def clean(self) -> None:
        """The year and serial of the index number are stored apart (so the database keeps
        serials unique per office and year); a clash is a validation error, not a database
        error on save."""
        if self.organization_id is None or not self.index_number:
            return
        try:
            year, serial = self.split_index_number(self.index_number)
        except ValidationError:
            return  # the field's validator reports the format, with an example
        clash = (
            type(self)
            ._default_manager.filter(
                organization_id=self.organization_id, index_year=year, index_serial=serial
            )
            .exclude(pk=self.pk)
            # The same number exactly is reported by the unique check.
            .exclude(index_number=self.index_number)
        )
        if clash.exists():
            raise ValidationError(
                {
                    "index_number": ValidationError(
                        _("该年度的索引号流水号已被使用。"), code="duplicate_serial"
                    )
                }
            )

    @property
    def slug(self) -> str:
        return self.index_number.replace("/", "-")

    @property
    def validity_display(self) -> str:
        return self.repealed_on.strftime("%Y-%m-%d") if self.repealed_on else str(_("有效"))

    @staticmethod
    def work_report_due_for(year: int) -> datetime.date:
        """The office's annual disclosure work report for `year` is published by 31 January
        of the next year (《政府信息公开条例》第四十九条)."""
        return datetime.date(year + 1, 1, 31)

    @staticmethod
    def split_index_number(index_number: str) -> tuple[int, int]:
        try:
            year_part, serial_part = index_number.rsplit("/", 1)[1].split("-")
            return int(year_part), int(serial_part)
        except (IndexError, ValueError):
            raise ValidationError(
                {"index_number": _("索引号格式应为“机构代码/年份-五位流水号”。")},
                code="index_number",
            ) from None


class DisclosureAttachment(models.Model):
    item = models.ForeignKey(
        DisclosureItem,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("政务公开信息"),
    )
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(
        _("文件"), upload_to=UploadTo("disclosure"), validators=[validate_attachment]
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    objects = DisclosureAttachmentQuerySet.as_manager()
    history = HistoricalRecords(table_name="supervision_historicaldisclosureattachment")

    class Meta:
        db_table = "supervision_disclosureattachment"
        verbose_name = _("公开信息附件")
        verbose_name_plural = _("公开信息附件")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.title
