"""The office's roles are groups whose permissions are defined once, in accounts/roles.py."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.roles import ADMINISTRATOR, DATA_ENTRY, LEADERSHIP, REVIEWER, ROLE_NAMES, sync_roles

pytestmark = pytest.mark.django_db


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        for group in Group.objects.filter(name__in=ROLE_NAMES)
    }


def test_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "录入员",
        "审核人",
        "领导",
        "管理员",
    }


def test_migrated_role_groups_already_hold_permissions():
    assert Group.objects.get(name=DATA_ENTRY).permissions.filter(codename="add_studysession")
    assert Group.objects.get(name=LEADERSHIP).permissions.filter(codename="view_dashboard")


def test_sync_roles_twice_changes_nothing():
    sync_roles()
    before = group_permissions()
    group_count = Group.objects.count()
    counts = sync_roles()
    assert group_permissions() == before
    assert Group.objects.count() == group_count
    assert counts == {name: len(perms) for name, perms in before.items()}


def test_sync_roles_restores_a_removed_permission():
    group = Group.objects.get(name=DATA_ENTRY)
    group.permissions.remove(Permission.objects.get(codename="add_proposal"))
    sync_roles()
    assert group.permissions.filter(codename="add_proposal").exists()


def test_sync_roles_takes_away_a_permission_the_role_must_not_hold():
    group = Group.objects.get(name=DATA_ENTRY)
    group.permissions.add(Permission.objects.get(codename="delete_disclosureitem"))
    sync_roles()
    assert not group.permissions.filter(codename="delete_disclosureitem").exists()


def test_sync_roles_grants_a_review_permission_that_appears_later():
    # A later migration (the report workflow) adds `approve_report`; the next sync grants it.
    if not Permission.objects.filter(
        content_type__app_label="lawbuilding", codename="approve_report"
    ).exists():
        content_type = ContentType.objects.get(app_label="lawbuilding", model="workrecord")
        Permission.objects.create(
            codename="approve_report", name="审核报告", content_type=content_type
        )
    sync_roles()
    assert "lawbuilding.approve_report" in group_permissions()[REVIEWER]
    assert "lawbuilding.approve_report" not in group_permissions()[DATA_ENTRY]


def test_data_entry_staff_can_add_and_change_records_and_import(data_entry_user):
    for perm in (
        "lawbuilding.add_workrecord",
        "lawbuilding.change_workrecord",
        "lawbuilding.add_plantask",
        "trainings.add_studysession",
        "trainings.change_law",
        "supervision.add_proposal",
        "supervision.change_delegation",
        "disclosure.add_disclosureitem",
        "disclosure.view_disclosureitem",
    ):
        assert data_entry_user.has_perm(perm), perm


def test_data_entry_staff_cannot_delete_records(data_entry_user):
    for perm in (
        "disclosure.delete_disclosureitem",
        "supervision.delete_proposal",
        "lawbuilding.delete_workrecord",
        "trainings.delete_studysession",
    ):
        assert not data_entry_user.has_perm(perm), perm


def test_data_entry_staff_cannot_approve_report_or_moderate_comments(data_entry_user):
    assert not data_entry_user.has_perm("lawbuilding.approve_report")
    assert not data_entry_user.has_perm("lawbuilding.publish_report")
    assert not data_entry_user.has_perm("supervision.change_noticecomment")
    assert not data_entry_user.has_perm("supervision.moderate_comment")


def test_data_entry_staff_cannot_rewrite_history_or_serial_counters(data_entry_user):
    assert not data_entry_user.has_perm("lawbuilding.change_historicalworkrecord")
    assert not data_entry_user.has_perm("disclosure.change_indexcounter")
    assert not data_entry_user.has_perm("auth.add_user")


def test_reviewer_sees_everything_and_moderates_comments(reviewer_user):
    assert reviewer_user.has_perm("disclosure.view_disclosureitem")
    assert reviewer_user.has_perm("trainings.view_studysession")
    assert reviewer_user.has_perm("lawbuilding.view_workplan")
    assert reviewer_user.has_perm("supervision.change_noticecomment")
    assert reviewer_user.has_perm("dashboard.view_dashboard")


def test_reviewer_does_not_enter_or_delete_records(reviewer_user):
    assert not reviewer_user.has_perm("trainings.add_studysession")
    assert not reviewer_user.has_perm("supervision.change_proposal")
    assert not reviewer_user.has_perm("supervision.delete_noticecomment")


def test_leadership_views_dashboard_and_records_read_only(leadership_user):
    assert leadership_user.has_perm("dashboard.view_dashboard")
    assert leadership_user.has_perm("lawbuilding.view_workrecord")
    assert leadership_user.has_perm("supervision.view_proposal")
    changing = [
        perm
        for perm in leadership_user.get_all_permissions()
        if perm.split(".", 1)[1].split("_", 1)[0] != "view"
    ]
    assert changing == []


def test_administrator_holds_every_permission(administrator_user):
    every = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert administrator_user.get_all_permissions() == every
    assert administrator_user.has_perm("disclosure.delete_disclosureitem")
    assert administrator_user.has_perm("auth.change_user")


def test_roles_are_named_in_chinese():
    assert (DATA_ENTRY, REVIEWER, LEADERSHIP, ADMINISTRATOR) == (
        "录入员",
        "审核人",
        "领导",
        "管理员",
    )


def test_report_workflow_permissions_go_to_the_right_roles(data_entry_user, reviewer_user):
    assert data_entry_user.has_perm("lawbuilding.submit_report")
    assert reviewer_user.has_perm("lawbuilding.approve_report")
    assert reviewer_user.has_perm("lawbuilding.publish_report")
    assert not reviewer_user.has_perm("lawbuilding.submit_report")
