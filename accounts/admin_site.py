"""The portal's admin site: Django's, plus the second factor and a self-service enrolment page.

It is the default admin site (accounts.apps.PortalAdminConfig), so every app registers its
models on `admin.site` as usual.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from accounts.admin_tasks import TaskGroupedSiteMixin
from accounts.decorators import can_use_staff_pages
from accounts.forms import PortalAdminLoginForm, TOTPConfirmForm

PENDING_DEVICE_SESSION_KEY = "accounts_totp_pending"


class PortalAdminSite(TaskGroupedSiteMixin, admin.AdminSite):
    login_form = PortalAdminLoginForm
    login_template = "accounts/admin_login.html"

    def has_permission(self, request):
        # A session opened before a device was enrolled, or before FAO_REQUIRE_OTP_FOR was
        # switched on, does not satisfy the second factor: such users sign in again.
        return can_use_staff_pages(request.user)

    def get_urls(self):
        return [
            path("security/totp/", self.admin_view(self.totp_view), name="accounts_totp"),
            *super().get_urls(),
        ]

    def _pending_device(self, request) -> TOTPDevice | None:
        pk = request.session.get(PENDING_DEVICE_SESSION_KEY)
        if not isinstance(pk, int):
            return None
        return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()

    def totp_view(self, request):
        """Any staff member binds (or replaces) their own phone authenticator here."""
        user = request.user
        form = TOTPConfirmForm()
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "start":
                device = otp.totp_enrolment_start(user=user)
                request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
                return redirect("admin:accounts_totp")
            if action == "remove":
                if otp.role_requires_otp(user):
                    messages.error(request, _("您的角色必须使用动态口令，不能解除绑定。"))
                else:
                    otp.totp_remove(user=user)
                    request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
                    messages.success(request, _("已解除动态口令绑定，今后仅凭密码登录。"))
                return redirect("admin:accounts_totp")
            if action == "confirm":
                form = TOTPConfirmForm(request.POST)
                device = self._pending_device(request)
                if device is None:
                    form.add_error(None, _("绑定已过期，请重新开始。"))
                elif form.is_valid():
                    try:
                        device = otp.totp_enrolment_confirm(
                            device=device, token=form.cleaned_data["token"]
                        )
                    except ValidationError as exc:
                        form.add_error("token", exc)
                    else:
                        request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
                        otp_login(request, device)
                        messages.success(request, _("动态口令已绑定，今后登录需输入动态口令。"))
                        return redirect("admin:index")
        pending = self._pending_device(request)
        context = {
            **self.each_context(request),
            "title": _("动态口令（双因素认证）"),
            "enrolled": otp.confirmed_device(user) is not None,
            "required": otp.role_requires_otp(user),
            "pending": pending,
            "qr_svg": otp.provisioning_svg(pending) if pending else "",
            "form": form,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "accounts/totp.html", context, status=status)
