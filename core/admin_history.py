"""History pages in the office's language: what changed, in the words of the form.

django-simple-history shows raw stored values ("draft → submitted", "None → 2026-11-29",
"Deleted 用户 (pk=None)", UTC timestamps). `ReadableHistoryMixin` has each change shown
with the field's Chinese label, choice labels, related objects by name, dates and times in
local time (YYYY-MM-DD HH:MM) and "—" for an empty value; the templates under
templates/simple_history/ lay the page out in Chinese with one title.

`DemoFlagHiddenMixin` keeps the demo flag out of every form: the demo loader sets it and
change lists filter on it, but nobody types it.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

EMPTY = "—"
DEMO_FLAG = "is_demo"


def local_datetime(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def readable_value(field, value) -> str:
    """One stored value as a person reads it on the form."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return EMPTY
        return gettext("已删除的%(model)s（编号 %(pk)s）") % {
            "model": value.model._meta.verbose_name,
            "pk": value.pk,
        }
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return "、".join(readable_value(None, item) for item in value) or EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, models.fields.files.FieldFile):
        return value.name.rsplit("/", 1)[-1] if value.name else EMPTY
    return str(value)


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField) and isinstance(value, list):
            name = get_m2m_reverse_field_name(field)
            value = [row[name] for row in value]
            return readable_value(None, value)
        return readable_value(field, value)

    def stringify_delta_change_values(self, change, old, new):
        # Long texts are shortened around the difference, as upstream does.
        old_short, new_short = self.get_obj_diff_display().common_shorten_repr(old, new)
        return conditional_escape(old_short), conditional_escape(new_short)


class ReadableHistoryMixin:
    """For SimpleHistoryAdmin subclasses: readable changes and one Chinese page title."""

    object_history_template = "simple_history/object_history.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return gettext("修改历史：%(object)s") % {"object": obj}


class DemoFlagHiddenMixin:
    """For ModelAdmins: no demo checkbox on forms (fieldsets or plain field lists)."""

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if DEMO_FLAG in {f.name for f in self.model._meta.get_fields()}:
            exclude.append(DEMO_FLAG)
        return exclude

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", ()) if f != DEMO_FLAG]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets
