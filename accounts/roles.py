"""The office's roles as Django groups holding permissions: defined here and nowhere else.

`sync_roles()` creates the groups and sets each group's permissions to exactly what is
defined below. It is called by this app's data migration (with the migration's historical
apps), by `manage.py load_demo` and by `manage.py sync_roles`. Permissions are looked up by
codename when it runs and missing ones are skipped, so permissions that later migrations add
(the report workflow's `approve_report`, comment moderation …) are granted on the next run.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _

DATA_ENTRY = "录入员"
REVIEWER = "审核人"
LEADERSHIP = "领导"
ADMINISTRATOR = "管理员"

# The apps holding the office's records; auth, the security log (accounts), lockouts and
# authenticators stay with administrators.
DOMAIN_APPS = (
    "core",
    "dataio",
    "lawbuilding",
    "trainings",
    "supervision",
    "disclosure",
    "dashboard",
    "publication",
    "workdays",
    "applications",
)
# Data entry covers the record-keeping apps (import needs "add", see settings).
DATA_ENTRY_APPS = ("lawbuilding", "trainings", "supervision", "disclosure", "applications")

# Records data-entry staff may see but not change: moderation, serial allocation, rules.
DATA_ENTRY_READ_ONLY = {
    "supervision.noticecomment",
    "disclosure.indexcounter",
    "supervision.delegationlimits",
    # Handling events are written by the step functions only.
    "applications.requestevent",
    # The disclosure work report's audit trail is written by its workflow actions only.
    "applications.disclosureworkreportevent",
}

VIEW_DASHBOARD = "dashboard.view_dashboard"
CHANGE_NOTICE_COMMENT = "supervision.change_noticecomment"
# Custom workflow permissions, granted when the models declaring them exist. Both spellings
# of the report approval are listed because the report model is being written separately.
REVIEW_PERMISSIONS = (
    "lawbuilding.approve_report",
    "lawbuilding.return_report",
    "lawbuilding.publish_report",
    "lawbuilding.approve_annualreport",
    "lawbuilding.return_annualreport",
    "supervision.moderate_comment",
    "supervision.moderate_noticecomment",
    # Applications for disclosure: reviewers handle them too, approve the one extension
    # (《政府信息公开条例》第三十三条第二款) and make the decision.
    "applications.handle_informationrequest",
    "applications.approve_extension",
    "applications.decide_informationrequest",
    # The annual disclosure work report (《政府信息公开条例》第五十条): reviewers approve or
    # return it and publish it, never one they submitted themselves.
    "applications.approve_disclosureworkreport",
    "applications.publish_disclosureworkreport",
    # Disclosure items (《政府信息公开条例》第十七条): reviewers approve and publish, return or
    # repeal them, never one they submitted themselves.
    "disclosure.publish_disclosureitem",
)
# Reviewers keep the allow-list of the office's public numbers, record secrecy reviews and
# accept scan findings (publication app); data entry only reads them.
PUBLICATION_REVIEW_PERMISSIONS = (
    "publication.add_allowednumber",
    "publication.change_allowednumber",
    "publication.delete_allowednumber",
    "publication.record_secrecy_review",
    "publication.accept_finding",
)
# Data entry drafts the report and hands it to review; it never approves or publishes.
# Data entry registers and handles applications for disclosure (and so sees applicants'
# personal data); it asks for extensions but neither approves them nor decides.
DATA_ENTRY_WORKFLOW_PERMISSIONS = (
    "lawbuilding.submit_report",
    "applications.handle_informationrequest",
    "applications.submit_disclosureworkreport",
    "disclosure.submit_disclosureitem",
)


@dataclass(frozen=True)
class Role:
    name: str
    description: str


ROLES = (
    Role(DATA_ENTRY, _("录入、修改和导入记录；不能删除，不能审核或发布。")),
    Role(REVIEWER, _("查看全部记录，审核或退回报告，审核公示意见。")),
    Role(LEADERSHIP, _("查看领导驾驶舱和全部记录，只读。")),
    Role(ADMINISTRATOR, _("全部权限，包括账户管理。")),
)
ROLE_NAMES = tuple(role.name for role in ROLES)


def _is_history(model_name: str) -> bool:
    return model_name.startswith("historical")


def permissions_for(role_name: str, available: Iterable[tuple[str, str, str]]) -> set[str]:
    """The "app_label.codename" strings the role holds, chosen among the available ones.

    `available` yields (app_label, model, codename) for every permission in the database.
    """
    available = list(available)
    granted: set[str] = set()
    for app_label, model, codename in available:
        perm = f"{app_label}.{codename}"
        action = codename.split("_", 1)[0]
        if role_name == ADMINISTRATOR:
            granted.add(perm)
        elif app_label not in DOMAIN_APPS:
            continue
        elif role_name in (REVIEWER, LEADERSHIP):
            if action == "view":
                granted.add(perm)
        elif role_name == DATA_ENTRY:
            if action == "view":
                granted.add(perm)
            elif (
                action in ("add", "change")
                and app_label in DATA_ENTRY_APPS
                and not _is_history(model)
                and f"{app_label}.{model}" not in DATA_ENTRY_READ_ONLY
            ):
                granted.add(perm)
    existing = {f"{app_label}.{codename}" for app_label, _model, codename in available}
    if role_name == REVIEWER:
        granted |= {CHANGE_NOTICE_COMMENT, *REVIEW_PERMISSIONS} & existing
        granted |= set(PUBLICATION_REVIEW_PERMISSIONS) & existing
    if role_name == DATA_ENTRY:
        granted |= {VIEW_DASHBOARD, *DATA_ENTRY_WORKFLOW_PERMISSIONS} & existing
    return granted


def sync_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Create the role groups and set their permissions; returns permissions per group.

    Idempotent: a second run with the same permissions in the database changes nothing.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    rows = list(
        permission_model.objects.using(using).values_list(
            "pk", "content_type__app_label", "content_type__model", "codename"
        )
    )
    pk_by_perm = {f"{app_label}.{codename}": pk for pk, app_label, _m, codename in rows}
    available = [(app_label, model, codename) for _pk, app_label, model, codename in rows]
    counts: dict[str, int] = {}
    for role in ROLES:
        group, _created = group_model.objects.using(using).get_or_create(name=role.name)
        wanted = {pk_by_perm[perm] for perm in permissions_for(role.name, available)}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
        counts[role.name] = len(wanted)
    return counts
