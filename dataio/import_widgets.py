"""Spreadsheet cells the office writes its own way."""

from django.utils.translation import gettext
from import_export import widgets

from core.chinese_numbers import batch_label, parse_batch


class BatchWidget(widgets.Widget):
    """A batch number: read from 19, 第19批 or 第十九批; written as 第十九批."""

    escapes = False

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = parse_batch(value)
        if number is None or number <= 0:
            raise ValueError(
                gettext("“%(value)s”不是有效的批次，请填写如“第十九批”或 19。") % {"value": value}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else batch_label(value)
