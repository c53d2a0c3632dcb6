"""History pages are a record, not an editing path, and nobody reviews their own work.

The audit trail (《中华人民共和国档案法》) and the review before publication
(《政府信息公开条例》第十七条) must hold for every role: a POST to a history page saves
nothing, and a report's submitter can neither approve nor publish it, superusers included.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.history_admin import ReadOnlyHistoryAdmin
from disclosure.models import DisclosureItem, IndexCounter
from lawbuilding import services
from lawbuilding.models import AnnualReport, ReportEvent
from tests.admin_factories import form_value, make
from tests.publication_gate import review_report
from tests.report_records import complete_parts, make_office, make_year_2021

pytestmark = pytest.mark.usefixtures("local_admin", "report_media")

ROLES = ["录入员", "审核人", "领导", "管理员", "superuser"]


@pytest.fixture
def report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def role_user(make_role_user):
    def build(role: str) -> User:
        if role == "superuser":
            return User.objects.create_superuser("root_history", "r@example.invalid", "x")
        return make_role_user(role, f"user_{abs(hash(role)) % 10**6}")

    return build


@pytest.fixture
def published_report(data_entry_user, reviewer_user):
    office = make_office()
    make_year_2021(office)
    report, _ = services.report_create(year=2021, user=data_entry_user, organization=office)
    complete_parts(report)
    services.report_submit(report=report, user=data_entry_user, comment="请审核")
    services.report_approve(report=report, user=reviewer_user, on=datetime.date(2022, 2, 25))
    review_report(report, reviewer_user)
    return services.report_publish(report=report, user=reviewer_user, on=datetime.date(2022, 3, 22))


def _history_post(client, obj, changes: dict):
    """The old version's form as the history page shows it, with `changes` posted back."""
    opts = obj._meta
    version = obj.history.earliest()
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )
    data = {k: form_value(v) for k, v in model_to_dict(obj).items() if v is not None}
    data.update({k: form_value(v) for k, v in changes.items()})
    return client.post(url, data)


def _snapshot(obj) -> dict:
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_a_disclosure_item_through_its_history_page(client, role_user, role):
    item = make(DisclosureItem)
    before = _snapshot(item)
    client.force_login(role_user(role))
    response = _history_post(client, item, {"title": "篡改后的标题"})
    assert response.status_code == 403
    assert _snapshot(item) == before


@pytest.mark.parametrize("role", ROLES)
def test_nobody_puts_a_published_report_back_to_draft_through_its_history_page(
    client, role_user, role, published_report
):
    before = _snapshot(published_report)
    client.force_login(role_user(role))
    response = _history_post(
        client, published_report, {"status": AnnualReport.Status.DRAFT, "pdf_sha256": ""}
    )
    assert response.status_code == 403
    assert _snapshot(published_report) == before
    assert AnnualReport.objects.get(pk=published_report.pk).status == "published"


@pytest.mark.parametrize("role", ROLES)
def test_nobody_rewrites_a_report_event_through_its_history_page(
    client, role_user, role, published_report
):
    event = ReportEvent.objects.filter(report=published_report).first()
    before = _snapshot(event)
    client.force_login(role_user(role))
    response = _history_post(client, event, {"comment": "改写的意见", "user": ""})
    assert response.status_code == 403
    assert _snapshot(event) == before


@pytest.mark.parametrize("role", ROLES)
def test_nobody_moves_an_index_counter_through_its_history_page(client, role_user, role):
    counter = make(IndexCounter)
    before = _snapshot(counter)
    client.force_login(role_user(role))
    response = _history_post(client, counter, {"last_serial": 500})
    assert response.status_code == 403
    assert _snapshot(counter) == before


def test_the_history_form_still_shows_the_old_version(admin_client):
    item = make(DisclosureItem)
    version = item.history.earliest()
    url = reverse(
        "admin:disclosure_disclosureitem_simple_history", args=[item.pk, version.history_id]
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    assert item.title in response.content.decode()


def test_every_admin_with_history_has_read_only_history_pages():
    """Every registered admin that shows history (every HistoricalRecords model with an
    admin page) refuses saving through it."""
    with_history = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert with_history
    assert all(isinstance(m, ReadOnlyHistoryAdmin) for m in with_history)
    tracked_models = [m for m in admin.site._registry if hasattr(m, "history")]
    for model in tracked_models:
        assert isinstance(admin.site._registry[model], ReadOnlyHistoryAdmin), model


# --- separation of duties -------------------------------------------------------------


@pytest.fixture
def superuser_submitted_report(db):
    office = make_office()
    make_year_2021(office)
    root = User.objects.create_superuser("root_alone", "root@example.invalid", "x")
    report, _ = services.report_create(year=2021, user=root, organization=office)
    complete_parts(report)
    services.report_submit(report=report, user=root, comment="请审核")
    return report, root


def test_a_superuser_cannot_approve_the_report_they_submitted(superuser_submitted_report):
    report, root = superuser_submitted_report
    with pytest.raises(PermissionDenied, match="不能审核通过自己提交的报告"):
        services.report_approve(report=report, user=root)
    assert AnnualReport.objects.get(pk=report.pk).status == "submitted"


def test_a_superuser_cannot_publish_the_report_they_submitted(
    superuser_submitted_report, reviewer_user
):
    report, root = superuser_submitted_report
    services.report_approve(report=report, user=reviewer_user, on=datetime.date(2022, 2, 25))
    with pytest.raises(PermissionDenied, match="不能公开发布自己提交的报告"):
        services.report_publish(report=report, user=root, on=datetime.date(2022, 3, 22))
    assert AnnualReport.objects.get(pk=report.pk).status == "approved"
    assert "publish" not in services.report_allowed_actions(
        report=AnnualReport.objects.get(pk=report.pk), user=root
    )
