"""Who may see the dashboard and which "awaiting your action" items each user gets.

Every permission decision of the dashboard app is made here. Roles are groups holding
permissions (accounts.roles); `dashboard.view_dashboard` opens the page, through the one
staff-page gate of `accounts.decorators`.
"""

from accounts.decorators import can_use_staff_pages, staff_page
from lawbuilding.services import TRANSITIONS, Action
from supervision import moderation

VIEW_DASHBOARD = "dashboard.view_dashboard"
HANDLE_PROPOSALS = "supervision.change_proposal"


def can_view_dashboard(user) -> bool:
    return can_use_staff_pages(user) and user.has_perm(VIEW_DASHBOARD)


def can_review_reports(user) -> bool:
    # The report workflow (lawbuilding.services) names the permission its approval needs.
    return user.is_active and user.has_perm(TRANSITIONS[Action.APPROVE].permission)


def can_moderate_comments(user) -> bool:
    # The moderation service owns that rule; the dashboard only asks it.
    return moderation.can_moderate(user)


def can_handle_proposals(user) -> bool:
    return user.is_active and user.has_perm(HANDLE_PROPOSALS)


dashboard_required = staff_page(VIEW_DASHBOARD)
