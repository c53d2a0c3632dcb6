"""Import/export admin mixin (stub; extended by the import/export work)."""

from import_export.admin import ImportExportMixin

from core.resources import resource_for


class ImportExportIOMixin(ImportExportMixin):
    def get_resource_classes(self, request):
        return [resource_for(self.model)]
