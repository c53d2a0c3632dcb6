"""The office, its bodies and rules, legal advisers, annual plans and general work records.

These are the records behind sections 一 to 三 of the annual rule-of-law report and the
whole of the next year's plan (docs/domain.md; demo/seed_2021_report.txt).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.deadlines import Deadline
from core.models import DemoFlagged, Organization
from core.uploads import UploadTo, validate_attachment


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
    attachment = models.FileField(
        _("附件"),
        upload_to=UploadTo("documents"),
        validators=[validate_attachment],
        blank=True,
    )
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
        if not (self.start_on and self.end_on):  # an unsaved form being previewed
            return self.law_firm
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


# --- The annual rule-of-law report (法治政府建设年度报告) -----------------------------------


class ReportThemeDefault(models.Model):
    """The heading and opening sentence a year's report gives each theme by default (the seed
    report's five headings); staff may change them here once instead of in every report."""

    theme = models.CharField(_("报告部分"), max_length=20, choices=ReportTheme.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    heading = models.CharField(
        _("默认标题"), max_length=100, help_text=_("不含序号，如“党组重视，引领法治政府建设”。")
    )
    lead = models.TextField(
        _("开头语"),
        blank=True,
        help_text=_("该部分开头的概括性语句，可留空；“{机关简称}”会替换为机关简称。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告部分默认标题")
        verbose_name_plural = _("报告部分默认标题")
        ordering = ["order", "theme"]

    def __str__(self) -> str:
        return self.heading


class AnnualReport(models.Model):
    """One office's report on one year: drafted from records, reviewed, approved, published.

    A published report never changes; a correction is a new revision (revision + 1) that
    points at the one it corrects."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审核通过")
        PUBLISHED = "published", _("已公开发布")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("机关"),
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    revision = models.PositiveSmallIntegerField(
        _("版本"), default=1, help_text=_("更正已发布的报告时生成新版本。")
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("更正的版本"),
    )
    title = models.CharField(_("标题"), max_length=200)
    title_layout = models.CharField(
        _("标题分行"),
        max_length=220,
        blank=True,
        help_text=_(
            "用“|”标出标题的换行处，如“常州市人民政府外事办公室|2021年度法治政府建设情况报告”；"
            "留空时按词自动分行。去掉“|”后须与标题一致。"
        ),
    )
    summary = models.CharField(
        _("内容概述"),
        max_length=200,
        blank=True,
        help_text=_("发布到政务公开时的内容概述，留空时使用标题。"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_on = models.DateField(_("审核通过日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF 的 SHA-256"), max_length=64, blank=True)
    disclosure = models.OneToOneField(
        "disclosure.DisclosureItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_report",
        verbose_name=_("政务公开信息"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法治政府建设年度报告")
        verbose_name_plural = _("法治政府建设年度报告")
        ordering = ["-year", "-revision"]
        permissions = [
            ("submit_report", _("可提交年度报告审核")),
            ("approve_report", _("可审核通过或退回年度报告")),
            ("publish_report", _("可公开发布年度报告")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "revision"],
                name="annualreport_unique_revision",
                violation_error_message=_("本机关该年度已有相同版本的报告。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="annualreport_year_range",
                violation_error_message=_("年度应在 2000 至 2100 之间。"),
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1),
                name="annualreport_revision_positive",
                violation_error_message=_("版本号从 1 开始。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | (Q(approved_on__isnull=False) & ~Q(pdf_sha256="")),
                name="annualreport_approved_has_pdf",
                violation_error_message=_("审核通过的报告必须有审核日期和定稿 PDF。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (Q(published_on__isnull=False) & Q(disclosure__isnull=False)),
                name="annualreport_published_has_disclosure",
                violation_error_message=_("已发布的报告必须有公开日期和政务公开信息。"),
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(published_on__gte=F("approved_on")),
                name="annualreport_published_after_approved",
                violation_error_message=_("公开日期不能早于审核通过日期。"),
            ),
        ]

    def __str__(self) -> str:
        if self.revision > 1:
            return _("%(title)s（第%(n)s版）") % {"title": self.title, "n": self.revision}
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.title_layout and self.title_layout.replace("|", "") != self.title:
            raise ValidationError(
                {"title_layout": _("标题分行去掉“|”后须与标题一致。")}, code="title_layout"
            )

    @property
    def first_published_on(self) -> datetime.date | None:
        """When the year's report was first published: a correction published later does
        not move the date on which the office met its duty to publish."""
        report, first = self, self.published_on
        while report.corrects_id:
            report = report.corrects
            first = report.published_on or first
        return first

    @staticmethod
    def default_title(organization: Organization, year: int) -> str:
        return _("%(org)s%(year)s年度法治政府建设情况报告") % {
            "org": organization.full_name,
            "year": year,
        }

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @staticmethod
    def report_due_for(year: int) -> datetime.date:
        """A year's report goes to the party committee and government before 1 March of
        the next year (《法治政府建设与责任落实督察工作规定》厅字〔2019〕28号 第二十五条)."""
        return datetime.date(year + 1, 3, 1)

    @staticmethod
    def publish_due_for(year: int) -> datetime.date:
        """…and is published before 1 April of the next year (same article)."""
        return datetime.date(year + 1, 4, 1)

    @property
    def report_due_on(self) -> datetime.date:
        return self.report_due_for(self.year)

    @property
    def publish_due_on(self) -> datetime.date:
        return self.publish_due_for(self.year)

    def deadlines(self, today: datetime.date | None = None) -> list[Deadline]:
        today = today or timezone.localdate()
        return [
            Deadline(_("报送"), self.report_due_on, self.approved_on, today),
            Deadline(_("公开"), self.publish_due_on, self.published_on, today),
        ]


class ReportSection(models.Model):
    """One part of a report: a heading and editable text, kept with the text the generator
    last produced so regenerating can tell staff edits from generated text."""

    class Part(models.TextChoices):
        OPENING = "opening", _("开头")
        ACHIEVEMENTS = "achievements", _("上一年度主要举措和成效")
        SHORTCOMINGS = "shortcomings", _("存在的不足和原因")
        RESPONSIBILITY = "responsibility", _("党政主要负责人履行推进法治建设第一责任人职责情况")
        OTHER = "other", _("其他需要报告的情况")
        NEXT_YEAR_OPENING = "next_opening", _("下一年度主要安排（总体要求）")
        NEXT_YEAR = "next_year", _("下一年度主要安排")

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("报告")
    )
    key = models.SlugField(
        _("代码"), max_length=60, help_text=_("生成器用于对应各部分的代码，请勿修改。")
    )
    part = models.CharField(_("法定内容"), max_length=20, choices=Part.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    heading = models.CharField(
        _("标题"), max_length=100, blank=True, help_text=_("不含“一、”等序号，序号自动编排。")
    )
    body = models.TextField(_("正文"), blank=True, help_text=_("每行一段。"))
    included = models.BooleanField(
        _("列入报告"), default=True, help_text=_("不勾选则该部分不出现在报告中。")
    )
    generated_heading = models.CharField(
        _("生成的标题"), max_length=100, blank=True, editable=False
    )
    generated_body = models.TextField(_("生成的正文"), blank=True, editable=False)
    empty_reason = models.TextField(
        _("本部分无内容的理由"),
        blank=True,
        editable=False,
        help_text=_("确认“本部分无内容”时填写的理由；该部分不列入报告。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告部分")
        verbose_name_plural = _("报告部分")
        ordering = ["report", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="reportsection_unique_key",
                violation_error_message=_("同一报告中的部分代码不能重复。"),
            )
        ]

    def __str__(self) -> str:
        return self.heading or self.get_part_display()

    @property
    def is_edited(self) -> bool:
        return (self.heading, self.body) != (self.generated_heading, self.generated_body)


class ReportEvent(models.Model):
    """The audit trail of a report's workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("生成草稿")
        REGENERATE = "regenerate", _("重新生成")
        SUBMIT = "submit", _("提交审核")
        RETURN = "return", _("退回修改")
        APPROVE = "approve", _("审核通过")
        PUBLISH = "publish", _("公开发布")
        CORRECT = "correct", _("发起更正")
        WAIVE = "waive", _("确认本部分无内容")

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("报告")
    )
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=12, choices=AnnualReport.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=12, choices=AnnualReport.Status.choices)
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告流转记录")
        verbose_name_plural = _("报告流转记录")
        ordering = ["report", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="return") | ~Q(comment=""),
                name="reportevent_return_has_comment",
                violation_error_message=_("退回修改必须填写意见。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
