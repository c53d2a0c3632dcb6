"""Background imports: starting a job, running it in the worker, reporting progress.

A job's import runs in one transaction (all or nothing), so rows it writes are invisible
to anyone else until it commits, and on SQLite the open write transaction would also
block any other write. Progress therefore goes to a small JSON file beside the upload
(atomic replace), which the progress page reads; the job row itself is only written
before and after the import transaction.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task
from import_export.results import RowResult

from dataio.importing import error_report, load_upload, model_from_label, run_import
from dataio.models import ImportJob

logger = logging.getLogger(__name__)

PROGRESS_EVERY_ROWS = 200
PROGRESS_EVERY_SECONDS = 0.5


def _progress_path(job_id: int) -> Path:
    return Path(settings.FAO_PRIVATE_ROOT) / "import-progress" / f"{job_id}.json"


def read_progress(job: ImportJob) -> dict:
    """Rows done and errors so far of a running job (the job row once it has finished)."""
    if job.status == ImportJob.Status.RUNNING:
        try:
            data = json.loads(_progress_path(job.pk).read_text("utf-8"))
            return {"processed": int(data["processed"]), "errors": int(data["errors"])}
        except (OSError, ValueError, KeyError):
            pass
    return {"processed": job.processed_rows, "errors": job.error_rows}


class ProgressWriter:
    """Called by the resource after every row; writes the file at most every 200 rows or
    half a second, so progress costs nothing measurable."""

    def __init__(self, job: ImportJob):
        self.path = _progress_path(job.pk)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.total = job.total_rows
        self.processed = 0
        self.errors = 0
        self._last_rows = 0
        self._last_time = 0.0
        self.write()

    def __call__(self, row_number: int, row_result: RowResult) -> None:
        self.processed = max(self.processed, row_number)
        if row_result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
            self.errors += 1
        now = time.monotonic()
        if (
            self.processed - self._last_rows >= PROGRESS_EVERY_ROWS
            or now - self._last_time >= PROGRESS_EVERY_SECONDS
        ):
            self.write()

    def write(self) -> None:
        self._last_rows, self._last_time = self.processed, time.monotonic()
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"processed": self.processed, "errors": self.errors}), encoding="utf-8"
        )
        os.replace(tmp, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


@transaction.atomic
def import_job_start(*, model, upload, info, user) -> ImportJob:
    """Store the upload (already checked) and queue it for the background worker."""
    job = ImportJob(
        model_label=model._meta.label,
        original_name=os.path.basename(upload.name)[:255],
        kind=info.kind,
        total_rows=info.rows,
        created_by=user,
    )
    upload.seek(0)
    job.source.save(f"{timezone.now():%Y%m%d%H%M%S}.{info.kind}", upload, save=False)
    job.full_clean()
    job.save()
    # Queued once the job row is committed, so the worker always finds it.
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: ImportJob) -> None:
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def import_job_run(*, job_id: int) -> str:
    """The worker's side: run the import in one transaction, then record the outcome."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status  # already run (a retried task must not import twice)
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = ProgressWriter(job)
    try:
        model = model_from_label(job.model_label)
        with job.source.open("rb") as handle:
            data = handle.read()
        try:
            info, dataset = load_upload(data, job.original_name, model, kind=job.kind)
        except ValidationError as e:
            _finish_failed(job, message="；".join(e.messages))
            return job.status
        job.total_rows = len(dataset)
        progress.total = job.total_rows
        outcome = run_import(
            model=model,
            dataset=dataset,
            user=job.created_by,
            change_reason=gettext("批量导入（任务 #%(id)s）：%(file)s")
            % {"id": job.pk, "file": job.original_name},
            file_name=job.original_name,
            progress=progress,
        )
        job.processed_rows = job.total_rows
        if outcome.ok:
            job.status = ImportJob.Status.SUCCEEDED
            job.created_count, job.updated_count = outcome.new, outcome.updated
            job.message = gettext("导入完成：新增 %(new)s 条，更新 %(updated)s 条。") % {
                "new": outcome.new,
                "updated": outcome.updated,
            }
            job.finished_at = timezone.now()
            job.save()
        else:
            report = error_report(dataset, outcome, job.kind)
            _finish_failed(
                job,
                message=gettext(
                    "共 %(n)s 行有错误，未写入任何数据。请下载错误报告，改正后重新导入。"
                )
                % {"n": len(outcome.row_errors)}
                + ("；".join(outcome.errors) if outcome.errors else ""),
                error_rows=len(outcome.row_errors),
                report=report,
            )
    except Exception:
        logger.exception("import job %s crashed", job_id)
        _finish_failed(
            job, message=gettext("导入过程中发生意外错误，未写入任何数据，请联系管理员。")
        )
        raise
    finally:
        progress.remove()
    return job.status


def _finish_failed(job: ImportJob, *, message: str, error_rows: int = 0, report=None) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.error_rows = min(error_rows, job.total_rows)
    job.created_count = job.updated_count = 0
    job.finished_at = timezone.now()
    if report is not None:
        stem = os.path.splitext(job.original_name)[0]
        job.error_report.save(f"{stem}-错误报告.{job.kind}", ContentFile(report), save=False)
    job.save()


@task()
def run_import_job(job_id: int) -> str:
    """The background task (django-tasks with the database queue; worker:
    `manage.py db_worker`): a thin wrapper, so the same work runs and is tested without the
    queue."""
    return import_job_run(job_id=job_id)
