from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_tasks import register_awaiting
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


class DisclosureValidityFilter(admin.SimpleListFilter):
    title = _("效力")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return DisclosureItem.Validity.choices

    def queryset(self, request, queryset):
        if self.value() in DisclosureItem.Validity.values:
            return queryset.with_validity(self.value())
        return queryset


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
        "status",
        "validity",
        "view_count",
    ]
    list_display_links = ["index_number", "title"]
    list_filter = ["status", DisclosureValidityFilter, "category", "method", "organization"]
    search_fields = ["title", "index_number", "document_number", "summary"]
    date_hierarchy = "published_on"
    readonly_fields = [
        "index_number",
        "status",
        "published_on",
        "repealed_on",
        "repeal_reason",
        "revised_on",
        "supersedes",
        "superseded_by_link",
        "submitted_by",
        "published_by",
        "view_count",
    ]
    inlines = [DisclosureAttachmentInline]
    change_form_template = "disclosure/admin/disclosureitem_change_form.html"
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
                    ("generated_on", "published_on", "expires_on"),
                    "interpretation",
                    "summary",
                    "view_count",
                ]
            },
        ),
        (_("正文"), {"fields": ["body"]}),
        (
            _("审核与效力"),
            {
                "fields": [
                    "status",
                    ("submitted_by", "published_by"),
                    ("repealed_on", "repeal_reason"),
                    "revised_on",
                    ("supersedes", "superseded_by_link"),
                ]
            },
        ),
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

    @admin.display(description=_("修订版本"))
    def superseded_by_link(self, obj: DisclosureItem) -> str:
        revision = getattr(obj, "superseded_by", None) if obj and obj.pk else None
        return str(revision) if revision else "-"

    # --- a published (or submitted) item is never edited in place -----------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == DisclosureItem.Status.DRAFT
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.status == DisclosureItem.Status.DRAFT
        )

    def save_model(self, request, obj, form, change):
        # New items are drafts; the workflow (disclosure.services) submits and publishes.
        if not change:
            obj.status = DisclosureItem.Status.DRAFT
            obj.index_number = None
            obj.published_on = None
        super().save_model(request, obj, form, change)

    # --- workflow buttons (disclosure.services.TRANSITIONS) -------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="disclosure_disclosureitem_workflow",
            )
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["workflow_actions"] = [
                (action, services.TRANSITIONS[action].label)
                for action in services.disclosure_allowed_actions(item=obj, user=request.user)
            ]
            warnings = services.disclosure_policy_warnings(obj)
            if warnings and obj.status != DisclosureItem.Status.PUBLISHED:
                for warning in warnings:
                    messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request, pk: int, action: str):
        item = self.get_object(request, str(pk))
        if item is None or action not in services.TRANSITIONS:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = request.POST.get("comment", "")
        user = request.user
        target = reverse("admin:disclosure_disclosureitem_change", args=[item.pk])
        try:
            if action == services.SUBMIT:
                warnings = services.disclosure_policy_warnings(item)
                services.disclosure_submit(item=item, user=user, comment=comment)
            elif action == services.RETURN:
                warnings = []
                services.disclosure_return(item=item, user=user, comment=comment)
            elif action == services.PUBLISH:
                warnings = services.disclosure_policy_warnings(item)
                services.disclosure_approve_publish(item=item, user=user, comment=comment)
            elif action == services.REVISE:
                warnings = []
                revision = services.disclosure_start_revision(item=item, user=user)
                target = reverse("admin:disclosure_disclosureitem_change", args=[revision.pk])
            else:
                warnings = []
                services.disclosure_repeal_checked(
                    item=item, user=user, on=timezone.localdate(), reason=comment
                )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or gettext("没有权限执行该操作。"))
            return HttpResponseRedirect(target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(target)
        for warning in warnings:
            messages.warning(request, warning)
        messages.success(
            request, gettext("已%(action)s。") % {"action": services.TRANSITIONS[action].label}
        )
        return HttpResponseRedirect(target)


@register_awaiting
def disclosure_items_awaiting(request) -> list[tuple[str, str, int]]:
    """Disclosure items waiting for this user: to review (审核人), or drafts to submit (录入员)."""
    user, rows = request.user, []
    changelist = reverse("admin:disclosure_disclosureitem_changelist")
    if user.has_perm("disclosure.publish_disclosureitem"):
        submitted = DisclosureItem.objects.filter(status=DisclosureItem.Status.SUBMITTED)
        rows.append(
            (
                gettext("待审核的政务公开信息"),
                changelist + "?status__exact=submitted",
                submitted.exclude(submitted_by=user).count(),
            )
        )
    if user.has_perm("disclosure.submit_disclosureitem"):
        drafts = DisclosureItem.objects.filter(status=DisclosureItem.Status.DRAFT)
        rows.append(
            (
                gettext("待提交的政务公开信息草稿"),
                changelist + "?status__exact=draft",
                drafts.count(),
            )
        )
    return rows


@admin.register(DisclosureAttachment)
class DisclosureAttachmentAdmin(RecordAdmin):
    form = DisclosureAttachmentForm
    list_display = ["title", "item", "sha256"]
    list_select_related = ["item"]
    search_fields = ["title", "item__title", "item__index_number", "sha256"]
    readonly_fields = ["sha256"]
