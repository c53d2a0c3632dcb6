"""Background spreadsheet imports: the job record the worker and the progress page share."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.storage import private_storage


class ImportJob(models.Model):
    """A spreadsheet import run by the background worker (files above the row threshold).

    All or nothing: the import runs in one transaction; while it runs, the rows done and
    the errors so far are published through a progress file (`dataio.services`), because
    rows written inside the open transaction are invisible to the progress page.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        SUCCEEDED = "succeeded", _("导入成功")
        FAILED = "failed", _("导入失败（未写入任何数据）")

    class Kind(models.TextChoices):
        XLSX = "xlsx", "xlsx"
        CSV = "csv", "csv"

    model_label = models.CharField(
        _("数据类型代码"), max_length=100, help_text=_("如 trainings.StudySession。")
    )
    source = models.FileField(
        _("上传文件"), upload_to="imports/%Y/%m/", storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("原文件名"), max_length=255)
    kind = models.CharField(_("格式"), max_length=4, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    error_rows = models.PositiveIntegerField(_("出错行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增条数"), default=0)
    updated_count = models.PositiveIntegerField(_("更新条数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    error_report = models.FileField(
        _("错误报告"),
        upload_to="import-errors/%Y/%m/",
        storage=private_storage,
        blank=True,
        max_length=255,
    )
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    task_id = models.CharField(_("后台任务编号"), max_length=64, blank=True)
    # The tables keep the names they were created with in the app that held the model first.
    history = HistoricalRecords(table_name="core_historicalimportjob")

    class Meta:
        db_table = "core_importjob"
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="importjob_processed_within_total",
                violation_error_message=_("已处理行数不能超过总行数。"),
            ),
            models.CheckConstraint(
                condition=Q(error_rows__lte=F("total_rows")),
                name="importjob_errors_within_total",
                violation_error_message=_("出错行数不能超过总行数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def model_verbose_name(self) -> str:
        from django.apps import apps

        try:
            return str(apps.get_model(self.model_label)._meta.verbose_name)
        except LookupError:
            return self.model_label
