from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts import otp
from accounts.audit import record_login_event
from accounts.models import LoginEvent

TOKEN_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "pattern": "[0-9 ]*",
    "maxlength": "8",
}


class PortalAdminLoginForm(AdminAuthenticationForm):
    """The admin sign-in: password first (django-axes counts failures there), then the
    dynamic token for users who have enrolled one or whose role must use one."""

    otp_token = forms.CharField(
        label=_("动态口令"),
        required=False,
        max_length=8,
        help_text=_("已绑定动态口令的账户必填：手机验证器上显示的 6 位数字。"),
        widget=forms.TextInput(attrs=TOKEN_WIDGET_ATTRS),
        error_messages={"max_length": _("动态口令为 6 位数字。")},
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Django only sets the input's maxlength; without this check an overlong name reaches
        # authentication and the lockout table (255 characters), which PostgreSQL refuses.
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, _("用户名不能超过 %(limit_value)d 个字符。"))
        )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None:  # a field was invalid, so no password was checked
            return cleaned_data
        try:
            device = otp.verify_login_token(user=user, token=cleaned_data.get("otp_token", ""))
        except ValidationError as exc:
            outcome = (
                LoginEvent.Outcome.OTP_MISSING
                if exc.code == "otp_not_enrolled"
                else LoginEvent.Outcome.OTP_FAILED
            )
            record_login_event(outcome=outcome, request=self.request, user=user)
            raise
        # django-otp stores the verifying device in the session when login() runs.
        user.otp_device = device
        return cleaned_data


class TOTPConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        help_text=_("用手机验证器扫描二维码后，输入其显示的 6 位数字以完成绑定。"),
        widget=forms.TextInput(attrs=TOKEN_WIDGET_ATTRS),
        error_messages={
            "required": _("请输入手机上显示的 6 位动态口令。"),
            "max_length": _("动态口令为 6 位数字。"),
        },
    )
