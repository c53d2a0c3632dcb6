"""Government information disclosure (政务公开): the catalogue's items with the disclosure page
header's fields, their attachments, and the per-year index-number counters.

Index numbers ("014109568/2022-00012": organization code / year - five-digit serial) are
allocated by `disclosure.services` so serials never repeat and never skip; validity (有效 /
废止) is shown on each item as 国办发〔2017〕47号 requires for revised or repealed documents.
"""

import datetime

from django.conf import settings
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
        return self.filter(
            status=DisclosureItem.Status.PUBLISHED,
            published_on__isnull=False,
            published_on__lte=today,
        ).exclude(method=DisclosureItem.Method.WITHHELD)

    def with_validity(self, validity: str, today: datetime.date | None = None):
        """Items whose validity (有效 / 已修订 / 已废止 / 已失效) is `validity` on `today`; the
        same order of precedence as `DisclosureItem.validity`."""
        today = today or timezone.localdate()
        V = DisclosureItem.Validity
        repealed = Q(repealed_on__isnull=False, repealed_on__lte=today)
        revised = Q(revised_on__isnull=False, revised_on__lte=today)
        expired = Q(expires_on__isnull=False, expires_on__lte=today)
        if validity == V.REPEALED:
            return self.filter(repealed)
        if validity == V.REVISED:
            return self.filter(revised).exclude(repealed)
        if validity == V.EXPIRED:
            return self.filter(expired).exclude(repealed | revised)
        if validity == V.VALID:
            return self.exclude(repealed | revised | expired)
        return self


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
        # A policy document is published together with its interpretation (国办发〔2017〕47号,
        # "三同步": drafted, reviewed and published at the same time).
        INTERPRETATION = "interpretation", _("政策解读")

    # Categories whose documents need a 政策解读 (国办发〔2017〕47号).
    POLICY_CATEGORIES = ("rules", "plans")

    class Status(models.TextChoices):
        # Nothing is published without review (《政府信息公开条例》第十七条): data entry drafts
        # and submits, the reviewer approves and publishes in one step.
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已发布")

    class Validity(models.TextChoices):
        # Revised, repealed or expired documents stay on their page, marked so
        # (国办发〔2017〕47号).
        VALID = "valid", _("有效")
        REVISED = "revised", _("已修订")
        REPEALED = "repealed", _("已废止")
        EXPIRED = "expired", _("已失效")

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
        null=True,
        blank=True,
        help_text=_("发布时由系统分配。"),
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z-]+/\d{4}-\d{5}$",
                _("索引号格式应为“机构代码/年份-五位流水号”，如 014109568/2022-00012。"),
                "index_number",
            )
        ],
    )
    index_year = models.PositiveSmallIntegerField(
        _("索引号年份"), null=True, blank=True, editable=False
    )
    index_serial = models.PositiveIntegerField(
        _("索引号流水号"), null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
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
    repeal_reason = models.CharField(_("废止理由"), max_length=200, blank=True, editable=False)
    repealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("废止人"),
    )
    revised_on = models.DateField(_("修订日期"), null=True, blank=True, editable=False)
    expires_on = models.DateField(
        _("失效日期"),
        null=True,
        blank=True,
        help_text=_("到期自动显示“已失效”；留空表示长期有效。"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="superseded_by",
        verbose_name=_("修订的原文件"),
    )
    interpretation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpreted_documents",
        limit_choices_to={"category": "interpretation"},
        verbose_name=_("政策解读"),
        help_text=_("法规文件、规划计划应与其政策解读同步发布（国办发〔2017〕47号）。"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("发布人"),
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
        permissions = [
            ("submit_disclosureitem", _("可以提交政务公开信息审核")),
            ("publish_disclosureitem", _("可以审核发布、退回或废止政务公开信息")),
        ]
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
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(index_number__isnull=False, published_on__isnull=False),
                name="disclosure_published_has_index",
                violation_error_message=_("已发布的信息必须有索引号和公开日期。"),
            ),
        ]
        indexes = [models.Index(fields=["published_on"], name="disclosure_published_idx")]

    def __str__(self) -> str:
        return f"{self.index_number or _('（未分配索引号）')} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # The year and serial are a denormalised split of the index number, kept so the
        # database can enforce "serials never repeat" per office and year. Drafts have none:
        # the number is allocated at publication.
        if self.index_number:
            self.index_year, self.index_serial = self.split_index_number(self.index_number)
        else:
            self.index_number = None
            self.index_year = self.index_serial = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("publicsite:disclosure_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_policy(self) -> bool:
        return self.category in self.POLICY_CATEGORIES

    def validity(self, today: datetime.date | None = None) -> str:
        """有效 / 已修订 / 已废止 / 已失效 on `today`: repeal first, then revision, then expiry."""
        today = today or timezone.localdate()
        if self.repealed_on and self.repealed_on <= today:
            return self.Validity.REPEALED
        if self.revised_on and self.revised_on <= today:
            return self.Validity.REVISED
        if self.expires_on and self.expires_on <= today:
            return self.Validity.EXPIRED
        return self.Validity.VALID

    def get_validity_display(self) -> str:
        return str(self.Validity(self.validity()).label)

    @property
    def current_version(self) -> "DisclosureItem | None":
        """The published revision now in force that replaced this item, following revisions."""
        item, seen = self, set()
        while item.pk not in seen:
            seen.add(item.pk)
            nxt = getattr(item, "superseded_by", None)
            if nxt is None or not nxt.is_published:
                break
            item = nxt
        return None if item is self else item

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
        return (self.index_number or "").replace("/", "-")

    @property
    def validity_display(self) -> str:
        """The seed page's 废止日期 field: the date when repealed, "有效" while in force, and the
        other states by name."""
        validity = self.validity()
        if validity == self.Validity.REPEALED:
            return self.repealed_on.strftime("%Y-%m-%d")
        return str(self.Validity(validity).label)

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
