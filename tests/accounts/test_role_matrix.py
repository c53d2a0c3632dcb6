"""Who reaches what: every admin page of every registered model, every custom admin page,
every workflow action and every non-public view, for each office role and for anonymous
citizens.

The expected answer comes from the role's permissions (accounts/roles.py): a page answers 200
when the role may use it and 403 when it may not; anonymous visitors are sent to sign in. A
model admin may be stricter than the permissions (no "add" on an audit log) but never looser.
Models, admin pages and non-public URLs are discovered at test time, so a page added later is
covered (or, for a new non-public view, must be given its rule here).
"""

import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import ADMINISTRATOR, DATA_ENTRY, LEADERSHIP, REVIEWER, sync_roles
from tests.personas import build_persona
from tests.publication_gate import review_report
from tests.report_records import complete_parts

pytestmark = pytest.mark.django_db

ANONYMOUS = "匿名公众"
NO_ROLE = "无角色职员"
ROLES = (DATA_ENTRY, REVIEWER, LEADERSHIP, ADMINISTRATOR)
PERSONAS = (ANONYMOUS, NO_ROLE, *ROLES)
STAFF = (NO_ROLE, *ROLES)
PAGES = ("changelist", "add", "change", "delete", "history")
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODELS = [model for model, _admin in REGISTRY]
# Models for which no record can be made here; their per-record pages go unchecked.
MAY_BE_EMPTY = {"django_tasks_database.DBTaskResult"}

# Public pages (tests/publicsite/test_fuzz_public.py covers them); everything else outside the
# admin is non-public and needs a rule below.
PUBLIC_NAMESPACES = {"publicsite", "applications"}
PUBLIC_NAMES = {"set_language", "switch_language", "ops:healthz", "ops:media"}


@dataclass(frozen=True)
class Rule:
    """What a non-public view needs: a permission (None: any signed-in staff member), and
    whether its owner may open it without the permission (the import job pages)."""

    permission: str | None
    record: str = ""  # "import_job": the URL takes the job's pk
    owner_allowed: bool = False


NON_PUBLIC_RULES = {
    "dashboard:index": Rule("dashboard.view_dashboard"),
    "dashboard:pdf": Rule("dashboard.view_dashboard"),
    # Staff see their own background imports; roles that may view every job see all.
    "dataio:import_jobs": Rule(None),
    "dataio:import_job": Rule("dataio.view_importjob", "import_job", owner_allowed=True),
    "dataio:import_job_progress": Rule("dataio.view_importjob", "import_job", owner_allowed=True),
    "dataio:import_job_report": Rule("dataio.view_importjob", "import_job", owner_allowed=True),
}


@dataclass
class World:
    users: dict[str, User | None]
    clients: dict[str, Client]
    records: dict[type[models.Model], models.Model] = field(default_factory=dict)
    media_root: str = ""
    private_root: str = ""
    import_job: models.Model | None = None


def _first_record(model: type[models.Model]) -> models.Model | None:
    record = model._default_manager.order_by("pk").first()
    if record is not None:
        return record
    from tests import admin_factories

    if model in admin_factories.FACTORIES:
        return admin_factories.make(model, 901)  # n=0 would collide with the demo data
    return None


def _make_extra_records(users: dict[str, User | None]) -> None:
    """Records the demo data does not hold: a report with its sections and events, a comment,
    a security-log row, a lockout and an authenticator."""
    from axes.models import AccessAttempt

    from accounts import otp
    from accounts.audit import record_login_event
    from lawbuilding import services
    from lawbuilding.models import AnnualReport
    from supervision import moderation
    from supervision.models import HonoraryCitizenNotice

    # The demo holds 2021 as published; here the year starts again from a submitted draft.
    AnnualReport.objects.filter(year=2021).delete()
    report, _warnings = services.report_create(year=2021, user=users[DATA_ENTRY])
    complete_parts(report)
    services.report_submit(report=report, user=users[DATA_ENTRY])
    notice = HonoraryCitizenNotice.objects.order_by("pk").first()
    moderation.notice_comment_submit(
        notice=notice, content="赞成。", source="role-matrix", today=notice.notice_start
    )
    record_login_event(outcome="login", user=users[ADMINISTRATOR])
    AccessAttempt.objects.create(
        username="someone",
        ip_address="10.9.9.9",
        user_agent="x",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/admin/login/",
        failures_since_start=2,
    )
    otp.totp_enrolment_start(user=users[REVIEWER])


