from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from core.admin_history import ReadableHistoryMixin
from core.history_admin import ReadOnlyHistoryAdmin
from sitesettings.models import SiteSettings, forget_settings


@admin.register(SiteSettings)
class SiteSettingsAdmin(ReadableHistoryMixin, ReadOnlyHistoryAdmin):
    """A single row: the list opens it directly; no second row, no deletion."""

    fields = [
        "site_code",
        "icp_number",
        "police_number",
        "contact_phone",
        "contact_email",
        "contact_address",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        existing = SiteSettings.objects.order_by("pk").first()
        if existing is not None:
            return redirect(reverse("admin:sitesettings_sitesettings_change", args=[existing.pk]))
        if self.has_add_permission(request):
            return redirect(reverse("admin:sitesettings_sitesettings_add"))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_settings()
