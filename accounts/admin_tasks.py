"""The admin organised by the office's tasks rather than by Django app.

The index and the navigation sidebar list the models in task groups (年度报告, 学法, 建议提案 …),
each ordered by how often the office uses it, after a "待办" group holding what waits for the
signed-in user (reports to review, comments to moderate, drafts to finish). After signing in,
each role lands where its work is: leadership on the dashboard, reviewers on what awaits
review.

A model not named below still appears, in a trailing "其他" group, so that nothing registered
in the admin disappears from the index.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import roles

# (group title, model labels in order of use). The report and its sources come first: the
# annual report is what the office's year of record-keeping is for.
TASK_GROUPS = (
    (
        _("年度报告"),
        (
            "lawbuilding.annualreport",
            "lawbuilding.workrecord",
            "lawbuilding.workquantity",
            "lawbuilding.workplan",
            "lawbuilding.plantask",
            "lawbuilding.plansection",
            "lawbuilding.institutionaldocument",
            "lawbuilding.leadinggroup",
            "lawbuilding.leadinggroupmember",
            "lawbuilding.legaladviserengagement",
            "lawbuilding.legalservice",
            "lawbuilding.reportsection",
            "lawbuilding.reportevent",
            "lawbuilding.reportthemedefault",
        ),
    ),
    (_("学法"), ("trainings.studysession", "trainings.law")),
    # Integrity supervisors, like proposals, are the public's supervision of the office.
    (_("建议提案"), ("supervision.proposal", "supervision.integritysupervisor")),
    (
        _("荣誉市民公示"),
        (
            "supervision.honorarycitizennotice",
            "supervision.nominee",
            "supervision.noticecomment",
        ),
    ),
    (
        _("因公出国(境)"),
        (
            "supervision.delegation",
            "supervision.delegationmember",
            "supervision.delegationstop",
            "supervision.country",
            "supervision.delegationlimits",
        ),
    ),
    (
        _("政务公开"),
        (
            "disclosure.disclosureitem",
            "disclosure.disclosureattachment",
            "applications.disclosureworkreport",
            "applications.disclosureworkreportevent",
            "disclosure.indexcounter",
            "publication.secrecyreview",
            "publication.findingacceptance",
            "publication.allowednumber",
        ),
    ),
    (_("依申请公开"), ("applications.informationrequest", "workdays.calendaryear")),
    (
        _("系统管理"),
        (
            "lawbuilding.person",
            "lawbuilding.division",
            "core.organization",
            "auth.user",
            "auth.group",
            "sitesettings.sitesettings",
            "accounts.loginevent",
            "accounts.loginlockout",
            "accounts.otpdevice",
            "django_tasks_database.dbtaskresult",
        ),
    ),
)
# The background-task table of django-tasks: English in the library, and of use to
# administrators only (a failed large import is followed up from 导入任务).
TASK_RESULT_LABEL = "django_tasks_database.dbtaskresult"


# What waits for the signed-in user, contributed by the apps that own the work: each app's
# admin module registers a function request → [(label, admin URL with filter, count)], so
# this module, below those apps, never imports them.
AWAITING_PROVIDERS: list[Callable[[HttpRequest], list[tuple[str, str, int]]]] = []


def register_awaiting(provider):
    """Decorator for an app's admin module: add `provider` to the "待办" group."""
    AWAITING_PROVIDERS.append(provider)
    return provider


def _awaiting(request) -> list[dict]:
    """Rows of the "待办" group: what waits for this user, with counts; empty when nothing."""
    items = []
    for provider in AWAITING_PROVIDERS:
        for name, url, count in provider(request):
            if count:
                items.append(
                    {
                        "name": f"{name}（{count}）",
                        "object_name": f"awaiting{len(items) + 1}",
                        "admin_url": url,
                        "add_url": None,
                        "view_only": True,
                        "perms": {"view": True},
                    }
                )
    return items


def is_administrator(user) -> bool:
    return user.is_superuser or user.groups.filter(name=roles.ADMINISTRATOR).exists()


def landing_url(request) -> str | None:
    """Where a user lands after signing in, or None for the admin index."""
    user = request.user
    group_names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or roles.ADMINISTRATOR in group_names:
        return None
    if roles.LEADERSHIP in group_names and user.has_perm(roles.VIEW_DASHBOARD):
        return reverse("dashboard:index")
    if roles.REVIEWER in group_names:
        # With nothing to review, the index (its task groups) is the better start.
        awaiting = _awaiting(request)
        return awaiting[0]["admin_url"] if awaiting else None
    return None


class TaskGroupedSiteMixin:
    """For the AdminSite: task groups on the index and sidebar, role landing after login."""

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        models = {}
        for app in app_list:
            for model in app["models"]:
                label = f"{app['app_label']}.{model['object_name'].lower()}"
                models[label] = model
        task_result = models.get(TASK_RESULT_LABEL)
        if task_result is not None:
            if request.user.is_superuser:
                task_result["name"] = gettext("后台任务记录")
            else:
                del models[TASK_RESULT_LABEL]
        groups = []
        awaiting = _awaiting(request)
        if awaiting:
            groups.append(self._group(gettext("待办"), "awaiting", awaiting))
        for number, (title, labels) in enumerate(TASK_GROUPS, start=1):
            rows = [models.pop(label) for label in labels if label in models]
            if rows:
                groups.append(self._group(str(title), f"task{number}", rows))
        if models:
            groups.append(self._group(gettext("其他"), "other", list(models.values())))
        return groups

    @staticmethod
    def _group(name: str, key: str, rows: list[dict]) -> dict:
        # An empty app_url: the caption is a heading, not a link (templates/admin/app_list.html).
        return {
            "name": name,
            "app_label": key,
            "app_url": "",
            "has_module_perms": True,
            "models": rows,
        }

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        # Only when the sign-in form was sent without a page to return to (its "next" is
        # then the admin index): a link to a specific admin page still opens that page.
        if (
            request.method == "POST"
            and response.status_code == 302
            and request.user.is_authenticated
        ):
            try:
                index = reverse("admin:index", current_app=self.name)
            except NoReverseMatch:  # pragma: no cover
                return response
            if response.url == index:
                target = landing_url(request)
                if target:
                    response["Location"] = target
        return response