def _make_import_job(owner: User):
    """A finished background import by `owner`, with its error report (core/views.py)."""
    from django.core.files.base import ContentFile

    from dataio.models import ImportJob

    job = ImportJob(
        model_label="trainings.Law",
        original_name="法律清单.csv",
        kind="csv",
        status="failed",
        total_rows=2,
        processed_rows=2,
        error_rows=1,
        created_by=owner,
    )
    job.source.save("laws.csv", ContentFile("名称\n宪法\n".encode()), save=False)
    job.error_report.save(
        "laws-errors.csv", ContentFile("行,错误\n2,缺少名称\n".encode()), save=False
    )
    job.save()
    return job


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, one user per persona (signed in) and one record of every model, built
    once for the module inside a transaction that is rolled back at its end."""
    media = tmp_path_factory.mktemp("role-matrix-media")
    private = tmp_path_factory.mktemp("role-matrix-private")
    local = override_settings(
        MEDIA_ROOT=media,
        FAO_PRIVATE_ROOT=private,
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), local, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        sync_roles()
        users: dict[str, User | None] = {ANONYMOUS: None, NO_ROLE: build_persona(None)}
        for role in ROLES:
            users[role] = build_persona(role)
        clients = {}
        for persona, user in users.items():
            clients[persona] = Client()
            if user is not None:
                clients[persona].force_login(user)
        _make_extra_records(users)
        records = {model: _first_record(model) for model in MODELS}
        yield World(
            users=users,
            clients=clients,
            records=records,
            media_root=str(media),
            private_root=str(private),
            import_job=_make_import_job(users[DATA_ENTRY]),
        )
        transaction.set_rollback(True)


@pytest.fixture
def local_world(world, settings):
    settings.MEDIA_ROOT = world.media_root
    settings.FAO_PRIVATE_ROOT = world.private_root
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return world


def request_as(user: User | None):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def perm(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def permissions_allow(user: User, model: type[models.Model], page: str) -> bool:
    if page == "add":
        return user.has_perm(perm(model, "add"))
    if page == "delete":
        return user.has_perm(perm(model, "delete"))
    return user.has_perm(perm(model, "view")) or user.has_perm(perm(model, "change"))


def admin_allows(model_admin, user: User, page: str, record) -> bool:
    request = request_as(user)
    if page == "changelist":
        return model_admin.has_view_or_change_permission(request)
    if page == "add":
        return model_admin.has_add_permission(request)
    if page == "delete":
        return model_admin.has_delete_permission(request, record)
    if page == "history":
        check = getattr(
            model_admin,
            "has_view_history_or_change_history_permission",
            model_admin.has_view_or_change_permission,
        )
        return check(request, record)
    return model_admin.has_view_or_change_permission(request, record)


def page_url(model: type[models.Model], page: str, record) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    if page in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[record.pk])


def assert_sent_to_sign_in(response, url: str) -> None:
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("admin:login")), url


def answer(client: Client, url: str) -> int:
    # Follow a redirect to another admin page (the report's "add" leads to "generate").
    response = client.get(url, follow=True)
    return response.status_code


# --- the standard admin pages of every registered model ---------------------------------


def test_every_model_has_a_record_for_its_per_record_pages(local_world):
    missing = {model._meta.label for model, record in local_world.records.items() if record is None}
    assert missing <= MAY_BE_EMPTY


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_anonymous_citizens_are_sent_to_sign_in_from_every_admin_page(local_world, model):
    client = local_world.clients[ANONYMOUS]
    record = local_world.records[model]
    for page in PAGES:
        if record is None and page not in ("changelist", "add"):
            continue
        url = page_url(model, page, record)
        assert_sent_to_sign_in(client.get(url), url)


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_answer_as_the_role_permissions_say(local_world, model, persona):
    user = local_world.users[persona]
    client = local_world.clients[persona]
    model_admin = admin.site._registry[model]
    record = local_world.records[model]
    for page in PAGES:
        if record is None and page not in ("changelist", "add"):
            continue
        allowed = admin_allows(model_admin, user, page, record)
        # An admin may be stricter than the permissions, never looser.
        assert not allowed or permissions_allow(user, model, page), (model, page)
        url = page_url(model, page, record)
        assert answer(client, url) == (200 if allowed else 403), (persona, url)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_data_entry_staff_cannot_delete_anything(local_world, model):
    user = local_world.users[DATA_ENTRY]
    assert not user.has_perm(perm(model, "delete"))
    record = local_world.records[model]
    if record is not None:
        url = page_url(model, "delete", record)
        response = local_world.clients[DATA_ENTRY].post(url, {"post": "yes"})
        assert response.status_code == 403, url
        assert model._default_manager.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_leadership_reads_but_never_changes(local_world, model):
    user = local_world.users[LEADERSHIP]
    for action in ("add", "change", "delete"):
        assert not user.has_perm(perm(model, action)), (model, action)


def test_staff_without_a_role_see_no_model_at_all(local_world):
    client = local_world.clients[NO_ROLE]
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_roles_see_the_admin_index_with_their_models(local_world):
    for role in ROLES:
        response = local_world.clients[role].get(reverse("admin:index"))
        assert response.status_code == 200
        assert response.context["app_list"], role


# --- custom admin pages (import, export, moderation, report pages, enrolment) -----------


def custom_admin_urls(world: World) -> list[tuple[type[models.Model] | None, str, str]]:
    """(model, url name, url) of every admin URL that is not one of the standard five."""
    found = []
    for model, model_admin in REGISTRY:
        record = world.records[model]
        standard = {f"{model._meta.app_label}_{model._meta.model_name}_{p}" for p in PAGES}
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if pattern.name in standard:
                continue
            if pattern.name.endswith("_simple_history"):
                version = record.history.order_by("history_id").first() if record else None
                if version is not None:
                    url = reverse(f"admin:{pattern.name}", args=[record.pk, version.history_id])
                    found.append((model, pattern.name, url))
                continue
            converters = pattern.pattern.converters
            kwargs = {}
            for key in converters:
                if key in ("pk", "object_id", "id"):
                    if record is None:
                        break
                    kwargs[key] = record.pk
                elif key == "action":
                    kwargs[key] = "submit"
                elif key == "section_pk":
                    section = record.sections.order_by("pk").first() if record else None
                    if section is None:
                        break
                    kwargs[key] = section.pk
                else:
                    kwargs[key] = "x"
            else:
                found.append((model, pattern.name, reverse(f"admin:{pattern.name}", kwargs=kwargs)))
    found.append((None, "accounts_totp", reverse("admin:accounts_totp")))
    return found


def test_anonymous_citizens_are_sent_to_sign_in_from_every_custom_admin_page(local_world):
    urls = custom_admin_urls(local_world)
    assert len(urls) > 10
    client = local_world.clients[ANONYMOUS]
    for _model, _name, url in urls:
        assert_sent_to_sign_in(client.get(url), url)
        assert_sent_to_sign_in(client.post(url, {}), url)


@pytest.mark.parametrize("persona", STAFF)
def test_import_and_export_pages_answer_as_the_role_permissions_say(local_world, persona):
    user = local_world.users[persona]
    client = local_world.clients[persona]
    checked = 0
    for model, name, url in custom_admin_urls(local_world):
        model_admin = admin.site._registry.get(model)
        if name.endswith("_import") and not name.endswith("_process_import"):
            allowed = model_admin.has_import_permission(request_as(user))
            assert not allowed or user.has_perm(perm(model, "add")), name
        elif name.endswith("_export"):
            allowed = model_admin.has_export_permission(request_as(user))
            assert not allowed or user.has_perm(perm(model, "view")), name
        else:
            continue
        checked += 1
        assert answer(client, url) == (200 if allowed else 403), (persona, url)
    assert checked >= 20


@pytest.mark.parametrize("persona", STAFF)
def test_process_import_refuses_roles_that_cannot_add(local_world, persona):
    user = local_world.users[persona]
    client = local_world.clients[persona]
    for model, name, url in custom_admin_urls(local_world):
        if not name.endswith("_process_import") or user.has_perm(perm(model, "add")):
            continue
        assert client.post(url, {}).status_code == 403, (persona, url)


@pytest.mark.parametrize("persona", STAFF)
def test_other_custom_admin_pages_are_closed_to_roles_that_cannot_view_the_model(
    local_world, persona
):
    """Report pages, moderation, record versions: without at least the model's view (or
    change) permission the answer is 403 (405 for a POST-only action); with it, never a 500."""
    user = local_world.users[persona]
    client = local_world.clients[persona]
    for model, name, url in custom_admin_urls(local_world):
        if model is None or name.endswith(("_import", "_process_import", "_export")):
            continue
        status = client.get(url).status_code
        if permissions_allow(user, model, "changelist"):
            assert status < 500, (persona, url)
        else:
            assert status in (403, 405), (persona, url, status)


@pytest.mark.parametrize("persona", STAFF)
def test_totp_enrolment_page_is_open_to_every_staff_member(local_world, persona):
    assert local_world.clients[persona].get(reverse("admin:accounts_totp")).status_code == 200


# --- workflow actions --------------------------------------------------------------------


def test_comment_moderation_page_and_decision_follow_the_moderation_permission(local_world):
    from supervision import moderation
    from supervision.models import NoticeComment

    comment = NoticeComment.objects.filter(status=NoticeComment.Status.PENDING).first()
    url = reverse("admin:supervision_noticecomment_moderate", args=[comment.pk])
    assert_sent_to_sign_in(local_world.clients[ANONYMOUS].get(url), url)
    for persona in STAFF:
        user = local_world.users[persona]
        allowed = user.has_perm(moderation.MODERATE_PERMISSION)
        assert allowed == (persona in (REVIEWER, ADMINISTRATOR)), persona
        assert answer(local_world.clients[persona], url) == (200 if allowed else 403), persona
    for persona in (DATA_ENTRY, LEADERSHIP, NO_ROLE):
        response = local_world.clients[persona].post(url, {"decision": "accept", "reply": ""})
        assert response.status_code == 403
        comment.refresh_from_db()
        assert comment.status == NoticeComment.Status.PENDING
    local_world.clients[REVIEWER].post(url, {"decision": "accept", "reply": ""})
    comment.refresh_from_db()
    assert comment.status == NoticeComment.Status.ACCEPTED


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_comment_decisions_follow_the_moderation_permission(local_world, persona):
    from supervision import moderation
    from supervision.models import NoticeComment

    comment = NoticeComment.objects.filter(status=NoticeComment.Status.PENDING).first()
    url = reverse("admin:supervision_noticecomment_changelist")
    response = local_world.clients[persona].post(
        url, {"action": "accept_selected", "_selected_action": [comment.pk], "reply": ""}
    )
    user = local_world.users[persona]
    comment.refresh_from_db()
    if user is not None and user.has_perm(moderation.MODERATE_PERMISSION):
        assert comment.status == NoticeComment.Status.ACCEPTED
    else:
        # Sent to sign in, refused, or the changelist again without the action: unchanged.
        assert response.status_code in (200, 302, 403)
        assert comment.status == NoticeComment.Status.PENDING


def report_services():
    from lawbuilding import services

    return services


def report_in(status: str):
    """The 2021 report brought to `status` by the demo's own users (luru, shenhe, admin), so
    no persona here acts on a report it submitted itself."""
    services = report_services()
    from lawbuilding.models import AnnualReport

    clerk = User.objects.get(username="luru")
    reviewer = User.objects.get(username="shenhe")
    manager = User.objects.get(username="admin")
    AnnualReport.objects.filter(year=2021).delete()
    report, _warnings = services.report_create(year=2021, user=clerk)
    complete_parts(report)
    if status == "draft":
        return report
    report = services.report_submit(report=report, user=clerk)
    if status == "submitted":
        return report
    report = services.report_approve(report=report, user=reviewer, on=datetime.date(2022, 3, 1))
    review_report(report, reviewer)  # the secrecy review publication needs
    if status == "approved":
        return report
    return services.report_publish(report=report, user=manager, on=datetime.date(2022, 3, 22))


WORKFLOW = {
    # action: (status it starts from, roles the issue says may do it)
    "submit": ("draft", {DATA_ENTRY, ADMINISTRATOR}),
    "approve": ("submitted", {REVIEWER, ADMINISTRATOR}),
    "return": ("submitted", {REVIEWER, ADMINISTRATOR}),
    "publish": ("approved", {REVIEWER, ADMINISTRATOR}),
    "correct": ("published", {DATA_ENTRY, ADMINISTRATOR}),
    "regenerate": ("draft", {DATA_ENTRY, ADMINISTRATOR}),
}


def action_url(report, action: str) -> str:
    if action == "regenerate":
        return reverse("admin:lawbuilding_annualreport_regenerate", args=[report.pk])
    return reverse("admin:lawbuilding_annualreport_action", args=[report.pk, action])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", WORKFLOW)
def test_report_workflow_actions_answer_as_the_role_permissions_say(local_world, action, persona):
    services = report_services()
    from lawbuilding.models import AnnualReport, ReportEvent

    source, issue_roles = WORKFLOW[action]
    report = report_in(source)
    events_before = ReportEvent.objects.count()
    reports_before = AnnualReport.objects.count()
    user = local_world.users[persona]
    url = action_url(report, action)
    response = local_world.clients[persona].post(url, {"comment": "角色矩阵测试", "overwrite": []})
    if persona == ANONYMOUS:
        assert_sent_to_sign_in(response, url)
        allowed = False
    else:
        allowed = user.has_perm(services.TRANSITIONS[action].permission)
        # The permissions match the roles the issue names for each step.
        assert allowed == (persona in issue_roles), (action, persona)
        assert response.status_code in (302, 403), (action, persona)
    report.refresh_from_db()
    acted = ReportEvent.objects.filter(report__year=report.year, user=user, action=action)
    if allowed:
        assert acted.exists(), (action, persona)
        if action == "correct":
            assert AnnualReport.objects.count() == reports_before + 1
        target = services.TRANSITIONS[action].target
        if target:
            assert report.status == target, (action, persona)
    else:
        assert report.status == source, (action, persona)
        assert ReportEvent.objects.count() == events_before, (action, persona)
        assert AnnualReport.objects.count() == reports_before


@pytest.mark.parametrize("persona", STAFF)
def test_report_generation_page_follows_the_add_permission(local_world, persona):
    report_services()
    user = local_world.users[persona]
    allowed = user.has_perm("lawbuilding.add_annualreport")
    assert allowed == (persona in (DATA_ENTRY, ADMINISTRATOR)), persona
    url = reverse("admin:lawbuilding_annualreport_generate")
    assert answer(local_world.clients[persona], url) == (200 if allowed else 403), persona


def test_data_entry_staff_cannot_approve_report(local_world):
    services = report_services()
    report = report_in("submitted")
    local_world.clients[DATA_ENTRY].post(action_url(report, "approve"), {})
    report.refresh_from_db()
    assert report.status == "submitted"
    assert not local_world.users[DATA_ENTRY].has_perm(services.TRANSITIONS["approve"].permission)


# --- non-public views outside the admin ----------------------------------------------------


def non_admin_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin" or entry.namespace == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry, inner)
            elif entry.name:
                names.add(":".join(filter(None, [namespace, entry.name])))

    walk(get_resolver(), "")
    return names


def non_public_url_names() -> set[str]:
    return {
        name
        for name in non_admin_url_names()
        if name not in PUBLIC_NAMES and name.split(":")[0] not in PUBLIC_NAMESPACES
    }


def test_every_non_public_view_has_a_rule_in_this_matrix():
    unknown = non_public_url_names() - set(NON_PUBLIC_RULES)
    assert unknown == set(), "新的非公开页面需要在 NON_PUBLIC_RULES 中写明所需权限"


@pytest.mark.parametrize("name", sorted(NON_PUBLIC_RULES))
def test_non_public_views_answer_as_the_role_permissions_say(local_world, name):
    assert name in non_admin_url_names(), f"{name} 不在 URLconf 中：请从矩阵中删除"
    rule = NON_PUBLIC_RULES[name]
    owner = None
    if rule.record == "import_job":
        owner = local_world.import_job.created_by
        url = reverse(name, args=[local_world.import_job.pk])
    else:
        url = reverse(name)
    assert_sent_to_sign_in(local_world.clients[ANONYMOUS].get(url), url)
    for persona in STAFF:
        user = local_world.users[persona]
        allowed = (
            rule.permission is None
            or user.has_perm(rule.permission)
            or (rule.owner_allowed and user == owner)
        )
        response = local_world.clients[persona].get(url)
        assert response.status_code == (200 if allowed else 403), (name, persona)


def test_import_jobs_of_others_stay_hidden_from_staff_without_a_role(local_world):
    listing = local_world.clients[NO_ROLE].get(reverse("dataio:import_jobs"))
    assert listing.status_code == 200
    assert local_world.import_job.original_name not in listing.content.decode()
    owner_listing = local_world.clients[DATA_ENTRY].get(reverse("dataio:import_jobs"))
    assert local_world.import_job.original_name in owner_listing.content.decode()


def test_dashboard_is_for_every_role_but_not_for_staff_without_one(local_world):
    for role in ROLES:
        assert local_world.users[role].has_perm("dashboard.view_dashboard"), role
    assert not local_world.users[NO_ROLE].has_perm("dashboard.view_dashboard")
