"""Import templates that explain themselves (xlsx).

- sheet 1, the one imported: the column names; required ones in red with a note; text
  columns formatted as text, so that Excel keeps codes such as proposal 编号 "0117" with
  their leading zero instead of turning them into the number 117;
- sheet "填写说明": per column whether it is required, its format and the values allowed;
- sheet "示例": the same columns with one filled-in row (an existing record when there is
  one), to copy from.

Only the first sheet is read on import, so the explanations never become data.
"""

import io

from django.utils.translation import gettext

from dataio.import_widgets import BatchWidget
from dataio.resources import (
    BoolWidget,
    ChoiceWidget,
    DateTimeWidget,
    DateWidget,
    DecimalWidget,
    IntWidget,
    RelatedManyWidget,
    RelatedWidget,
    TextWidget,
    object_label,
    resource_for,
)
from dataio.spreadsheets import xlsx_encode_text

ALLOWED_VALUES_SHOWN = 30


def _related_labels(model, limit: int = ALLOWED_VALUES_SHOWN) -> list[str]:
    return [object_label(obj) for obj in model._default_manager.all()[:limit]]


def describe(field) -> tuple[str, str]:
    """(format, allowed values) of one column, in words."""
    widget = field.widget
    if isinstance(widget, BatchWidget):
        return gettext("批次，写作“第十九批”或 19"), ""
    if isinstance(widget, ChoiceWidget):
        labels = "、".join(str(label) for _value, label in widget.choices)
        return gettext("从右列中选一项（填文字）"), labels
    if isinstance(widget, BoolWidget):
        return gettext("是 或 否"), gettext("是、否")
    if isinstance(widget, DateTimeWidget):
        return gettext("日期时间，格式 YYYY-MM-DD HH:MM，如 2022-03-21 09:30"), ""
    if isinstance(widget, DateWidget):
        return gettext("日期，格式 YYYY-MM-DD，如 2022-03-21"), ""
    if isinstance(widget, DecimalWidget):
        return gettext("数字，可带小数"), ""
    if isinstance(widget, IntWidget):
        return gettext("整数"), ""
    if isinstance(widget, RelatedManyWidget):
        name = widget.model._meta.verbose_name
        return (
            gettext("已录入的%(model)s名称，多个用顿号“、”分隔") % {"model": name},
            "、".join(_related_labels(widget.model)),
        )
    if isinstance(widget, RelatedWidget):
        name = widget.model._meta.verbose_name
        return (
            gettext("已录入的%(model)s名称") % {"model": name},
            "、".join(_related_labels(widget.model)),
        )
    django_field = _model_field(field)
    if django_field is not None and (getattr(django_field, "max_length", None) or 999) <= 30:
        return gettext("文字，按原样保存（编号的前导零保留，如 0117）"), ""
    return gettext("文字"), ""


def _model_field(field):
    model = getattr(field, "_fao_model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(field.attribute)
    except Exception:  # noqa: BLE001 - a declared column that is not a model field
        return None


def _placeholder(field) -> str:
    widget = field.widget
    if isinstance(widget, BatchWidget):
        return "第十九批"
    if isinstance(widget, ChoiceWidget):
        return str(widget.choices[0][1]) if widget.choices else ""
    if isinstance(widget, BoolWidget):
        return gettext("否")
    if isinstance(widget, DateTimeWidget):
        return "2022-03-21 09:30"
    if isinstance(widget, DateWidget):
        return "2022-03-21"
    if isinstance(widget, IntWidget | DecimalWidget):
        return "1"
    if isinstance(widget, RelatedWidget):
        labels = _related_labels(widget.model, 1)
        return labels[0] if labels else ""
    return gettext("（%(column)s）") % {"column": field.column_name}


def _example_row(resource, fields) -> list[str]:
    model = resource._meta.model
    obj = model._default_manager.order_by("pk").first()
    row = []
    for field in fields:
        if field.attribute == "id":  # an example is a new record: its ID stays empty
            row.append("")
            continue
        value = field.export(obj) if obj is not None else None
        row.append(_placeholder(field) if value in (None, "") else value)
    return row


def explained_template_bytes(model) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    resource = resource_for(model)()
    # The demo flag is set by the demo loader only; a new record is never demo data.
    fields = [
        f for f in resource.get_import_fields() if not f.readonly and f.attribute != "is_demo"
    ]
    for field in fields:
        field._fao_model = model
    required = set(resource.required_columns())
    title = str(model._meta.verbose_name)[:31]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    bold, red = Font(bold=True), Font(bold=True, color="C00000")
    for index, field in enumerate(fields, 1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=xlsx_encode_text(str(field.column_name)))
        cell.font = red if field.column_name in required else bold
        if field.column_name in required:
            cell.comment = Comment(gettext("必填"), gettext("导入模板"))
        width = min(max(len(str(field.column_name)) * 2 + 2, 12), 40)
        sheet.column_dimensions[letter].width = width
        if isinstance(field.widget, TextWidget) and not isinstance(field.widget, BatchWidget):
            # Text cells: Excel keeps what is typed (0117 stays 0117).
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    guide = book.create_sheet(gettext("填写说明"))
    guide.append(
        [
            gettext("列名"),
            gettext("是否必填"),
            gettext("格式"),
            gettext("可填的值"),
        ]
    )
    for cell in guide[1]:
        cell.font = bold
    for field in fields:
        fmt, allowed = describe(field)
        if field.attribute == "id":
            fmt = gettext("留空表示新增；填写导出文件中的 ID 表示修改该条记录")
        guide.append(
            [
                str(field.column_name),
                gettext("必填") if field.column_name in required else gettext("选填"),
                fmt,
                allowed,
            ]
        )
    guide.append([])
    guide.append(
        [
            gettext("说明"),
            gettext("只导入第一个工作表；红色列名为必填列。任何一行出错，整个文件都不会导入。"),
        ]
    )
    for letter, width in zip("ABCD", (22, 10, 48, 60), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    example = book.create_sheet(gettext("示例"))
    example.append([str(f.column_name) for f in fields])
    for cell in example[1]:
        cell.font = bold
    example.append([xlsx_encode_text(str(v)) for v in _example_row(resource, fields)])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
