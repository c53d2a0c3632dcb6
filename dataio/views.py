"""Background import jobs in the admin: the list, the live progress page, its JSON feed
and the error report download. Access is checked in one place, `_job_for_user`."""

import os

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import staff_page
from dataio.models import ImportJob
from dataio.services import read_progress


def _can_see_all(user) -> bool:
    return user.is_superuser or user.has_perm("dataio.view_importjob")


def _job_for_user(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if job.created_by_id != request.user.pk and not _can_see_all(request.user):
        raise PermissionDenied
    return job


def _progress_payload(job: ImportJob) -> dict:
    progress = read_progress(job)
    total = job.total_rows
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "finished": job.is_finished,
        "total": total,
        "processed": progress["processed"],
        "errors": progress["errors"],
        "percent": int(progress["processed"] * 100 / total) if total else 0,
        "message": job.message,
    }


@require_GET
@staff_page()
def import_job_list(request):
    jobs = ImportJob.objects.select_related("created_by")
    if not _can_see_all(request.user):
        jobs = jobs.filter(created_by=request.user)
    context = {
        **admin.site.each_context(request),
        "title": gettext("导入任务"),
        "jobs": jobs[:100],
    }
    return TemplateResponse(request, "dataio/import_job_list.html", context)


@require_GET
@never_cache
@staff_page()
def import_job_detail(request, pk: int):
    job = _job_for_user(request, pk)
    context = {
        **admin.site.each_context(request),
        "title": gettext("导入任务 #%(id)s") % {"id": job.pk},
        "job": job,
        "progress": _progress_payload(job),
    }
    return TemplateResponse(request, "dataio/import_job.html", context)


@require_GET
@never_cache
@staff_page()
def import_job_progress(request, pk: int):
    return JsonResponse(_progress_payload(_job_for_user(request, pk)))


@require_GET
@staff_page()
def import_job_report(request, pk: int):
    job = _job_for_user(request, pk)
    if not job.error_report:
        raise Http404(gettext("该任务没有错误报告。"))
    stem = os.path.splitext(job.original_name)[0]
    return FileResponse(
        job.error_report.open("rb"),
        as_attachment=True,
        filename=f"{stem}-错误报告.{job.kind}",
    )
