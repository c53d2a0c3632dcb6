"""What the pre-publication gate records.

- `AllowedNumber`: numbers and addresses the office publishes on purpose (its hotlines, its
  public mailbox); the personal-data scan does not report them.
- `FindingAcceptance`: a finding that stays in what is published, accepted by a named person
  with a reason (《个人信息保护法》第十三条: publication needs a lawful basis; the reason
  records it).
- `SecrecyReview`: the secrecy review that 《政府信息公开条例》第十七条 requires before
  anything is disclosed (审查机制, under 《保守国家秘密法》): who confirmed "经保密审查，可以
  公开", when, on which version of which record, with the scan's findings at that moment.

Reviews and acceptances are written once by the services in review.py and never edited.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Organization
from publication.scan import KIND_CHOICES, allow_set, normalize

# The reviewer's statement, stored as written (it is the record, not an interface text).
SECRECY_STATEMENT = "经保密审查，可以公开"


class AllowedNumber(models.Model):
    value = models.CharField(
        _("号码或地址"),
        max_length=120,
        help_text=_("本机关公开的电话、传真、邮箱等，如 85683342、0519-85683342。"),
    )
    normalized = models.CharField(
        _("比对用形式"), max_length=120, unique=True, editable=False, default=""
    )
    label = models.CharField(_("用途"), max_length=200, help_text=_("如“监督举报电话”。"))
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公开号码白名单")
        verbose_name_plural = _("公开号码白名单")
        ordering = ["label", "value"]

    def __str__(self) -> str:
        return f"{self.label} {self.value}"

    def save(self, *args, **kwargs):
        self.normalized = normalize(self.value)
        super().save(*args, **kwargs)

    def clean(self):
        # "0519-85683342" and "051985683342" are one entry; the admin form does not show the
        # comparable form, so its uniqueness is checked here rather than by the form.
        self.normalized = normalize(self.value)
        if not self.normalized:
            raise ValidationError({"value": _("请填写号码或地址。")}, code="required")
        clash = AllowedNumber.objects.filter(normalized=self.normalized).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"value": _("白名单中已有该号码或地址。")}, code="duplicate")


class GenericTarget(models.Model):
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("记录类型"), null=True, blank=True
    )
    object_id = models.CharField(_("记录编号"), max_length=64, blank=True, default="")
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class FindingAcceptance(GenericTarget):
    kind = models.CharField(_("类别"), max_length=20, choices=KIND_CHOICES)
    masked = models.CharField(_("遮蔽后的值"), max_length=120)
    location = models.CharField(_("位置"), max_length=300, blank=True)
    source = models.CharField(_("所在文件或正文"), max_length=255, blank=True)
    fingerprint = models.CharField(_("指纹"), max_length=64, db_index=True)
    reason = models.TextField(_("保留理由"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("确认人"),
    )
    accepted_at = models.DateTimeField(_("确认时间"), default=timezone.now)

    class Meta:
        verbose_name = _("个人信息保留确认")
        verbose_name_plural = _("个人信息保留确认")
        ordering = ["-accepted_at", "-pk"]
        permissions = [("accept_finding", _("确认保留扫描发现的个人信息"))]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked}"


class SecrecyReview(GenericTarget):
    version = models.CharField(
        _("所审查版本"), max_length=64, help_text=_("所审查内容的校验值（SHA-256）或版本号。")
    )
    statement = models.CharField(
        _("审查结论"), max_length=50, default=SECRECY_STATEMENT, editable=False
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审查人"),
    )
    reviewed_at = models.DateTimeField(_("审查时间"), default=timezone.now)
    findings = models.JSONField(
        _("个人信息扫描结果"), default=list, blank=True, help_text=_("审查时的扫描结果（已遮蔽）。")
    )
    acceptances = models.ManyToManyField(
        FindingAcceptance, blank=True, related_name="reviews", verbose_name=_("保留确认")
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("保密审查记录")
        verbose_name_plural = _("保密审查记录")
        ordering = ["-reviewed_at", "-pk"]
        permissions = [("record_secrecy_review", _("进行保密审查"))]
        indexes = [models.Index(fields=["content_type", "object_id", "version"])]

    def __str__(self) -> str:
        return f"{self.statement}（{self.reviewed_at:%Y-%m-%d %H:%M}）"


def default_allow_list() -> frozenset[str]:
    """The active entries of the office's allow-list (AllowedNumber), and the office's own
    published supervision hotline as recorded on the office (it is public by design)."""
    entries = list(AllowedNumber.objects.filter(active=True).values_list("value", flat=True))
    entries += [
        hotline
        for hotline in Organization.objects.exclude(hotline="").values_list("hotline", flat=True)
    ]
    return allow_set(entries)
