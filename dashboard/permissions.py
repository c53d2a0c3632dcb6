"""Who may see the dashboard and which "awaiting your action" items each user gets.

Every permission decision of the dashboard app is made here (STYLE.md: one place per app).
Roles are groups holding permissions (issue 7): leadership (领导), data-entry staff (录入员)
and administrators hold `dashboard.view_dashboard`; superusers hold every permission.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts import otp
from lawbuilding.services import TRANSITIONS, Action
from supervision import moderation

VIEW_DASHBOARD = "dashboard.view_dashboard"
HANDLE_PROPOSALS = "supervision.change_proposal"


def can_view_dashboard(user) -> bool:
    # A staff session that still owes its second factor sees no staff page (issue 7).
    return user.is_active and user.has_perm(VIEW_DASHBOARD) and otp.session_satisfies_otp(user)


def can_review_reports(user) -> bool:
    # The report workflow (lawbuilding.services) names the permission its approval needs.
    return user.is_active and user.has_perm(TRANSITIONS[Action.APPROVE].permission)


def can_moderate_comments(user) -> bool:
    # The moderation service owns that rule; the dashboard only asks it.
    return moderation.can_moderate(user)


def can_handle_proposals(user) -> bool:
    return user.is_active and user.has_perm(HANDLE_PROPOSALS)


def dashboard_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the admin login and come back; others need the permission."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
