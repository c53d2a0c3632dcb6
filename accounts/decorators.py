"""The one gate of every staff page outside the admin (dashboard, import jobs): signed in,
active staff, the second factor satisfied when the role needs one, and the page's permission.

The admin site applies the same rule (`accounts.admin_site.PortalAdminSite.has_permission`),
so a session that still owes its second factor sees no staff page anywhere (等保2.0
GB/T 22239-2019: identification of every user of an administrative interface).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts import otp


def can_use_staff_pages(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and otp.session_satisfies_otp(user)
    )


def staff_page(
    permission: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous visitors go to the admin login and come back; a signed-in user who is not
    active staff, owes the second factor or lacks `permission` gets 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not can_use_staff_pages(user):
                raise PermissionDenied
            if permission is not None and not user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
