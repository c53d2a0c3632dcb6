"""The admin base of the record-keeping apps: audited (core) and importable/exportable.

import-export swaps the change-list template and keeps the original as its base;
simple-history only adds the object-history templates, so both sets of buttons appear without
a custom template.
"""

from core.admin import AuditedAdmin
from dataio.admin_io import ImportExportIOMixin
from dataio.admin_io_pages import ImportExportPagesMixin


class RecordAdmin(ImportExportPagesMixin, ImportExportIOMixin, AuditedAdmin):
    """Base for the office's records: every change audited, every list imports and exports."""
