"""The office, its bodies and rules, legal advisers, annual plans and general work records.

These are the records behind sections 一 to 三 of the annual rule-of-law report and the
whole of the next year's plan (DOMAIN.md, seed report).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DemoFlagged


class OrganizationManager(models.Manager):
    def current(self) -> "Organization":
        """The office this deployment serves (one office per portal, DOMAIN.md)."""
        org = self.order_by("pk").first()
        if org is None:
            raise Organization.DoesNotExist("尚未录入本机关信息，请先在后台添加“机关”。")
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")

    def __str__(self) -> str:
        return self.full_name


class Division(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="divisions", verbose_name=_("机关")
    )
    name = models.CharField(_("处室名称"), max_length=60)
    is_rule_of_law_lead = models.BooleanField(
        _("法治建设职能处室"), default=False, help_text=_("承担综合考核责任的职能处室。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处室")
        verbose_name_plural = _("处室")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="division_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Person(DemoFlagged):
    """Anyone the records name: office leaders, lawyers, speakers, group members."""

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    unit = models.CharField(_("单位"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "unit"], name="person_unique_name_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name


class LeadingGroup(DemoFlagged):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="leading_groups",
        verbose_name=_("机关"),
    )
    name = models.CharField(_("领导小组名称"), max_length=100)
    purpose = models.TextField(_("职责"), blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    adjusted_on = models.DateField(
        _("最近调整日期"), null=True, blank=True, help_text=_("成员调整的日期。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="leadinggroup_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LeadingGroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")
        LIAISON = "liaison", _("联络员")
        IN_CHARGE = "in_charge", _("分管党组成员")

    group = models.ForeignKey(
        LeadingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("领导小组")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="group_memberships", verbose_name=_("人员")
    )
    post = models.CharField(_("职务"), max_length=100, blank=True)
    role = models.CharField(_("小组职务"), max_length=20, choices=Role.choices)
    start_on = models.DateField(_("起始日期"), null=True, blank=True)
    end_on = models.DateField(_("截止日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["group", "role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="leadinggroupmember_end_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}：{self.person.name}（{self.get_role_display()}）"


class InstitutionalDocument(DemoFlagged):
    class Kind(models.TextChoices):
        KEY_POINTS = "key_points", _("工作要点")
        LEGAL_EDUCATION_PLAN = "legal_education_plan", _("普法工作计划")
        PROCEDURE = "procedure", _("实施细则")
        MANAGEMENT_MEASURES = "management_measures", _("管理办法")
        RESPONSIBILITY_LIST = "responsibility_list", _("责任清单")
        RULES_OF_PROCEDURE = "rules_of_procedure", _("议事规则")
        NOTICE = "notice", _("通知")
        HANDBOOK = "handbook", _("工作手册")
        INTERPRETATION = "interpretation", _("政策解读")
        OTHER = "other", _("其他")

    title = models.CharField(_("文件名称"), max_length=200, help_text=_("不含书名号。"))
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issuer = models.CharField(
        _("制定或发文机关"), max_length=100, blank=True, help_text=_("联合发文时列出全部机关。")
    )
    adopted_on = models.DateField(_("制定日期"), null=True, blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)
    attachment = models.FileField(_("附件"), upload_to="documents/%Y/", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("制度文件")
        verbose_name_plural = _("制度文件")
        ordering = ["-adopted_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title"], name="institutionaldocument_unique_title")
        ]

    def __str__(self) -> str:
        return f"《{self.title}》"


class LegalAdviserEngagement(DemoFlagged):
    law_firm = models.CharField(_("律师事务所"), max_length=100)
    agreement_signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    start_on = models.DateField(_("聘期开始"))
    end_on = models.DateField(_("聘期结束"))
    lawyers = models.ManyToManyField(
        Person, related_name="legal_engagements", verbose_name=_("法律顾问（律师）")
    )
    scope = models.TextField(_("服务范围"), blank=True)
    history = HistoricalRecords(m2m_fields=[lawyers])

    class Meta:
        verbose_name = _("法律顾问聘用")
        verbose_name_plural = _("法律顾问聘用")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="legaladviser_end_after_start",
                violation_error_message=_("聘期结束日期不能早于开始日期。"),
            ),
            models.UniqueConstraint(
                fields=["law_firm", "start_on"], name="legaladviser_unique_firm_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law_firm}（{self.start_on:%Y-%m-%d}—{self.end_on:%Y-%m-%d}）"


class LegalService(DemoFlagged):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("法律讲座")
        REVIEW = "review", _("合同、文件审查")
        CONSULTATION = "consultation", _("法律咨询")
        DECISION = "decision", _("重大决策论证")
        OTHER = "other", _("其他")

    engagement = models.ForeignKey(
        LegalAdviserEngagement,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("法律顾问聘用"),
    )
    kind = models.CharField(_("服务类型"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    description = models.CharField(_("服务内容"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律服务记录")
        verbose_name_plural = _("法律服务记录")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.description}"


class WorkPlan(DemoFlagged):
    """年度法治政府建设工作要点 / next year's plan, one per office and year."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="work_plans", verbose_name=_("机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    preamble = models.TextField(_("总体要求"), blank=True, help_text=_("计划开头的指导思想段落。"))
    adopted_on = models.DateField(_("制定日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="workplan_unique_year",
                violation_error_message=_("本机关该年度已有工作计划。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="workplan_year_range",
                violation_error_message=_("年度应在 2000 至 2100 之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class PlanSection(models.Model):
    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("年度工作计划")
    )
    order = models.PositiveSmallIntegerField(_("序号"), help_text=_("1 表示“一、”。"))
    title = models.CharField(_("标题"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("计划部分")
        verbose_name_plural = _("计划部分")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="plansection_unique_order",
                violation_error_message=_("同一计划中的部分序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="plansection_order_positive",
                violation_error_message=_("序号从 1 开始。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.order}. {self.title}"


class PlanTask(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")

    section = models.ForeignKey(
        PlanSection, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("计划部分")
    )
    number = models.PositiveSmallIntegerField(
        _("任务编号"), help_text=_("整份计划内连续编号，如 1 至 12。")
    )
    title = models.CharField(_("任务名称"), max_length=100, blank=True)
    body = models.TextField(_("任务内容"))
    responsible_division = models.ForeignKey(
        Division,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_tasks",
        verbose_name=_("责任处室"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    progress_notes = models.TextField(_("进展情况"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("计划任务")
        verbose_name_plural = _("计划任务")
        ordering = ["section__plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="plantask_unique_number",
                violation_error_message=_("同一部分中的任务编号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="plantask_number_positive",
                violation_error_message=_("任务编号从 1 开始。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="plantask_done_has_date",
                violation_error_message=_("状态为“已完成”时必须填写完成日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title or self.body[:20]}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        # Numbers run through the whole plan (1.–12.), not per section.
        if self.section_id and self.number:
            clash = PlanTask.objects.filter(
                section__plan_id=self.section.plan_id, number=self.number
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"number": _("该计划中已有编号为 %(n)s 的任务。") % {"n": self.number}},
                    code="duplicate_task_number",
                )


class ReportTheme(models.TextChoices):
    """The five headings under which a year's work is reported (seed report, 2021 part)."""

    LEADERSHIP = "leadership", _("党组领导法治政府建设")
    INSTITUTIONS = "institutions", _("制度建设")
    RISK = "risk", _("依法防范重大风险")
    SUPERVISION = "supervision", _("监督与科学民主决策")
    LEARNING = "learning", _("学法与依法行政能力")


class WorkRecord(DemoFlagged):
    """Dated rule-of-law work that has no richer record type (e.g. the epidemic transfer work)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    theme = models.CharField(_("报告部分"), max_length=20, choices=ReportTheme.choices)
    title = models.CharField(_("事项"), max_length=200)
    narrative = models.TextField(_("情况叙述"))
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作记录")
        verbose_name_plural = _("工作记录")
        ordering = ["-year", "theme", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="workrecord_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="workrecord_year_range",
                violation_error_message=_("年度应在 2000 至 2100 之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class WorkQuantity(models.Model):
    """A labelled figure of a work record: 20 批, 80 人次, 3000 人 …"""

    record = models.ForeignKey(
        WorkRecord, on_delete=models.CASCADE, related_name="quantities", verbose_name=_("工作记录")
    )
    key = models.SlugField(
        _("代码"), max_length=40, help_text=_("供报告生成引用的英文代码，如 batches。")
    )
    label = models.CharField(_("指标"), max_length=60)
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    is_lower_bound = models.BooleanField(
        _("为约数下限"), default=False, help_text=_("勾选表示“余”，如“3000余人”。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作数据")
        verbose_name_plural = _("工作数据")
        ordering = ["record", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "key"],
                name="workquantity_unique_key",
                violation_error_message=_("同一工作记录中的数据代码不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="workquantity_value_non_negative",
                violation_error_message=_("数值不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.display_value}"

    @property
    def display_value(self) -> str:
        number = int(self.value) if self.value == int(self.value) else self.value
        return f"{number}{'余' if self.is_lower_bound else ''}{self.unit}"
