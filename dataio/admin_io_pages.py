"""The admin's import and export pages in the office's words.

- the import template for download next to the import button (and on the import page);
- export files named in Chinese with the date (学法活动-2026-11-29.xlsx), sent with an
  RFC 6266 file name so that every browser keeps the Chinese;
- the export page lists the columns by their Chinese names only; the ID (needed to
  re-import changes) and the demo flag are always exported and not offered as choices.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from import_export.forms import SelectableFieldsExportForm

from dataio.importing import template_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALWAYS_EXPORTED = ("id", "is_demo")


class PortalExportForm(SelectableFieldsExportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        # xlsx, the office's format, chosen already (the list starts with it).
        if "format" in self.fields and not self.is_bound:
            self.fields["format"].initial = "0"

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None else field_name

    def _create_boolean_fields(self, resource, index):
        names = super()._create_boolean_fields(resource, index)
        from django import forms

        for name in names:
            field = self.fields[name]
            if any(name.endswith(f"_{always}") for always in ALWAYS_EXPORTED):
                field.widget = forms.HiddenInput()
                field.initial = True
                if getattr(field, "initial_field", False):
                    # The template puts the list's heading on the first visible checkbox.
                    field.initial_field = False
                    for other in names:
                        other_field = self.fields[other]
                        if not isinstance(other_field.widget, forms.HiddenInput) and not any(
                            other.endswith(f"_{a}") for a in ALWAYS_EXPORTED
                        ):
                            other_field.initial_field = True
                            break
        return names


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ImportExportPagesMixin:
    """For ModelAdmins with ImportExportIOMixin."""

    export_form_class = PortalExportForm

    def get_export_filename(self, request, queryset, file_format):
        name = self.model._meta.verbose_name
        return f"{name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format)
        )
        return response

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = gettext("%(model)s-导入模板.xlsx") % {"model": self.model._meta.verbose_name}
        return attachment(template_bytes(self.model, "xlsx"), name, XLSX_TYPE)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_template": True}
        return super().changelist_view(request, extra_context)
