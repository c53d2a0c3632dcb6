"""The calendar for administrators: one page per year, its days inline. Saving recomputes
the deadlines that depend on it (workdays.services.calendar_changed)."""

from django.contrib import admin, messages
from django.utils.translation import gettext

from core.admin import AuditedInline
from dataio.admin import RecordAdmin
from workdays.models import CalendarYear, SpecialDay
from workdays.services import calendar_changed


class SpecialDayInline(AuditedInline):
    model = SpecialDay
    fields = ("date", "kind", "name")
    show_change_link = False


@admin.register(CalendarYear)
class CalendarYearAdmin(RecordAdmin):
    list_display = ("year", "source", "announcement", "holiday_count", "workday_count")
    inlines = [SpecialDayInline]
    search_fields = ("year", "announcement")
    # A revert saves the year alone, without the days checked with it.
    allow_revert = False

    @admin.display(description=gettext("工作日放假天数"))
    def holiday_count(self, obj) -> int:
        return obj.days.filter(kind=SpecialDay.Kind.HOLIDAY).count()

    @admin.display(description=gettext("调休上班天数"))
    def workday_count(self, obj) -> int:
        return obj.days.filter(kind=SpecialDay.Kind.WORKDAY).count()

    def has_import_permission(self, request):
        # A year imported without its days would count as known with no holidays.
        return False

    def save_model(self, request, obj, form, change):
        self._years_before = {form.initial.get("year")} if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        years = {form.instance.year, *getattr(self, "_years_before", set())} - {None}
        calendar_changed(years=years, user=request.user)
        self.message_user(
            request,
            gettext("工作日历已更新，办理中的依申请公开期限已按新日历重新计算。"),
            messages.INFO,
        )
        if not form.instance.days.filter(kind=SpecialDay.Kind.HOLIDAY).exists():
            self.message_user(
                request,
                gettext(
                    "%(year)s 年尚未录入任何节假日：期限将按周一至周五计算，请按国务院通知补录。"
                )
                % {"year": form.instance.year},
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        year = obj.year
        super().delete_model(request, obj)
        calendar_changed(years=[year], user=request.user)
