"""Applications for disclosure of government information (依申请公开), 《政府信息公开条例》
第二十七条至第四十五条: the application as received, each handling step, the decision in the
national statistical categories, and administrative reviews and lawsuits against the reply.

Applicants' personal data (name, identity document, contact) is kept for the staff who handle
applications; it is never shown on a public page, and exports for other roles leave it out.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_EXTENSION_DAYS = 20  # 第三十三条第二款
ANSWER_DAYS = 20  # 第三十三条第一款
THIRD_PARTY_DAYS = 15  # 第三十二条


class ApplicantType(models.TextChoices):
    """The columns of the annual report's table 三."""

    NATURAL_PERSON = "natural", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_WELFARE = "welfare", _("社会公益组织")
    LEGAL_SERVICE = "legal", _("法律服务机构")
    OTHER_ORGANIZATION = "other", _("其他")


class Outcome(models.TextChoices):
    """The rows 三（一）至（六） of the annual report's table 三 (国办公开办函〔2021〕30号),
    one code per sub-reason; the category is the code's prefix."""

    DISCLOSED = "disclose", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_STATE_SECRET = "withhold.1", _("不予公开：属于国家秘密")
    WITHHELD_OTHER_LAW = "withhold.2", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withhold.3", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withhold.4", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withhold.5", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withhold.6", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT_FILE = "withhold.7", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY = "withhold.8", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable.1", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = "unavailable.2", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_STILL_UNCLEAR = "unavailable.3", _("无法提供：补正后申请内容仍不明确")
    NOT_PROCESSED_PETITION = "not_processed.1", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_REPEATED = "not_processed.2", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed.3", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_EXCESSIVE = "not_processed.4", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed.5",
        _("不予处理：要求行政机关确认或重新出具已获取信息"),
    )
    OTHER_NO_CORRECTION = (
        "other.1",
        _("其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_NO_FEE = (
        "other.2",
        _("其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "other.3", _("其他处理：其他")


OUTCOME_CATEGORIES = (
    ("disclose", _("（一）予以公开")),
    ("partial", _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ("withhold", _("（三）不予公开")),
    ("unavailable", _("（四）无法提供")),
    ("not_processed", _("（五）不予处理")),
    ("other", _("（六）其他处理")),
)


def outcome_category(code: str) -> str:
    return code.split(".", 1)[0]


class InformationRequest(models.Model):
    class Channel(models.TextChoices):
        # 第三十一条: the receipt date depends on how the application arrived.
        IN_PERSON = "in_person", _("当面提交（提交之日为收到之日）")
        POST = "post", _("邮寄（签收之日为收到之日）")
        ONLINE = "online", _("互联网渠道（双方确认之日为收到之日）")

    class DeliveryForm(models.TextChoices):
        PAPER_POST = "paper_post", _("纸质文本，邮寄")
        PAPER_PICKUP = "paper_pickup", _("纸质文本，当面领取")
        EMAIL = "email", _("电子文本，电子邮件")
        MEDIUM = "medium", _("光盘等存储介质")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已在线提交，待确认收到")
        REGISTERED = "registered", _("办理中")
        CORRECTION = "correction", _("待申请人补正")
        CONSULTATION = "consultation", _("征求意见中")
        DECIDED = "decided", _("已作出答复")
        DELIVERED = "delivered", _("答复已送达")
        CLOSED = "closed", _("已办结")

    OPEN_STATUSES = (Status.SUBMITTED, Status.REGISTERED, Status.CORRECTION, Status.CONSULTATION)

    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    # --- the applicant (personal data: staff who handle applications only) -----------
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(
        _("申请人姓名或名称"), max_length=100, help_text=_("个人填写姓名，组织填写全称。")
    )
    id_document = models.CharField(
        _("身份证件名称及号码"),
        max_length=100,
        help_text=_("个人填写身份证件名称及号码，组织填写统一社会信用代码。"),
    )
    contact_person = models.CharField(
        _("联系人"), max_length=50, blank=True, help_text=_("组织申请时填写。")
    )
    phone = models.CharField(_("联系电话"), max_length=40)
    email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    # --- what is asked -----------------------------------------------------------------
    description = models.TextField(_("所需政府信息的名称、文号或便于查询的其他特征性描述"))
    delivery_form = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryForm.choices
    )
    # --- receipt (第三十一条) ----------------------------------------------------------
    channel = models.CharField(_("提交方式"), max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("在线提交时间"), null=True, blank=True, editable=False)
    # A keyed hash of the sender's address, to count online submissions (rate limit).
    client_hash = models.CharField(_("来源标识"), max_length=64, blank=True, editable=False)
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    status = models.CharField(
        _("办理状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # --- 补正 (第三十条) -------------------------------------------------------------
    correction_requested_on = models.DateField(_("补正通知日期"), null=True, blank=True)
    correction_items = models.TextField(_("需补正的事项"), blank=True)
    correction_due_on = models.DateField(_("补正期限"), null=True, blank=True)
    correction_received_on = models.DateField(_("收到补正申请日期"), null=True, blank=True)
    # --- extension (第三十三条第二款) ----------------------------------------------------
    extension_days = models.PositiveSmallIntegerField(
        _("延长工作日数"),
        default=0,
        validators=[MaxValueValidator(MAX_EXTENSION_DAYS)],
    )
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("延长申请人"),
        editable=False,
    )
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("延长批准人"),
        editable=False,
    )
    extension_approved_on = models.DateField(_("延长批准日期"), null=True, blank=True)
    extension_notified_on = models.DateField(_("告知申请人延长日期"), null=True, blank=True)
    # --- the answer ----------------------------------------------------------------------
    due_on = models.DateField(_("答复期限"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    decision_basis = models.TextField(_("法律依据和理由"), blank=True)
    decided_on = models.DateField(_("答复日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复决定人"),
        editable=False,
    )
    reply_letter_on = models.DateField(_("告知书日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("handle_informationrequest", _("办理政府信息公开申请（可查看申请人信息）")),
            ("approve_extension", _("批准延长答复期限")),
            ("decide_informationrequest", _("作出政府信息公开申请答复决定")),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return _("依申请公开 %(code)s") % {"code": self.tracking_code}

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def outcome_category(self) -> str:
        return outcome_category(self.outcome) if self.outcome else ""

    def is_overdue(self, today: datetime.date) -> bool:
        """Overdue when still unanswered after the deadline, extension included."""
        return self.is_open and self.due_on is not None and today > self.due_on


class Consultation(models.Model):
    """A consultation whose time is not counted in the answer period (第三十二条)."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("征求第三方意见")
        AGENCY = "agency", _("征求其他行政机关意见")

    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("政府信息公开申请"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    party = models.CharField(_("征求意见对象"), max_length=200)
    started_on = models.DateField(_("发出征求意见日期"))
    reply_due_on = models.DateField(_("意见答复期限"), null=True, blank=True)
    ended_on = models.DateField(_("征求意见结束日期"), null=True, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class Remedy(models.Model):
    """An administrative review or lawsuit against a reply (the annual report's table 四)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("行政复议")
        LAWSUIT_DIRECT = "lawsuit_direct", _("行政诉讼（未经复议直接起诉）")
        LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        related_name="remedies",
        verbose_name=_("政府信息公开申请"),
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    filed_on = models.DateField(_("受理日期"))
    body = models.CharField(_("复议机关或法院"), max_length=200)
    result = models.CharField(
        _("结果"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    concluded_on = models.DateField(_("审结日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政复议或诉讼")
        verbose_name_plural = _("行政复议和诉讼")
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}（{self.get_result_display()}）"


class RequestEvent(models.Model):
    """One handling step, as it happened: who, when, and the deadline before and after."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("在线提交")
        REGISTER = "register", _("登记收到")
        CORRECTION_REQUEST = "correction_request", _("发出补正通知")
        CORRECTION_RECEIVED = "correction_received", _("收到补正申请")
        CONSULTATION_START = "consultation_start", _("开始征求意见")
        CONSULTATION_END = "consultation_end", _("征求意见结束")
        EXTENSION_REQUEST = "extension_request", _("申请延长答复期限")
        EXTENSION_APPROVE = "extension_approve", _("批准延长答复期限")
        DECIDE = "decide", _("作出答复决定")
        REPLY_LETTER = "reply_letter", _("出具告知书")
        DELIVER = "deliver", _("送达")
        CLOSE = "close", _("办结")
        RECALCULATE = "recalculate", _("工作日历调整，重新计算期限")
        REMEDY = "remedy", _("记录行政复议或诉讼")

    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("政府信息公开申请"),
    )
    action = models.CharField(_("步骤"), max_length=30, choices=Action.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    note = models.TextField(_("说明"), blank=True)
    due_before = models.DateField(_("调整前期限"), null=True, blank=True)
    due_after = models.DateField(_("调整后期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_action_display()}"


# --- the annual disclosure work report -----------------------------------------------------


class DisclosureWorkReport(models.Model):
    """政府信息公开工作年度报告 of one office for one year (《政府信息公开条例》第四十九条、
    第五十条), in the national format of 国办公开办函〔2021〕30号: six parts, of which 一、五、六
    are text and 二、三、四 are tables.

    Table 二 (主动公开) holds figures the office enters (defaults are drafted from the
    disclosure catalogue); tables 三 and 四 are a snapshot (`figures`) of the applications
    and of the reviews and lawsuits, taken when the draft is made or recounted, and checked
    (勾稽关系) before submission. A published report never changes: a correction is a new
    revision pointing at the one it corrects. This app sits above the disclosure app, so the
    report links to the disclosure item it is published as."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审核通过")
        PUBLISHED = "published", _("已公开发布")

    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="disclosure_work_reports",
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
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # --- parts 一、五、六 (text, one paragraph a line) ---------------------------------------
    overview = models.TextField(_("一、总体情况"), blank=True, help_text=_("每行一段。"))
    problems = models.TextField(
        _("五、存在的主要问题及改进情况"), blank=True, help_text=_("每行一段。")
    )
    other_matters = models.TextField(
        _("六、其他需要报告的事项"),
        blank=True,
        help_text=_("每行一段。收取信息处理费的情况按下方金额自动写入本部分开头。"),
    )
    # --- table 二: 主动公开政府信息情况 (figures the office enters) ---------------------------
    rules_issued = models.PositiveIntegerField(_("规章：本年制发件数"), default=0)
    rules_repealed = models.PositiveIntegerField(_("规章：本年废止件数"), default=0)
    rules_in_force = models.PositiveIntegerField(_("规章：现行有效件数"), default=0)
    normative_issued = models.PositiveIntegerField(
        _("行政规范性文件：本年制发件数"),
        default=0,
        help_text=_("草稿按本年度公开的“法规文件”类政务公开信息预填，请核对。"),
    )
    normative_repealed = models.PositiveIntegerField(_("行政规范性文件：本年废止件数"), default=0)
    normative_in_force = models.PositiveIntegerField(_("行政规范性文件：现行有效件数"), default=0)
    licensing_decisions = models.PositiveIntegerField(_("行政许可：本年处理决定数量"), default=0)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚：本年处理决定数量"), default=0)
    enforcement_decisions = models.PositiveIntegerField(_("行政强制：本年处理决定数量"), default=0)
    fees_amount = models.DecimalField(
        _("行政事业性收费：本年收费金额（万元）"),
        max_digits=12,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    information_fees = models.DecimalField(
        _("本年收取的信息处理费（元）"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("依《政府信息公开信息处理费管理办法》收取的费用，写入第六部分。"),
    )
    # --- tables 三 and 四: snapshot of the records ---------------------------------------
    figures = models.JSONField(
        _("表三、表四统计数据"),
        default=dict,
        blank=True,
        help_text=_("起草或重新统计时按办理记录生成；提交前须通过勾稽检查。"),
    )
    counted_at = models.DateTimeField(_("统计时间"), null=True, blank=True)
    # --- workflow -----------------------------------------------------------------------
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )
    created_at = models.DateTimeField(_("起草时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    approved_on = models.DateField(_("审核通过日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="disclosure-reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF 的 SHA-256"), max_length=64, blank=True)
    disclosure = models.OneToOneField(
        "disclosure.DisclosureItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_work_report",
        verbose_name=_("政务公开信息"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "-revision"]
        permissions = [
            ("submit_disclosureworkreport", _("可提交政府信息公开工作年度报告审核")),
            ("approve_disclosureworkreport", _("可审核通过或退回政府信息公开工作年度报告")),
            ("publish_disclosureworkreport", _("可公开发布政府信息公开工作年度报告")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "revision"],
                name="disclosureworkreport_unique_revision",
                violation_error_message=_("本机关该年度已有相同版本的政府信息公开工作年度报告。"),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000) & models.Q(year__lte=2100),
                name="disclosureworkreport_year_range",
                violation_error_message=_("年度应在 2000 至 2100 之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted"])
                | (models.Q(approved_on__isnull=False) & ~models.Q(pdf_sha256="")),
                name="disclosureworkreport_approved_has_pdf",
                violation_error_message=_("审核通过的报告必须有审核日期和定稿 PDF。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | (models.Q(published_on__isnull=False) & models.Q(disclosure__isnull=False)),
                name="disclosureworkreport_published_has_disclosure",
                violation_error_message=_("已发布的报告必须有公开日期和政务公开信息。"),
            ),
        ]

    def __str__(self) -> str:
        if self.revision > 1:
            return _("%(title)s（第%(n)s版）") % {"title": self.title, "n": self.revision}
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @staticmethod
    def due_for(year: int) -> datetime.date:
        """Published by 31 January of the next year (《政府信息公开条例》第四十九条)."""
        return datetime.date(year + 1, 1, 31)

    @property
    def due_on(self) -> datetime.date:
        return self.due_for(self.year)

    @property
    def first_published_on(self) -> datetime.date | None:
        """When the year's report was first published: a correction published later does
        not move the date on which the office met its duty."""
        report, first = self, self.published_on
        while report.corrects_id:
            report = report.corrects
            first = report.published_on or first
        return first


class DisclosureWorkReportEvent(models.Model):
    """The audit trail of a disclosure work report's workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("生成草稿")
        RECOUNT = "recount", _("按记录重新统计")
        SUBMIT = "submit", _("提交审核")
        RETURN = "return", _("退回修改")
        APPROVE = "approve", _("审核通过")
        PUBLISH = "publish", _("公开发布")
        CORRECT = "correct", _("发起更正")

    report = models.ForeignKey(
        DisclosureWorkReport,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("报告"),
    )
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("原状态"), max_length=12, choices=DisclosureWorkReport.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("新状态"), max_length=12, choices=DisclosureWorkReport.Status.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"))
    comment = models.TextField(_("意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公开工作年度报告流转记录")
        verbose_name_plural = _("公开工作年度报告流转记录")
        ordering = ["report", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="return") | ~models.Q(comment=""),
                name="disclosureworkreportevent_return_has_comment",
                violation_error_message=_("退回修改必须填写意见。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
