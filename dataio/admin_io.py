"""Spreadsheet import and export for every ModelAdmin of the portal.

`ImportExportIOMixin` is django-import-export's admin mixin narrowed to the portal's two
formats (xlsx, csv) and resources (core/resources.py), with:

- the upload checked before it is parsed (size, type, zip bomb, headers, row count), every
  refusal a Chinese message on the form;
- small files: the library's dry-run preview, row errors under their Chinese column
  names, then confirm (all or nothing);
- files above `FAO_BACKGROUND_IMPORT_ROWS` rows: a background job with a live progress
  page instead of the preview (core/views.py);
- the import button only for users with the import permission.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from dataio.import_confirm import BoundConfirmMixin
from dataio.resources import resource_for
from dataio.services import import_job_start
from dataio.spreadsheets import (
    PortalCSV,
    PortalXLSX,
    inspect_upload,
    kind_from_name,
    kind_of_format,
)


def background_threshold() -> int:
    return settings.FAO_BACKGROUND_IMPORT_ROWS


class PortalImportForm(ImportForm):
    """Runs the pre-parse checks as form validation, so refusals show on the form."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self._formats = formats
        self._resources = resources

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        fmt_index = cleaned.get("format")
        if upload is None or fmt_index in (None, ""):
            return cleaned
        file_format = self._formats[int(fmt_index)]()
        kind = kind_of_format(file_format)
        name = upload.name or ""
        try:
            kind_from_name(name)
        except ValidationError as e:
            self.add_error("import_file", e)
            return cleaned
        if not name.lower().endswith("." + kind):
            self.add_error(
                "import_file",
                ValidationError(
                    gettext("文件“%(name)s”与所选格式 %(kind)s 不符。")
                    % {"name": name, "kind": kind},
                    code="bad_type",
                ),
            )
            return cleaned
        if upload.size is not None and upload.size > settings.FAO_MAX_UPLOAD_BYTES:
            # Refused from the declared size, before the body is read into memory.
            self.add_error(
                "import_file",
                ValidationError(
                    gettext("文件大小超过允许的上限（%(max)s 字节）。")
                    % {"max": settings.FAO_MAX_UPLOAD_BYTES},
                    code="too_large",
                ),
            )
            return cleaned
        resource_index = int(cleaned.get("resource") or 0)
        resource = self._resources[resource_index]()
        data = b"".join(upload.chunks())
        upload.seek(0)
        try:
            upload.fao_info = inspect_upload(data, name, kind=kind, resource=resource)
        except ValidationError as e:
            self.add_error("import_file", e)
        return cleaned


class ImportExportIOMixin(BoundConfirmMixin, ImportExportMixin):
    formats = [PortalXLSX, PortalCSV]
    import_form_class = PortalImportForm
    import_template_name = "dataio/import.html"
    import_error_display = ("message", "row")

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["background_rows"] = background_threshold()
        return context

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def has_import_permission(self, request):
        if not resource_for(self.model).import_allowed:
            return False
        return super().has_import_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        request = kwargs.pop("request", None)
        # Any invalid row rolls the whole file back, on confirm as in the preview.
        kwargs["rollback_on_validation_errors"] = True
        if request is not None:
            kwargs.setdefault("change_reason", self._change_reason(request))
        return kwargs

    def _change_reason(self, request) -> str:
        upload = request.FILES.get("import_file")
        name = upload.name if upload else request.POST.get("original_file_name", "")
        return gettext("后台导入：%(file)s") % {"file": name or "-"}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            form.add_error("import_file", e)
        else:
            form.add_error(
                "import_file",
                gettext("无法读取文件（%(error)s），请确认文件格式与所选格式一致。")
                % {"error": type(e).__name__},
            )

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=getattr(file_format, "native_types", False),
            **kwargs,
        )
        return file_format.export_data(data)

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "import_file" in request.FILES:
            form = self.create_import_form(request)
            if form.is_valid():
                upload = form.cleaned_data["import_file"]
                info = getattr(upload, "fao_info", None)
                if info is not None and info.rows > background_threshold():
                    return self._start_background_import(request, upload, info)
        return super().import_action(request, **kwargs)

    def _start_background_import(self, request, upload, info):
        job = import_job_start(model=self.model, upload=upload, info=info, user=request.user)
        messages.info(
            request,
            gettext("文件共 %(rows)s 行，已转入后台导入，可离开本页稍后回来查看进度。")
            % {"rows": info.rows},
        )
        return redirect("dataio:import_job", pk=job.pk)
