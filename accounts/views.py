from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a Chinese page
    in the admin's frame with the waiting time, status 429."""
    from axes.handlers.proxy import AxesProxyHandler

    from accounts.lockout import failure_counts

    cool_off = settings.AXES_COOLOFF_TIME
    pair, _account = failure_counts(
        AxesProxyHandler.get_implementation(), request, credentials or {}
    )
    account_wide = pair < settings.AXES_FAILURE_LIMIT
    context = {
        **admin.site.each_context(request),
        "title": "",
        "account_wide": account_wide,
        "failure_limit": (
            settings.FAO_ACCOUNT_FAILURE_LIMIT if account_wide else settings.AXES_FAILURE_LIMIT
        ),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = TemplateResponse(request, "accounts/lockout.html", context, status=429)
    return response.render()
