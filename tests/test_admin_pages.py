"""The Chinese admin: every domain model is there, every page answers, lists cost a constant
number of queries, and the filters the leadership dashboard links to select the right rows."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from lawbuilding.models import PlanTask
from supervision.models import Delegation, DelegationMember, Proposal
from tests.admin_factories import FACTORIES, make
from trainings.models import StudySession

pytestmark = pytest.mark.usefixtures("local_admin")

DOMAIN_APPS = ["lawbuilding", "trainings", "supervision", "disclosure"]

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
# Pages of the models registered by the domain admins (lawbuilding/admin.py …); the report
# and comment-moderation admins are tested with their own features.
OWN_MODULES = {"lawbuilding.admin", "trainings.admin", "supervision.admin", "disclosure.admin"}
REGISTERED_HERE = [
    model for model in REGISTERED if type(admin.site._registry[model]).__module__ in OWN_MODULES
]
WITH_FACTORY = [model for model in REGISTERED_HERE if model in FACTORIES]


def _ids(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_registered_in_the_admin():
    """Every record type of the three domain apps can be entered through the admin."""
    missing = [
        model._meta.label
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges) and model not in admin.site._registry
    ]
    assert missing == []


def test_the_admin_factories_cover_every_model_this_suite_registers():
    """Each registered model gets a change-page test (report and comment models are
    registered and tested by their own features)."""
    uncovered = [model._meta.label for model in REGISTERED_HERE if model not in FACTORIES]
    assert uncovered == []


@pytest.mark.parametrize("model", REGISTERED_HERE, ids=_ids)
def test_add_page_answers_200_for_an_administrator(admin_client, model):
    response = admin_client.get(_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", WITH_FACTORY, ids=_ids)
def test_changelist_answers_200_and_lists_the_record(admin_client, model):
    obj = make(model)
    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert _url(model, "change", obj.pk) in response.content.decode()


@pytest.mark.parametrize("model", WITH_FACTORY, ids=_ids)
def test_change_page_answers_200_for_an_administrator(admin_client, model):
    obj = make(model)
    response = admin_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", WITH_FACTORY, ids=_ids)
def test_history_page_answers_200_for_an_administrator(admin_client, model):
    obj = make(model)
    response = admin_client.get(_url(model, "history", obj.pk))
    assert response.status_code == 200
    assert "修改人" in response.content.decode()


@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_anonymous_citizen_is_sent_to_login(client, db, model, view):
    args = (1,) if view in {"change", "history"} else ()
    response = client.get(_url(model, view, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", REGISTERED_HERE, ids=_ids)
def test_changelist_offers_spreadsheet_import_and_export(admin_client, model):
    """Export on every list; import wherever the model's resource accepts imports (records
    carrying uploaded files, for one, are entered in the form)."""
    response = admin_client.get(_url(model, "changelist"))
    content = response.content.decode()
    assert _url(model, "export") in content
    importable = admin.site._registry[model].has_import_permission(response.wsgi_request)
    assert (_url(model, "import") in content) == importable


def test_most_lists_accept_spreadsheet_imports(admin_client):
    request = admin_client.get(_url(Proposal, "changelist")).wsgi_request
    importable = [
        model
        for model in REGISTERED_HERE
        if admin.site._registry[model].has_import_permission(request)
    ]
    assert Proposal in importable
    assert StudySession in importable


def test_admin_pages_speak_chinese(admin_client):
    content = admin_client.get(_url(Proposal, "add")).content.decode()
    assert "增加 提案与建议" in content
    assert "答复期限" in content


@pytest.mark.parametrize("model", WITH_FACTORY, ids=_ids)
def test_changelist_query_count_does_not_grow_with_the_rows(admin_client, model):
    """No query per row: one record and three records cost the same number of queries."""
    make(model, 0)
    url = _url(model, "changelist")
    admin_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    make(model, 1)
    make(model, 2)
    with CaptureQueriesContext(connection) as three:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == model._default_manager.count()
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


def _listed(admin_client, model, query: str) -> set:
    response = admin_client.get(_url(model, "changelist") + query)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_proposal_deadline_filter_matches_the_reply_dates(admin_client):
    today = timezone.localdate()
    month = datetime.timedelta(days=30)

    def proposal(number, assigned, due, replied=None, extended=None):
        return Proposal.objects.create(
            kind=Proposal.Kind.CPPCC,
            year=today.year,
            number=number,
            title=f"提案{number}",
            assigned_on=assigned,
            due_on=due,
            extended_due_on=extended,
            replied_on=replied,
        )

    in_time = proposal("0209", today - 4 * month, today - month, replied=today - 2 * month)
    late = proposal(
        "0303", today - 4 * month, today - month, replied=today - datetime.timedelta(days=10)
    )
    waiting_overdue = proposal("0001", today - 4 * month, today - month)
    waiting_soon = proposal("0002", today - 2 * month, today + datetime.timedelta(days=7))
    extended = proposal(
        "0003", today - 4 * month, today - month, extended=today + datetime.timedelta(days=40)
    )

    assert _listed(admin_client, Proposal, "?deadline=in_time") == {in_time.pk}
    assert _listed(admin_client, Proposal, "?deadline=late") == {late.pk}
    assert _listed(admin_client, Proposal, "?deadline=overdue") == {late.pk, waiting_overdue.pk}
    assert _listed(admin_client, Proposal, "?deadline=unreplied") == {
        waiting_overdue.pk,
        waiting_soon.pk,
        extended.pk,
    }
    assert _listed(admin_client, Proposal, "?deadline=due_soon") == {waiting_soon.pk}
    for proposal_ in (in_time, late, waiting_overdue, waiting_soon, extended):
        in_overdue = proposal_.pk in _listed(admin_client, Proposal, "?deadline=overdue")
        assert in_overdue == proposal_.is_overdue(today)


def test_plan_task_filters_select_by_status_plan_year_and_deadline(admin_client):
    task = make(PlanTask, 0)
    other_year = make(PlanTask, 1)
    task.due_on = timezone.localdate() - datetime.timedelta(days=1)
    task.save()
    other_year.status = PlanTask.Status.DONE
    other_year.completed_on = timezone.localdate()
    other_year.save()

    assert _listed(admin_client, PlanTask, "?section__plan__year=2022") == {task.pk}
    assert _listed(admin_client, PlanTask, "?status__exact=done") == {other_year.pk}
    assert _listed(admin_client, PlanTask, "?overdue=yes") == {task.pk}


def test_study_session_filters_by_kind_and_year(admin_client):
    center = make(StudySession, 0)
    lecture = make(StudySession, 1)
    lecture.kind = StudySession.Kind.LECTURE
    lecture.save()
    next_year = make(StudySession, 400)

    query = "?kind__exact=center_group&date__year=2021"
    assert _listed(admin_client, StudySession, query) == {center.pk}
    assert _listed(admin_client, StudySession, "?date__year=2022") == {next_year.pk}


def test_delegation_rule_filter_lists_trips_breaking_a_limit(admin_client):
    """A trip entered around the admin's checks (e.g. imported) still shows up."""
    fine = make(Delegation, 0)
    crowded = make(Delegation, 1)
    for i in range(6):
        DelegationMember.objects.create(delegation=crowded, name=f"成员{i}", unit="市外事办")

    assert _listed(admin_client, Delegation, "?violation=yes") == {crowded.pk}
    assert _listed(admin_client, Delegation, "?violation=no") == {fine.pk}
    content = admin_client.get(_url(Delegation, "changelist")).content.decode()
    assert "团组人数 7 人，超过规定的 6 人（含翻译）。" in content


def test_row_checkbox_is_the_markup_django_renders(db):
    """The change list's faster checkbox must keep working with the admin's actions script."""
    session = make(StudySession)
    model_admin = admin.site._registry[StudySession]
    assert model_admin.action_checkbox(session) == admin.ModelAdmin.action_checkbox(
        model_admin, session
    )
