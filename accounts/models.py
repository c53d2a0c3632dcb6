from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginEvent(models.Model):
    """One sign-in, sign-out or refused sign-in: the security log 等保2.0 asks for.

    An append-only log is its own audit trail, so it carries no HistoricalRecords: nobody may
    change a row (the admin is read-only) and only `prune_login_events` removes rows, once
    they are older than the retention period (FAO_SECURITY_LOG_DAYS, at least 183 days).
    """

    class Outcome(models.TextChoices):
        LOGIN = "login", _("登录成功")
        LOGOUT = "logout", _("退出登录")
        FAILED = "failed", _("登录失败")
        LOCKED = "locked", _("锁定拒绝")
        OTP_FAILED = "otp_failed", _("动态口令错误")
        OTP_MISSING = "otp_missing", _("未绑定动态口令")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    username = models.CharField(
        _("用户名"), max_length=150, blank=True, help_text=_("失败时为登录表单中填写的用户名。")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_events",
        help_text=_("用户名对应的账户；账户删除后仍保留用户名。"),
    )
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("登录日志")
        verbose_name_plural = _("登录日志")
        ordering = ["-at", "-pk"]
        # Nobody adds, changes or deletes rows by hand; administrators may read them.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["username", "-at"], name="loginevent_user_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome__in=["login", "logout", "failed", "locked", "otp_failed", "otp_missing"]
                ),
                name="loginevent_outcome_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_outcome_display()}"


class LoginLockout(AccessAttempt):
    """django-axes' failure counter per account and address, shown to administrators in
    Chinese; deleting a row lifts that lockout."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败计数与锁定")
        verbose_name_plural = _("登录失败计数与锁定")
        default_permissions = ("view", "delete")


class OTPDevice(TOTPDevice):
    """A user's enrolled phone authenticator (django-otp), listed for administrators, who
    delete it when a phone is lost; enrolment itself is `enroll_totp` or the user's own page."""

    class Meta:
        proxy = True
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")
        default_permissions = ("view", "delete")
