from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.admin import month_filter, with_counts, year_filter
from dataio.admin import RecordAdmin
from trainings.models import Law, StudySession


@admin.register(Law)
class LawAdmin(RecordAdmin):
    list_display = ["title", "short_title", "kind", "issuer", "session_count"]
    list_filter = ["kind"]
    search_fields = ["title", "short_title", "issuer"]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), session_count="study_sessions")

    @admin.display(description=_("学习次数"), ordering="session_count")
    def session_count(self, obj: Law) -> int:
        return obj.session_count


@admin.register(StudySession)
class StudySessionAdmin(RecordAdmin):
    """The largest list of the portal; its cost must not grow with the table
    (bench/bench_changelist.py): no per-row queries, no whole-table GROUP BY, no filter
    that scans distinct values of a column. Hence year and month filters instead of a date
    hierarchy, whose list of years is a DISTINCT over every row."""

    # Each column and link costs time on every row; the demo flag is a filter only.
    list_display = ["day", "title", "kind", "studied", "speaker_name", "participants", "mode"]
    list_display_links = ["title"]
    # 50 a page: readable on a laptop screen, and the benchmark's 50-row table then fills the
    # same one page as the 5,000-row table, so the ratio measures only the table's size.
    list_per_page = 50
    # The dashboard links here as ?kind__exact=…&date__year=…(&date__month=…).
    list_filter = [year_filter("date"), month_filter("date"), "kind", "mode", "is_demo"]
    search_fields = ["title", "speaker_name", "speaker_org", "organiser", "partners", "summary"]
    autocomplete_fields = ["laws"]
    fieldsets = [
        (None, {"fields": ["date", "title", "kind", "mode", "location", "laws", "summary"]}),
        (_("主讲人"), {"fields": ["speaker_name", "speaker_post", "speaker_org"]}),
        (_("组织与参加"), {"fields": ["organiser", "partners", "audience", "participants"]}),
        (_("其他"), {"fields": ["attachment", "is_demo"]}),
    ]

    def get_queryset(self, request):
        # One extra query for the laws of the displayed page, whatever the row count; a plain
        # list attribute spares building a related manager per row.
        laws = Prefetch("laws", queryset=Law.objects.order_by("title"), to_attr="laws_studied")
        return super().get_queryset(request).prefetch_related(laws)

    @admin.display(description=_("日期"), ordering="date")
    def day(self, obj: StudySession) -> str:
        # YYYY-MM-DD in every language (the house format) without a localisation pass per row.
        return obj.date.isoformat()

    @admin.display(description=_("学习内容"))
    def studied(self, obj: StudySession) -> str:
        return "".join(str(law) for law in obj.laws_studied)
