"""Supervision: replies to CPPCC proposals and NPC suggestions, honorary-citizen notices and
the public's comments on them, outbound delegations and their integrity supervisors."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DemoFlagged
from supervision import rules


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day-of-month `months` later, clamped to the month's last day (3 months rule)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Proposal(DemoFlagged):
    class Kind(models.TextChoices):
        CPPCC = "cppcc", _("政协提案")
        NPC = "npc", _("人大代表建议")

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class ResultClass(models.TextChoices):
        A = "A", _("A 已解决或基本解决")
        B = "B", _("B 正在解决或列入规划")
        C = "C", _("C 因条件限制待以后解决")
        D = "D", _("D 留作参考")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(
        _("编号"),
        max_length=10,
        validators=[RegexValidator(r"^\d{1,6}$", _("编号只能由数字组成，如 0209。"), "number")],
        help_text=_("如 0209。"),
    )
    title = models.CharField(_("标题"), max_length=200)
    proposer = models.CharField(_("提案人/代表"), max_length=100, blank=True)
    role = models.CharField(_("承办方式"), max_length=10, choices=Role.choices, default=Role.LEAD)
    assigned_on = models.DateField(_("交办日期"))
    due_on = models.DateField(
        _("答复期限"), blank=True, help_text=_("留空时按交办日期后 3 个月计算。")
    )
    extended_due_on = models.DateField(
        _("延期答复期限"),
        null=True,
        blank=True,
        help_text=_("办理难度大的，说明情况后最长不超过交办后 6 个月。"),
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    result_class = models.CharField(
        _("办理结果分类"), max_length=1, choices=ResultClass.choices, blank=True
    )
    satisfaction = models.CharField(
        _("提案人满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提案与建议")
        verbose_name_plural = _("提案与建议")
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="proposal_unique_number",
                violation_error_message=_("该年度已有相同类别和编号的提案或建议。"),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("assigned_on")),
                name="proposal_due_after_assigned",
                violation_error_message=_("答复期限不能早于交办日期。"),
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=F("assigned_on")),
                name="proposal_reply_after_assigned",
                violation_error_message=_("答复日期不能早于交办日期。"),
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=False) | Q(result_class=""),
                name="proposal_class_needs_reply",
                violation_error_message=_("尚未答复的提案不能填写办理结果分类。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}号《{self.title}》"

    def clean(self) -> None:
        if self.assigned_on and not self.due_on:
            self.due_on = add_months(self.assigned_on, 3)
        if self.assigned_on and self.extended_due_on:
            if self.extended_due_on > add_months(self.assigned_on, 6):
                raise ValidationError(
                    {"extended_due_on": _("延期后的答复期限不得超过交办后 6 个月。")},
                    code="extension_too_long",
                )
        if self.satisfaction and not self.replied_on:
            raise ValidationError(
                {"satisfaction": _("尚未答复的提案不能填写满意度。")}, code="satisfaction_early"
            )

    @property
    def effective_due_on(self) -> datetime.date:
        return self.extended_due_on or self.due_on

    # The same rules as queryset conditions, for lists and counts (admin filter, dashboard):
    # the deadline is the extended one when set, else assigned + 3 months.
    EFFECTIVE_DUE = Coalesce(F("extended_due_on"), F("due_on"))

    @classmethod
    def replied_in_time_q(cls) -> Q:
        return Q(replied_on__isnull=False, replied_on__lte=cls.EFFECTIVE_DUE)

    @classmethod
    def replied_late_q(cls) -> Q:
        return Q(replied_on__isnull=False, replied_on__gt=cls.EFFECTIVE_DUE)

    @classmethod
    def overdue_q(cls, today: datetime.date) -> Q:
        """Late replies, and proposals still unanswered after their (extended) due date:
        the condition form of `is_overdue`."""
        unreplied_past_due = Q(replied_on__isnull=True, due_on__lt=today) & (
            Q(extended_due_on__isnull=True) | Q(extended_due_on__lt=today)
        )
        return cls.replied_late_q() | unreplied_past_due

    @classmethod
    def due_soon_q(cls, today: datetime.date, days: int) -> Q:
        """Unanswered with the (extended) deadline within `days` from today."""
        return Q(replied_on__isnull=True) & (
            Q(extended_due_on__range=(today, today + datetime.timedelta(days=days)))
            | Q(
                extended_due_on__isnull=True,
                due_on__range=(today, today + datetime.timedelta(days=days)),
            )
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.replied_on:
            return self.replied_on > self.effective_due_on
        return today > self.effective_due_on

    @property
    def replied_in_time(self) -> bool:
        return bool(self.replied_on) and self.replied_on <= self.effective_due_on


class HonoraryCitizenNoticeQuerySet(models.QuerySet):
    def public(self) -> "HonoraryCitizenNoticeQuerySet":
        """The notices the public may see: published after their secrecy review. A notice
        opens for comments on notice_start, but is shown only once published."""
        return self.filter(published_at__isnull=False)


class HonoraryCitizenNotice(DemoFlagged):
    """A batch of honorary-citizen nominees put to public notice (常政发〔2009〕87号)."""

    batch = models.PositiveSmallIntegerField(
        _("批次"), unique=True, help_text=_("如 18 表示第十八批。")
    )
    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(_("公示正文"), blank=True)
    notice_start = models.DateField(_("公示开始日期"))
    notice_end = models.DateField(_("公示结束日期"))
    contact = models.CharField(
        _("意见受理方式"),
        max_length=200,
        blank=True,
        help_text=_("公示中公布的机关联系电话或地址。"),
    )
    outcome = models.TextField(_("公示结果"), blank=True)
    approved_on = models.DateField(_("市政府批准日期"), null=True, blank=True)
    # Set only by supervision.publishing.notice_publish, after the secrecy review of exactly
    # this content (《政府信息公开条例》第十七条); cleared when the content changes.
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_version = models.CharField(
        _("发布的版本"), max_length=64, blank=True, default="", editable=False
    )
    objects = HonoraryCitizenNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉市民公示")
        verbose_name_plural = _("荣誉市民公示")
        ordering = ["-notice_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_end__gte=F("notice_start")),
                name="notice_end_after_start",
                violation_error_message=_("公示结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.notice_start <= today <= self.notice_end


class Nominee(DemoFlagged):
    notice = models.ForeignKey(
        HonoraryCitizenNotice,
        on_delete=models.CASCADE,
        related_name="nominees",
        verbose_name=_("荣誉市民公示"),
    )
    name = models.CharField(_("姓名"), max_length=100)
    chinese_name = models.CharField(_("中文名"), max_length=50, blank=True)
    nationality = models.CharField(_("国籍"), max_length=50)
    employer = models.CharField(_("工作单位"), max_length=200)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    years_in_city = models.PositiveSmallIntegerField(
        _("在常工作年限"), null=True, blank=True, help_text=_("候选人须在本市工作满 2 年。")
    )
    contribution = models.TextField(_("主要贡献"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉市民候选人")
        verbose_name_plural = _("荣誉市民候选人")
        ordering = ["notice", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years_in_city__isnull=True) | Q(years_in_city__gte=2),
                name="nominee_two_years_in_city",
                violation_error_message=_("候选人须在本市工作满 2 年。"),
            ),
            models.UniqueConstraint(
                fields=["notice", "name"],
                name="nominee_unique_in_notice",
                violation_error_message=_("同一批公示中已有该候选人。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NoticeComment(models.Model):
    """A citizen's comment or objection on a notice. Never shown publicly unless accepted;
    name and contact never at all (个人信息保护法)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采纳并公开")
        REJECTED = "rejected", _("不予公开")
        HANDLED = "handled", _("已办理")

    notice = models.ForeignKey(
        HonoraryCitizenNotice,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("荣誉市民公示"),
    )
    nominee = models.ForeignKey(
        Nominee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("所涉候选人"),
    )
    content = models.TextField(_("意见内容"), max_length=2000)
    name = models.CharField(_("姓名（不公开）"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式（不公开）"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    client_hash = models.CharField(
        _("来源标识"),
        max_length=64,
        blank=True,
        help_text=_("来源地址的散列值，用于限制频率，不保存原始地址。"),
    )
    status = models.CharField(
        _("处理状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reply = models.TextField(_("答复"), blank=True)
    handled_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示意见")
        verbose_name_plural = _("公示意见")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(handled_at__isnull=False),
                name="noticecomment_handled_has_time",
                violation_error_message=_("已处理的意见必须有处理时间。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice.batch}批 {self.submitted_at:%Y-%m-%d %H:%M}"


class Country(models.Model):
    class Region(models.TextChoices):
        ASIA = "asia", _("亚洲")
        EUROPE = "europe", _("欧洲")
        NORTH_AMERICA = "north_america", _("北美洲")
        LATIN_AMERICA = "latin_america", _("拉丁美洲")
        AFRICA = "africa", _("非洲")
        OCEANIA = "oceania", _("大洋洲")

    name = models.CharField(_("国家或地区"), max_length=50, unique=True)
    region = models.CharField(_("所属区域"), max_length=20, choices=Region.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("国家或地区")
        verbose_name_plural = _("国家或地区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_far(self) -> bool:
        """Latin America and Africa earn one extra day (中办发〔2013〕16号 and local practice;
        docs/domain.md)."""
        return self.region in {self.Region.LATIN_AMERICA, self.Region.AFRICA}


class DelegationLimits(models.Model):
    """Configurable outbound-delegation limits (中办发〔2013〕16号 and local practice)."""

    max_members = models.PositiveSmallIntegerField(_("团组人数上限（含翻译）"), default=6)
    max_countries = models.PositiveSmallIntegerField(
        _("出访国家（地区）数上限（含经停）"), default=3
    )
    days_one_country = models.PositiveSmallIntegerField(_("出访一国天数上限"), default=5)
    days_two_countries = models.PositiveSmallIntegerField(_("出访两国天数上限"), default=8)
    days_three_countries = models.PositiveSmallIntegerField(_("出访三国天数上限"), default=10)
    extra_days_far = models.PositiveSmallIntegerField(_("赴拉美、非洲增加天数"), default=1)
    pre_notice_working_days = models.PositiveSmallIntegerField(_("出访前公示工作日"), default=5)
    post_report_days = models.PositiveSmallIntegerField(_("回国后公开期限（天）"), default=30)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出访限制规则")
        verbose_name_plural = _("出访限制规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(days_one_country__lte=F("days_two_countries"))
                & Q(days_two_countries__lte=F("days_three_countries")),
                name="delegationlimits_days_increasing",
                violation_error_message=_(
                    "天数上限应随出访国家数增加而不减少（一国 ≤ 两国 ≤ 三国）。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_members__gt=0) & Q(max_countries__gt=0),
                name="delegationlimits_limits_not_zero",
                violation_error_message=_("人数上限和国家数上限不能为 0。"),
            ),
        ]

    def __str__(self) -> str:
        return str(_("出访限制规则"))

    @classmethod
    def current(cls) -> "DelegationLimits":
        limits = cls.objects.order_by("pk").first()
        return limits or cls()

    def max_days(self, countries: list["Country"]) -> int:
        by_count = {1: self.days_one_country, 2: self.days_two_countries}
        base = by_count.get(len(countries), self.days_three_countries)
        return base + (self.extra_days_far if any(c.is_far for c in countries) else 0)

    def violations(
        self,
        *,
        departure_on: datetime.date | None,
        return_on: datetime.date | None,
        member_count: int,
        countries: list["Country"],
    ) -> list[str]:
        """Every rule the trip breaks, each as a message naming the rule."""
        problems: list[str] = []
        if member_count > self.max_members:
            problems.append(
                _("团组人数 %(n)s 人，超过规定的 %(max)s 人（含翻译）。")
                % {"n": member_count, "max": self.max_members}
            )
        if len(countries) > self.max_countries:
            problems.append(
                _("出访 %(n)s 个国家（地区），超过规定的 %(max)s 个（含经停）。")
                % {"n": len(countries), "max": self.max_countries}
            )
        if departure_on and return_on and countries:
            days = (return_on - departure_on).days + 1
            allowed = self.max_days(countries)
            if days > allowed:
                problems.append(
                    _(
                        "在外 %(days)s 天，超过出访 %(n)s 国（地区）的 %(max)s 天上限"
                        "（含离、抵我国国境当日）。"
                    )
                    % {"days": days, "n": len(countries), "max": allowed}
                )
        return problems


class IntegritySupervisor(DemoFlagged):
    """行风监督员 for outbound official travel."""

    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    term_end_on = models.DateField(_("聘期结束"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行风监督员")
        verbose_name_plural = _("行风监督员")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end_on__isnull=True)
                | Q(appointed_on__isnull=True)
                | Q(term_end_on__gte=F("appointed_on")),
                name="supervisor_term_after_appointment",
                violation_error_message=_("聘期结束日期不能早于聘任日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Delegation(DemoFlagged):
    """因公出国(境)团组 and the office's 事前/事中/事后 oversight of it."""

    name = models.CharField(_("团组名称"), max_length=200)
    unit = models.CharField(_("组团单位"), max_length=100)
    leader = models.CharField(_("团长"), max_length=50)
    approval_number = models.CharField(_("批件号"), max_length=60, blank=True)
    departure_on = models.DateField(_("出境日期"))
    return_on = models.DateField(_("入境日期"))
    countries = models.ManyToManyField(
        Country,
        through="DelegationStop",
        related_name="delegations",
        verbose_name=_("出访国家（地区）"),
    )
    tasks = models.TextField(_("出访任务"), blank=True)
    pre_notice_start = models.DateField(_("出访前公示开始"), null=True, blank=True)
    pre_notice_end = models.DateField(_("出访前公示结束"), null=True, blank=True)
    education_on = models.DateField(_("行前外事纪律教育日期"), null=True, blank=True)
    in_trip_checked_on = models.DateField(_("事中检查日期"), null=True, blank=True)
    in_trip_findings = models.TextField(_("事中检查发现"), blank=True)
    post_trip_checked_on = models.DateField(_("事后检查日期"), null=True, blank=True)
    post_trip_findings = models.TextField(_("事后检查发现"), blank=True)
    report_returned_on = models.DateField(_("出访报告报回日期"), null=True, blank=True)
    passports_returned_on = models.DateField(_("证照交回日期"), null=True, blank=True)
    post_notice_on = models.DateField(_("出访后公示日期"), null=True, blank=True)
    performance_evaluation = models.TextField(
        _("绩效评估"), blank=True, help_text=_("按评估清单逐项记录（清单可编辑）。")
    )
    supervisor = models.ForeignKey(
        IntegritySupervisor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("行风监督员"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("因公出国（境）团组")
        verbose_name_plural = _("因公出国（境）团组")
        ordering = ["-departure_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_on__gte=F("departure_on")),
                name="delegation_return_after_departure",
                violation_error_message=_("入境日期不能早于出境日期。"),
            ),
            models.CheckConstraint(
                condition=Q(pre_notice_end__isnull=True)
                | Q(pre_notice_start__isnull=True)
                | Q(pre_notice_end__gte=F("pre_notice_start")),
                name="delegation_notice_end_after_start",
                violation_error_message=_("公示结束日期不能早于开始日期。"),
            ),
            # The notice is held before the trip (出访前公示).
            models.CheckConstraint(
                condition=Q(pre_notice_end__isnull=True) | Q(pre_notice_end__lt=F("departure_on")),
                name="delegation_notice_before_departure",
                violation_error_message=_("出访前公示应在出境日期之前结束。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        rules.clean_delegation(self)

    @property
    def days_abroad(self) -> int:
        return (self.return_on - self.departure_on).days + 1

    def rule_violations(self, limits: DelegationLimits | None = None) -> list[str]:
        limits = limits or DelegationLimits.current()
        return limits.violations(
            departure_on=self.departure_on,
            return_on=self.return_on,
            member_count=self.members.count(),
            countries=[stop.country for stop in self.stops.select_related("country")],
        )


class DelegationMember(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="members", verbose_name=_("团组")
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    is_interpreter = models.BooleanField(_("翻译"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("团组成员")
        verbose_name_plural = _("团组成员")
        ordering = ["delegation", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        rules.clean_member(self)


class DelegationStop(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="stops", verbose_name=_("团组")
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("国家或地区"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    is_transit = models.BooleanField(_("经停"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出访国家（地区）")
        verbose_name_plural = _("出访国家（地区）")
        ordering = ["delegation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "country"],
                name="delegationstop_unique_country",
                violation_error_message=_("同一国家（地区）不能重复列入。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.country)

    def clean(self) -> None:
        rules.clean_stop(self)
