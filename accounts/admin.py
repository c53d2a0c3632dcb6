"""Administrators read the security log, see lockouts (and lift them) and remove lost
authenticators here; nothing in these pages adds or changes a row."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, LoginLockout, OTPDevice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "outcome", "address", "user_agent"]
    list_filter = ["outcome", "at"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"
    fields = ["at", "username", "user", "outcome", "address", "user_agent"]
    list_select_related = ["user"]

    def has_delete_permission(self, request, obj=None):
        # Only `manage.py prune_login_events` removes rows, after the retention period.
        return False


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyAdmin):
    list_display = ["last_failure", "account", "address", "failures", "locked"]
    search_fields = ["username", "ip_address"]
    fields = readonly_fields = ["account", "address", "browser", "failures", "last_failure"]
    ordering = ["-attempt_time"]

    @admin.display(description=_("用户名"), ordering="username")
    def account(self, obj: LoginLockout) -> str:
        return obj.username or ""

    @admin.display(description=_("来源地址"), ordering="ip_address")
    def address(self, obj: LoginLockout) -> str:
        return obj.ip_address or ""

    @admin.display(description=_("浏览器标识"))
    def browser(self, obj: LoginLockout) -> str:
        return obj.user_agent

    @admin.display(description=_("连续失败次数"), ordering="failures_since_start")
    def failures(self, obj: LoginLockout) -> int:
        return obj.failures_since_start

    @admin.display(description=_("最近一次失败"), ordering="attempt_time")
    def last_failure(self, obj: LoginLockout):
        return obj.attempt_time

    @admin.display(description=_("已锁定"), boolean=True)
    def locked(self, obj: LoginLockout) -> bool:
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT


@admin.register(OTPDevice)
class OTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ["account", "is_confirmed", "enrolled_at", "last_used"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    # The secret key is never shown after enrolment.
    fields = readonly_fields = ["account", "is_confirmed", "enrolled_at", "last_used"]

    @admin.display(description=_("账户"), ordering="user__username")
    def account(self, obj: OTPDevice) -> str:
        return obj.user.get_username()

    @admin.display(description=_("已确认"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj: OTPDevice) -> bool:
        return obj.confirmed

    @admin.display(description=_("绑定时间"), ordering="created_at")
    def enrolled_at(self, obj: OTPDevice):
        return obj.created_at

    @admin.display(description=_("最近使用"), ordering="last_used_at")
    def last_used(self, obj: OTPDevice):
        return obj.last_used_at


# django-otp registers its own device admin, which would show secret keys; the proxy above
# replaces it.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
