"""The security log: who signed in, out or was refused, from where, and when.

Django's authentication signals and django-axes' lockout signal are the only places these
events are known, so the receivers below only *record* them (logging, not business logic).
"""

from django.contrib.auth import get_user_model

from accounts.models import LoginEvent
from core.http import client_ip

USER_AGENT_MAX = LoginEvent._meta.get_field("user_agent").max_length
USERNAME_MAX = LoginEvent._meta.get_field("username").max_length


def _clean(value, limit: int) -> str:
    # NUL cannot be stored in PostgreSQL text; a hostile form value must not break the log.
    return str(value or "").replace("\x00", "")[:limit]


def record_login_event(*, outcome: str, request=None, username: str = "", user=None) -> LoginEvent:
    if user is not None and not username:
        username = user.get_username()
    if user is None and username:
        user = get_user_model().objects.filter(username=_clean(username, USERNAME_MAX)).first()
    meta = request.META if request is not None else {}
    return LoginEvent.objects.create(
        outcome=outcome,
        username=_clean(username, USERNAME_MAX),
        user=user,
        address=client_ip(request) or "",
        user_agent=_clean(meta.get("HTTP_USER_AGENT", ""), USER_AGENT_MAX),
    )


def on_logged_in(sender, request, user, **kwargs):
    record_login_event(outcome=LoginEvent.Outcome.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_login_event(outcome=LoginEvent.Outcome.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    record_login_event(outcome=LoginEvent.Outcome.FAILED, request=request, username=username)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    record_login_event(outcome=LoginEvent.Outcome.LOCKED, request=request, username=username)


def connect_receivers() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.audit.locked_out")
