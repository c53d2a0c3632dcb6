"""Base classes shared by every ModelAdmin of the portal.

`AuditedAdmin` is django-simple-history's admin (a "历史" page listing each change and the
user who made it) with the portal's list defaults. Spreadsheet import and export are added on
top of it by `dataio.admin.RecordAdmin`, the base the record-keeping apps use.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models
from django.db.models import Count, Max, Min, QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_history import DemoFlagHiddenMixin, ReadableHistoryMixin
from core.history_admin import ReadOnlyHistoryAdmin


class AuditedAdmin(ReadableHistoryMixin, DemoFlagHiddenMixin, ReadOnlyHistoryAdmin):
    """Base for every ModelAdmin: every change audited, history readable in Chinese and
    never an editing path.

    History rows written through the admin carry the acting user: `save_model` sets it on
    the object (SimpleHistoryAdmin) and HistoryRequestMiddleware supplies it for inline rows
    and many-to-many changes, which are saved outside `save_model`.
    """

    # The extra unfiltered COUNT(*) only feeds "(共 N 条)" next to a filtered total; without
    # it the change list costs the same whatever the table size.
    show_full_result_count = False
    list_per_page = 100
    history_list_per_page = 50
    # Django 6 makes https the default scheme of URL fields; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def action_checkbox(self, obj) -> str:
        # Django renders a widget template for each row's checkbox, the largest per-row cost
        # of a change list; the same markup built directly costs a fraction of it.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


class AuditedInline(admin.TabularInline):
    """Inline rows are history-tracked models too; they are saved by the formset, so their
    history user comes from HistoryRequestMiddleware."""

    extra = 0
    show_change_link = True


def with_counts(queryset: QuerySet, **relations: str) -> QuerySet:
    """Annotate `name=Count(relation, distinct=True)` for list columns, in one query.

    For small tables only: a GROUP BY over the whole table. Large tables prefetch instead.
    """
    return queryset.annotate(
        **{name: Count(relation, distinct=True) for name, relation in relations.items()}
    )


def year_filter(field_name: str) -> type[admin.SimpleListFilter]:
    """A "年度" filter on a date field, with the same parameter as a date hierarchy
    (`<field>__year`), for large tables: the years offered run from the earliest to the
    latest date (two index look-ups), where a date hierarchy lists the distinct years with
    a scan of the whole table."""

    class YearFilter(admin.SimpleListFilter):
        title = _("年度")
        parameter_name = f"{field_name}__year"

        def lookups(self, request, model_admin):
            bounds = model_admin.get_queryset(request).aggregate(
                first=Min(field_name), last=Max(field_name)
            )
            if bounds["first"] is None:
                return []
            years = range(bounds["last"].year, bounds["first"].year - 1, -1)
            return [(str(year), str(year)) for year in years]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{self.parameter_name: self.value()})
            return queryset

    return YearFilter


def month_filter(field_name: str) -> type[admin.SimpleListFilter]:
    """A "月份" filter (`<field>__month`, 1–12), to combine with `year_filter`."""

    class MonthFilter(admin.SimpleListFilter):
        title = _("月份")
        parameter_name = f"{field_name}__month"

        def lookups(self, request, model_admin):
            return [(str(month), _("%(month)s 月") % {"month": month}) for month in range(1, 13)]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{self.parameter_name: self.value()})
            return queryset

    return MonthFilter
