"""Learning the law: the catalogue of laws and documents studied, and study sessions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DemoFlagged
from core.uploads import UploadTo, validate_attachment


class Law(models.Model):
    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", _("宪法")
        LAW = "law", _("法律")
        REGULATION = "regulation", _("行政法规")
        PARTY_RULE = "party_rule", _("党内法规")
        DEPARTMENT_RULE = "department_rule", _("部门规章及规范性文件")
        LOCAL_RULE = "local_rule", _("地方性法规及政策")
        ARTICLE = "article", _("文章与讲话")
        OTHER = "other", _("其他")

    title = models.CharField(
        _("名称"), max_length=200, unique=True, help_text=_("全称，不含书名号。")
    )
    short_title = models.CharField(
        _("简称"), max_length=60, blank=True, help_text=_("报告中引用的简称，如“保密法”。")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    issuer = models.CharField(_("制定机关"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律法规与学习材料")
        verbose_name_plural = _("法律法规与学习材料")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"《{self.cited_title}》"

    @property
    def cited_title(self) -> str:
        return self.short_title or self.title


class StudySession(DemoFlagged):
    class Kind(models.TextChoices):
        CENTER_GROUP = "center_group", _("党组理论学习中心组学法")
        LECTURE = "lecture", _("专题讲座")
        TRAINING = "training", _("培训班")
        ONLINE_QUIZ = "online_quiz", _("网络学法与知识竞赛")
        COURT_HEARING = "court_hearing", _("庭审观摩")
        PUBLICITY = "publicity", _("普法宣传活动")
        JOINT_SERVICE = "joint_service", _("联合法律服务活动")
        SELF_STUDY = "self_study", _("集中自学")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("线下")
        ONLINE = "online", _("线上")
        MIXED = "mixed", _("线上线下结合")

    date = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("形式"), max_length=20, choices=Kind.choices, db_index=True)
    laws = models.ManyToManyField(
        Law, blank=True, related_name="study_sessions", verbose_name=_("学习内容")
    )
    speaker_name = models.CharField(_("主讲人"), max_length=50, blank=True)
    speaker_post = models.CharField(_("主讲人职务"), max_length=100, blank=True)
    speaker_org = models.CharField(_("主讲人单位"), max_length=100, blank=True)
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    partners = models.CharField(
        _("合作单位"), max_length=200, blank=True, help_text=_("多个单位用顿号分隔。")
    )
    audience = models.CharField(_("参加对象"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)
    attachment = models.FileField(
        _("附件"),
        upload_to=UploadTo("trainings"),
        validators=[validate_attachment],
        blank=True,
    )
    history = HistoricalRecords(m2m_fields=[laws])

    class Meta:
        verbose_name = _("学法活动")
        verbose_name_plural = _("学法活动")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "title"],
                name="studysession_unique_date_title",
                violation_error_message=_("同一天已有同名的学法活动。"),
            ),
            models.CheckConstraint(
                condition=Q(date__year__gte=2000),
                name="studysession_date_plausible",
                violation_error_message=_("日期不能早于 2000 年。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"
