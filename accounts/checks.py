"""Deployment checks (`manage.py check`) for the security settings this app relies on."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from accounts.otp import ROLE_KEYWORDS

# 网络安全法 Art. 21: network logs are kept for no less than six months.
MIN_SECURITY_LOG_DAYS = 183
AXES_BACKEND_PREFIX = "axes.backends."


@register()
def security_settings_check(app_configs, **kwargs):
    errors = []
    days = settings.FAO_SECURITY_LOG_DAYS
    if days < MIN_SECURITY_LOG_DAYS:
        errors.append(
            Error(
                f"FAO_SECURITY_LOG_DAYS={days}: security logs must be kept at least "
                f"{MIN_SECURITY_LOG_DAYS} days (six months).",
                id="accounts.E001",
            )
        )
    unknown = set(settings.FAO_REQUIRE_OTP_FOR) - set(ROLE_KEYWORDS)
    if unknown:
        errors.append(
            Error(
                f"FAO_REQUIRE_OTP_FOR names unknown roles: {', '.join(sorted(unknown))}.",
                hint=f"Use any of: {', '.join(ROLE_KEYWORDS)}.",
                id="accounts.E002",
            )
        )
    backends = settings.AUTHENTICATION_BACKENDS
    if not backends or not backends[0].startswith(AXES_BACKEND_PREFIX):
        errors.append(
            Error(
                "django-axes' backend must be the first of AUTHENTICATION_BACKENDS, "
                "or locked-out users could still sign in through a later backend.",
                id="accounts.E003",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs):
    """`check --deploy` fails on the built-in development key (the signing key of sessions,
    password resets and import confirmations must be secret in production)."""
    if settings.SECRET_KEY == settings.FAO_INSECURE_DEV_KEY:
        return [
            Error(
                "SECRET_KEY is the built-in development key.",
                hint="Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE (docs/deploy.md).",
                id="accounts.E010",
            )
        ]
    return []
