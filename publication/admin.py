"""The allow-list is edited here (every change audited); secrecy reviews and accepted findings
are read here and exported for an inspector, never added or edited: review.py records them."""

from django.contrib import admin

from dataio.admin import RecordAdmin
from dataio.admin_io import ImportExportIOMixin
from publication.models import AllowedNumber, FindingAcceptance, SecrecyReview


@admin.register(AllowedNumber)
class AllowedNumberAdmin(RecordAdmin):
    list_display = ["label", "value", "active"]
    list_display_links = ["label", "value"]
    list_filter = ["active"]
    search_fields = ["label", "value"]
    fields = ["value", "label", "active"]

    def has_import_permission(self, request) -> bool:
        # A short list entered by hand: each entry goes through save(), which keeps the
        # comparable form that the uniqueness rule relies on.
        return False


class ReadOnlyRecordAdmin(ImportExportIOMixin, admin.ModelAdmin):
    """Written once by the services; read-only for everyone, exported (xlsx, csv) for an
    inspector."""

    def has_import_permission(self, request) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecrecyReview)
class SecrecyReviewAdmin(ReadOnlyRecordAdmin):
    list_display = ["reviewed_at", "content_type", "object_id", "version", "reviewer", "statement"]
    list_filter = ["content_type"]
    list_select_related = ["content_type", "reviewer"]
    search_fields = ["object_id", "version", "reviewer__username"]
    date_hierarchy = "reviewed_at"
    fields = [
        "content_type",
        "object_id",
        "version",
        "statement",
        "reviewer",
        "reviewed_at",
        "findings",
        "acceptances",
        "note",
    ]


@admin.register(FindingAcceptance)
class FindingAcceptanceAdmin(ReadOnlyRecordAdmin):
    list_display = ["accepted_at", "kind", "masked", "location", "source", "accepted_by"]
    list_filter = ["kind", "content_type"]
    list_select_related = ["accepted_by"]
    search_fields = ["masked", "reason", "source"]
    date_hierarchy = "accepted_at"
    fields = [
        "content_type",
        "object_id",
        "kind",
        "masked",
        "location",
        "source",
        "reason",
        "accepted_by",
        "accepted_at",
    ]
