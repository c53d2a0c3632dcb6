from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedInline
from dataio.admin import RecordAdmin
from disclosure import services
from disclosure.admin_forms import DisclosureAttachmentForm, DisclosureItemForm, IndexCounterForm
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter
from publication.admin_review import SecrecyReviewAdminMixin


@admin.register(IndexCounter)
class IndexCounterAdmin(RecordAdmin):
    form = IndexCounterForm
    list_display = ["organization", "year", "last_serial"]
    list_filter = ["year"]
    list_select_related = ["organization"]


class DisclosureAttachmentInline(AuditedInline):
    model = DisclosureAttachment
    form = DisclosureAttachmentForm
    extra = 1
    show_change_link = False
    fields = ["title", "file", "sha256"]
    readonly_fields = ["sha256"]


class DisclosureStateFilter(admin.SimpleListFilter):
    title = _("公开状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("published", _("已公开（有效）")),
            ("unpublished", _("未公开")),
            ("repealed", _("已废止")),
        ]

    def queryset(self, request, queryset):
        conditions = {
            "published": Q(published_on__isnull=False, repealed_on__isnull=True),
            "unpublished": Q(published_on__isnull=True),
            "repealed": Q(repealed_on__isnull=False),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(DisclosureItem)
class DisclosureItemAdmin(SecrecyReviewAdminMixin, RecordAdmin):
    form = DisclosureItemForm
    list_display = [
        "index_number",
        "title",
        "category",
        "method",
        "publisher",
        "generated_on",
        "published_on",
        "validity",
        "view_count",
    ]
    list_display_links = ["index_number", "title"]
    list_filter = [DisclosureStateFilter, "category", "method", "organization"]
    search_fields = ["title", "index_number", "document_number", "summary"]
    date_hierarchy = "published_on"
    readonly_fields = ["view_count"]
    inlines = [DisclosureAttachmentInline]
    fieldsets = [
        (
            _("页面信息"),
            {
                "fields": [
                    "organization",
                    "title",
                    "index_number",
                    ("category", "method"),
                    "document_number",
                    "publisher",
                    ("generated_on", "published_on", "repealed_on"),
                    "summary",
                    "view_count",
                ]
            },
        ),
        (_("正文"), {"fields": ["body"]}),
    ]

    @admin.display(description=_("废止日期"), ordering="repealed_on")
    def validity(self, obj: DisclosureItem) -> str:
        return obj.validity_display

    # The secrecy review page (《政府信息公开条例》第十七条); the gate itself is
    # services.disclosure_item_require_publishable.
    def secrecy_review_version(self, obj) -> str:
        return services.disclosure_item_version(obj)

    def secrecy_review_findings(self, obj):
        return services.disclosure_item_findings(obj)

    def secrecy_review_record(self, obj, *, user, acceptances, note):
        return services.disclosure_item_record_secrecy_review(
            item=obj, user=user, acceptances=acceptances, note=note
        )


@admin.register(DisclosureAttachment)
class DisclosureAttachmentAdmin(RecordAdmin):
    form = DisclosureAttachmentForm
    list_display = ["title", "item", "sha256"]
    list_select_related = ["item"]
    search_fields = ["title", "item__title", "item__index_number", "sha256"]
    readonly_fields = ["sha256"]
