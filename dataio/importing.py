"""Import and export services: the one path every caller goes through.

The admin (small files: preview then confirm; large files: a background job), the
`import_records` command, the background worker and the benchmark all call `run_import`;
the admin and `export_records` both call `export_bytes`. So escaping, history, the
all-or-nothing transaction and the error messages are the same everywhere.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import tablib
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export.results import RowResult

from dataio.resources import (
    REPORT_ERROR_COLUMN,
    REPORT_ROW_COLUMN,
    PortalResource,
    base_errors,
    escape_formula,
    has_resource,
    resource_for,
    row_errors,
    unescape_formula,
)
from dataio.spreadsheets import inspect_upload, read_dataset, write_dataset

__all__ = [
    "ImportOutcome",
    "bulk_resource_class",
    "error_report",
    "export_bytes",
    "inspect_upload",
    "model_from_label",
    "read_dataset",
    "run_import",
    "template_bytes",
]


def model_from_label(label: str):
    """`app_label.Model` → model class, for the models the apps offer for spreadsheets."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise ValidationError(
            gettext("未知的数据类型“%(label)s”，应写作“应用.模型”，例如 trainings.StudySession。")
            % {"label": label},
            code="unknown_model",
        ) from None
    if not has_resource(model):
        raise ValidationError(
            gettext("“%(label)s”不支持表格导入导出。") % {"label": label},
            code="unknown_model",
        )
    return model


@functools.cache
def bulk_resource_class(resource_class: type[PortalResource]) -> type[PortalResource]:
    """The same resource writing in bulk (bulk insert + bulk history), no diff.

    Every row is validated first and all writes happen together at the end (no batch
    size): the write transaction, and on SQLite the database's single write lock, is held
    for the final inserts only, not for the whole file, so the admin stays usable."""
    meta = type("Meta", (), {"use_bulk": True, "skip_diff": True, "batch_size": None})
    return type(f"Bulk{resource_class.__name__}", (resource_class,), {"Meta": meta})


@dataclass
class ImportOutcome:
    total: int = 0
    new: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    row_errors: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + len(self.row_errors)

    def report_lines(self) -> list[str]:
        lines = list(self.errors)
        for number, messages in self.row_errors:
            lines.append(
                gettext("第 %(row)s 行：%(errors)s")
                % {"row": number, "errors": "；".join(messages)}
            )
        return lines


def run_import(
    *,
    model,
    dataset: tablib.Dataset,
    user=None,
    change_reason: str = "",
    file_name: str = "",
    dry_run: bool = False,
    bulk: bool = True,
    progress: Callable[[int, RowResult], None] | None = None,
) -> ImportOutcome:
    """Import `dataset` into `model` in one transaction: every row or none.

    Each written record gets a history row with `user` and `change_reason`.
    """
    resource_class = resource_for(model)
    if bulk:
        resource_class = bulk_resource_class(resource_class)
    resource = resource_class()
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
        change_reason=change_reason,
        file_name=file_name,
        progress=progress,
    )
    outcome = ImportOutcome(
        total=len(dataset),
        new=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
        errors=base_errors(result),
        row_errors=row_errors(result),
    )
    if not outcome.ok:
        outcome.new = outcome.updated = 0
    return outcome


def error_report(dataset: tablib.Dataset, outcome: ImportOutcome, kind: str) -> bytes:
    """The failed rows as uploaded, each with its row number and Chinese messages, in the
    uploaded format. The two extra columns are ignored if the fixed file is imported."""
    report = tablib.Dataset(title=gettext("导入错误"))
    report.headers = [REPORT_ROW_COLUMN, *(dataset.headers or []), REPORT_ERROR_COLUMN]
    width = len(dataset.headers or [])
    if outcome.errors:
        report.append(["", *([None] * width), "；".join(outcome.errors)])
    for number, messages in outcome.row_errors:
        values = list(dataset[number - 1]) if 0 < number <= len(dataset) else [None] * width
        report.append([number, *(_safe_cell(v) for v in values), _safe_cell("；".join(messages))])
    return write_dataset(report, kind)


def _safe_cell(value):
    # Cells come from the user's file: make sure the report cannot run as formulas either.
    if isinstance(value, str):
        return escape_formula(unescape_formula(value))
    return value


def export_dataset(model, queryset=None, *, native: bool) -> tablib.Dataset:
    resource = resource_for(model)()
    dataset = resource.export(queryset, force_native_type=native)
    dataset.title = str(model._meta.verbose_name)[:31]
    return dataset


def export_bytes(model, kind: str, queryset=None) -> bytes:
    return write_dataset(export_dataset(model, queryset, native=kind == "xlsx"), kind)


def template_bytes(model, kind: str) -> bytes:
    """An empty file with the import columns (the ID column first: empty means new); as xlsx
    with a sheet of explanations and an example (dataio/import_templates.py)."""
    if kind == "xlsx":
        from dataio.import_templates import explained_template_bytes

        return explained_template_bytes(model)
    resource = resource_for(model)()
    dataset = tablib.Dataset(title=str(model._meta.verbose_name)[:31])
    # The demo flag is the demo loader's: a template is for real records.
    dataset.headers = [
        f.column_name
        for f in resource.get_import_fields()
        if not f.readonly and f.attribute != "is_demo"
    ]
    return write_dataset(dataset, kind)


def load_upload(data: bytes, name: str, model, *, kind: str | None = None):
    """Checks, then parses: (UploadInfo, Dataset). Raises ValidationError in Chinese."""
    resource = resource_for(model)()
    if not resource.import_allowed:
        raise ValidationError(
            gettext("“%(model)s”不支持导入。") % {"model": model._meta.verbose_name},
            code="import_not_allowed",
        )
    info = inspect_upload(data, name, kind=kind, resource=resource)
    return info, read_dataset(data, info.kind)
