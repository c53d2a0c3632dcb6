"""The optional second factor (TOTP, django-otp): who must use it, enrolment, verification.

Every decision about the second factor is made here (one place per app): the admin
site, its login form, the enrolment page and `manage.py enroll_totp` all call these.

A user with a confirmed device always needs a token to sign in. FAO_REQUIRE_OTP_FOR makes the
second factor mandatory for whole roles (admins, reviewers, leadership, data_entry): their
members cannot sign in until an administrator has enrolled a device for them.
"""

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ADMINISTRATOR, DATA_ENTRY, LEADERSHIP, REVIEWER

# The keywords accepted in FAO_REQUIRE_OTP_FOR and the role groups they stand for.
ROLE_KEYWORDS = {
    "admins": ADMINISTRATOR,
    "reviewers": REVIEWER,
    "leadership": LEADERSHIP,
    "data_entry": DATA_ENTRY,
}
DEVICE_NAME = gettext_lazy("手机动态口令")


def required_role_groups() -> set[str]:
    return {ROLE_KEYWORDS[k] for k in settings.FAO_REQUIRE_OTP_FOR if k in ROLE_KEYWORDS}


def confirmed_device(user) -> TOTPDevice | None:
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def role_requires_otp(user) -> bool:
    groups = required_role_groups()
    if not groups or user is None or not user.is_authenticated:
        return False
    if ADMINISTRATOR in groups and user.is_superuser:
        return True
    return user.groups.filter(name__in=groups).exists()


def otp_required(user) -> bool:
    """Whether `user` must present a token: enrolled, or in a role that must use one."""
    return confirmed_device(user) is not None or role_requires_otp(user)


def session_satisfies_otp(user) -> bool:
    """Whether the signed-in `user` (as set up by django-otp's middleware) may use staff pages:
    verified by a token in this session, or not required to present one."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return not otp_required(user)


def verify_login_token(*, user, token: str) -> TOTPDevice | None:
    """The device that accepts `token` for `user`'s sign-in; None if none is needed.

    Raises ValidationError (Chinese message, with a code) when a token is needed and missing,
    wrong, throttled, or when the role needs a device that has not been enrolled yet.
    """
    device = confirmed_device(user)
    if device is None:
        if role_requires_otp(user):
            raise ValidationError(
                _(
                    "您的角色必须使用动态口令登录，但账户尚未绑定动态口令。"
                    "请联系系统管理员绑定（manage.py enroll_totp）。"
                ),
                code="otp_not_enrolled",
            )
        return None
    token = (token or "").strip().replace(" ", "")
    if not token:
        raise ValidationError(_("请输入手机上显示的 6 位动态口令。"), code="otp_required")
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_("动态口令错误次数过多，请稍等片刻再试。"), code="otp_throttled")
    with transaction.atomic():
        verified = device.verify_token(token)
    if not verified:
        raise ValidationError(_("动态口令不正确，请重新输入。"), code="otp_invalid")
    return device


@transaction.atomic
def totp_enrolment_start(*, user) -> TOTPDevice:
    """A new, unconfirmed device for `user`; the old device keeps working until the new one
    is confirmed with a token, so a mis-scanned code never locks anyone out."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=str(DEVICE_NAME), confirmed=False)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm `device` with a token from the phone; it then replaces the user's old devices."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    token = (token or "").strip().replace(" ", "")
    if device.confirmed:
        raise ValidationError(_("该动态口令设备已经绑定。"), code="otp_already_confirmed")
    if not token.isdigit() or not device.verify_token(token):
        raise ValidationError(
            _("动态口令不正确：请确认手机时间准确，并输入当前显示的 6 位数字。"),
            code="otp_invalid",
        )
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def totp_remove(*, user) -> int:
    """Remove all of `user`'s devices (a lost phone); returns how many were removed."""
    count, _detail = TOTPDevice.objects.filter(user=user).delete()
    return count


def provisioning_qr(device: TOTPDevice):
    return segno.make(device.config_url, error="m")


def provisioning_svg(device: TOTPDevice) -> str:
    return provisioning_qr(device).svg_inline(scale=4, border=2, title=str(_("动态口令二维码")))
