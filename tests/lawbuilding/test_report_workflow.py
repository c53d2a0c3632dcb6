"""The report's workflow: draft → submitted → approved → published, with return for revision.
Each role may do exactly its part, forbidden transitions are refused with a Chinese message
and change nothing, and every transition leaves an audit entry with user, time and comment."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lawbuilding import services
from lawbuilding.models import AnnualReport, ReportEvent
from tests.publication_gate import review_report
from tests.report_records import complete_parts, make_office, make_year_2021

Status = AnnualReport.Status
Action = ReportEvent.Action

pytestmark = pytest.mark.usefixtures("local_admin", "report_media")


@pytest.fixture
def report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(db):
    office = make_office()
    make_year_2021(office)
    return office


@pytest.fixture
def draft(office, data_entry_user):
    report, _warnings = services.report_create(year=2021, user=data_entry_user, organization=office)
    complete_parts(report)
    return report


@pytest.fixture
def submitted(draft, data_entry_user):
    return services.report_submit(report=draft, user=data_entry_user, comment="请审核")


@pytest.fixture
def approved(submitted, reviewer_user):
    report = services.report_approve(
        report=submitted, user=reviewer_user, on=datetime.date(2022, 2, 25)
    )
    review_report(report, reviewer_user)
    return report


def status_of(report) -> str:
    return AnnualReport.objects.get(pk=report.pk).status


# --- who may do what --------------------------------------------------------------------


def test_data_entry_staff_draft_and_submit_a_report(draft, data_entry_user):
    assert draft.status == Status.DRAFT
    assert draft.created_by == data_entry_user
    services.report_submit(report=draft, user=data_entry_user)
    assert status_of(draft) == Status.SUBMITTED


def test_data_entry_staff_cannot_approve_report(submitted, data_entry_user):
    with pytest.raises(PermissionDenied, match="没有“审核通过”年度报告的权限"):
        services.report_approve(report=submitted, user=data_entry_user)
    assert status_of(submitted) == Status.SUBMITTED


def test_data_entry_staff_cannot_publish_report(approved, data_entry_user):
    with pytest.raises(PermissionDenied, match="公开发布"):
        services.report_publish(report=approved, user=data_entry_user)
    assert status_of(approved) == Status.APPROVED


def test_reviewer_cannot_draft_or_submit_a_report(office, draft, reviewer_user):
    with pytest.raises(PermissionDenied, match="起草"):
        services.report_create(year=2020, user=reviewer_user, organization=office)
    with pytest.raises(PermissionDenied, match="提交审核"):
        services.report_submit(report=draft, user=reviewer_user)
    assert status_of(draft) == Status.DRAFT


def test_reviewer_approves_a_submitted_report_and_freezes_its_pdf(submitted, reviewer_user):
    report = services.report_approve(
        report=submitted, user=reviewer_user, comment="同意", on=datetime.date(2022, 2, 25)
    )
    assert report.status == Status.APPROVED
    assert report.approved_by == reviewer_user
    assert report.approved_on == datetime.date(2022, 2, 25)
    assert len(report.pdf_sha256) == 64
    assert services.report_pdf_bytes(report).startswith(b"%PDF")


def test_reviewer_publishes_an_approved_report(approved, reviewer_user):
    report = services.report_publish(
        report=approved, user=reviewer_user, on=datetime.date(2022, 3, 22)
    )
    assert report.status == Status.PUBLISHED
    assert report.published_by == reviewer_user


def test_reviewer_returns_a_report_with_a_comment(submitted, reviewer_user):
    services.report_return(report=submitted, user=reviewer_user, comment="第三部分数字请核实")
    assert status_of(submitted) == Status.DRAFT
    event = submitted.events.get(action=Action.RETURN)
    assert event.comment == "第三部分数字请核实"
    assert event.user == reviewer_user


def test_returning_without_a_comment_is_refused_and_changes_nothing(submitted, reviewer_user):
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=submitted, user=reviewer_user, comment="  ")
    assert exc.value.messages == ["退回修改时必须填写修改意见。"]
    assert status_of(submitted) == Status.SUBMITTED
    assert not submitted.events.filter(action=Action.RETURN).exists()


def test_returning_an_approved_report_withdraws_its_frozen_pdf(approved, reviewer_user):
    services.report_return(report=approved, user=reviewer_user, comment="需补充第四部分")
    report = AnnualReport.objects.get(pk=approved.pk)
    assert report.status == Status.DRAFT
    assert report.pdf_sha256 == ""
    assert report.approved_on is None


def test_leadership_can_only_read(draft, submitted, leadership_user):
    for action in (services.report_submit, services.report_approve, services.report_publish):
        with pytest.raises(PermissionDenied):
            action(report=submitted, user=leadership_user)
    assert services.report_allowed_actions(report=submitted, user=leadership_user) == []
    assert status_of(submitted) == Status.SUBMITTED


def test_an_anonymous_user_can_do_nothing(submitted):
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, user=AnonymousUser())
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, user=None)


def test_administrator_publishes_an_approved_report(approved, administrator_user):
    report = services.report_publish(
        report=approved, user=administrator_user, on=datetime.date(2022, 3, 22)
    )
    assert report.status == Status.PUBLISHED
    assert report.published_by == administrator_user
    assert report.disclosure.index_number == "014109568/2022-00001"


def test_a_reviewer_cannot_approve_a_report_they_submitted(draft, make_role_user):
    both = make_role_user("录入员", "luru_shenhe")
    both.groups.add(Group.objects.get(name="审核人"))
    both = User.objects.get(pk=both.pk)
    services.report_submit(report=draft, user=both)
    with pytest.raises(PermissionDenied, match="不能审核通过自己提交的报告"):
        services.report_approve(report=draft, user=both)
    assert status_of(draft) == Status.SUBMITTED


# --- forbidden transitions --------------------------------------------------------------


def test_a_draft_cannot_be_approved_or_published(draft, reviewer_user, administrator_user):
    with pytest.raises(ValidationError, match="当前状态为“草稿”，不能审核通过"):
        services.report_approve(report=draft, user=reviewer_user)
    with pytest.raises(ValidationError, match="不能公开发布"):
        services.report_publish(report=draft, user=administrator_user)
    assert status_of(draft) == Status.DRAFT
    assert list(draft.events.values_list("action", flat=True)) == [Action.CREATE]


def test_a_submitted_report_cannot_be_published_or_submitted_again(
    submitted, data_entry_user, administrator_user
):
    with pytest.raises(ValidationError, match="不能公开发布"):
        services.report_publish(report=submitted, user=administrator_user)
    with pytest.raises(ValidationError, match="不能提交审核"):
        services.report_submit(report=submitted, user=data_entry_user)
    assert status_of(submitted) == Status.SUBMITTED


def test_a_published_report_cannot_be_returned_or_approved_again(
    approved, reviewer_user, administrator_user
):
    services.report_publish(report=approved, user=administrator_user, on=datetime.date(2022, 3, 1))
    with pytest.raises(ValidationError, match="已公开发布"):
        services.report_return(report=approved, user=reviewer_user, comment="撤回")
    with pytest.raises(ValidationError):
        services.report_approve(report=approved, user=reviewer_user)
    assert status_of(approved) == Status.PUBLISHED


def test_publishing_before_the_approval_date_is_refused(approved, administrator_user):
    with pytest.raises(ValidationError, match="公开日期不能早于审核通过日期"):
        services.report_publish(
            report=approved, user=administrator_user, on=datetime.date(2022, 2, 1)
        )
    assert status_of(approved) == Status.APPROVED


def test_an_empty_report_cannot_be_submitted(draft, data_entry_user):
    draft.sections.update(included=False)
    with pytest.raises(ValidationError, match="缺少法定内容"):
        services.report_submit(report=draft, user=data_entry_user)
    assert status_of(draft) == Status.DRAFT


# --- the audit trail --------------------------------------------------------------------


def test_the_audit_trail_shows_every_transition_with_user_and_comment(
    draft, data_entry_user, reviewer_user, administrator_user
):
    services.report_submit(report=draft, user=data_entry_user, comment="初稿")
    services.report_return(report=draft, user=reviewer_user, comment="请补充学法情况")
    services.report_submit(report=draft, user=data_entry_user, comment="已补充")
    services.report_approve(
        report=draft, user=reviewer_user, comment="同意", on=datetime.date(2022, 3, 21)
    )
    review_report(draft, reviewer_user)
    services.report_publish(report=draft, user=administrator_user, on=datetime.date(2022, 3, 22))

    trail = [
        (e.action, e.from_status, e.to_status, e.user.username, e.comment)
        for e in draft.events.order_by("at", "pk")
    ]
    assert trail == [
        ("create", "", "draft", "luru_chen", ""),
        ("submit", "draft", "submitted", "luru_chen", "初稿"),
        ("return", "submitted", "draft", "shenhe_liu", "请补充学法情况"),
        ("submit", "draft", "submitted", "luru_chen", "已补充"),
        ("approve", "submitted", "approved", "shenhe_liu", "同意"),
        ("publish", "approved", "published", "guanli_zhou", "索引号 014109568/2022-00001"),
    ]
    assert all(e.at is not None for e in draft.events.all())
    # The report's own history carries the same users and comments.
    history = list(draft.history.order_by("history_date", "history_id"))
    assert [h.status for h in history] == [
        "draft",
        "submitted",
        "draft",
        "submitted",
        "approved",
        "approved",  # the secrecy review, recorded in the report's history
        "published",
    ]
    assert [h.history_user.username for h in history[1:]] == [
        "luru_chen",
        "shenhe_liu",
        "luru_chen",
        "shenhe_liu",
        "shenhe_liu",
        "guanli_zhou",
    ]
    assert history[5].history_change_reason.startswith("经保密审查，可以公开（版本 ")
    assert history[2].history_change_reason == "请补充学法情况"


# --- deadlines --------------------------------------------------------------------------


def test_deadlines_show_days_left_and_days_overdue(draft):
    report_due, publish_due = draft.deadlines(today=datetime.date(2022, 2, 20))
    assert (report_due.due_on, publish_due.due_on) == (
        datetime.date(2022, 3, 1),
        datetime.date(2022, 4, 1),
    )
    assert str(report_due) == "报送期限 2022-03-01：剩余 9 天"
    assert not report_due.is_overdue
    late, _publish = draft.deadlines(today=datetime.date(2022, 3, 4))
    assert str(late) == "报送期限 2022-03-01：已逾期 3 天"
    assert late.is_overdue


def test_a_met_deadline_says_when_it_was_met(approved, administrator_user):
    services.report_publish(report=approved, user=administrator_user, on=datetime.date(2022, 4, 3))
    report = AnnualReport.objects.get(pk=approved.pk)
    report_due, publish_due = report.deadlines(today=datetime.date(2022, 5, 1))
    assert str(report_due) == "报送期限 2022-03-01：已于 2022-02-25 按时完成"
    assert str(publish_due) == "公开期限 2022-04-01：已于 2022-04-03 完成（逾期 2 天）"


# --- the admin --------------------------------------------------------------------------


def action_url(report, action):
    return reverse("admin:lawbuilding_annualreport_action", args=[report.pk, action])


def test_admin_change_page_shows_deadlines_buttons_and_trail(client, submitted, reviewer_user):
    client.force_login(reviewer_user)
    response = client.get(reverse("admin:lawbuilding_annualreport_change", args=[submitted.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "报送期限 2022-03-01" in page
    assert "公开期限 2022-04-01" in page
    assert action_url(submitted, "approve") in page
    assert action_url(submitted, "return") in page
    assert action_url(submitted, "publish") not in page  # only once approved
    assert "请审核" in page  # the submit comment in the trail


def test_reviewer_approves_through_the_admin(client, submitted, reviewer_user):
    client.force_login(reviewer_user)
    response = client.post(action_url(submitted, "approve"), {"comment": "同意发布"})
    assert response.status_code == 302
    assert status_of(submitted) == Status.APPROVED
    event = submitted.events.get(action=Action.APPROVE)
    assert (event.user, event.comment) == (reviewer_user, "同意发布")


def test_data_entry_staff_approving_through_the_admin_is_refused(
    client, submitted, data_entry_user
):
    client.force_login(data_entry_user)
    response = client.post(action_url(submitted, "approve"), follow=True)
    assert "您没有“审核通过”年度报告的权限。" in response.content.decode()
    assert status_of(submitted) == Status.SUBMITTED


def test_admin_workflow_actions_need_a_post(client, submitted, reviewer_user):
    client.force_login(reviewer_user)
    assert client.get(action_url(submitted, "approve")).status_code == 405
    assert status_of(submitted) == Status.SUBMITTED


def test_anonymous_visitors_are_sent_to_the_login_page(client, submitted):
    response = client.post(action_url(submitted, "approve"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert status_of(submitted) == Status.SUBMITTED


def test_data_entry_staff_generate_a_draft_in_the_admin(client, office, data_entry_user):
    client.force_login(data_entry_user)
    url = reverse("admin:lawbuilding_annualreport_generate")
    assert client.get(reverse("admin:lawbuilding_annualreport_add")).url == url
    response = client.post(url, {"year": "2021"})
    report = AnnualReport.objects.get()
    assert response.url == reverse("admin:lawbuilding_annualreport_change", args=[report.pk])


def test_generating_for_a_year_without_records_shows_the_reason(client, office, data_entry_user):
    client.force_login(data_entry_user)
    response = client.post(reverse("admin:lawbuilding_annualreport_generate"), {"year": "2012"})
    assert response.status_code == 200
    assert "没有2012年度的工作记录，无法生成报告。" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_the_admin_asks_before_overwriting_edited_text(client, draft, data_entry_user):
    from lawbuilding.models import WorkQuantity

    section = draft.sections.get(key="theme-risk")
    section.body += "人工补充。"
    section.save()
    quantity = WorkQuantity.objects.get(key="transfer_batches")
    quantity.value = 30
    quantity.save()
    client.force_login(data_entry_user)
    url = reverse("admin:lawbuilding_annualreport_regenerate", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "已人工修改" in page
    proposed = re.sub(r"<del>.*?</del>|</?ins>", "", page)
    assert "全年共派遣30批80人次" in proposed
    assert "<ins>" in page and "<del>" in page
    assert 'name="overwrite" value="theme-risk"' in page
    section.refresh_from_db()
    assert "20批" in section.body  # looking changes nothing
    client.post(url, {})
    section.refresh_from_db()
    assert section.body.endswith("人工补充。")
    client.post(url, {"overwrite": "theme-risk"})
    section.refresh_from_db()
    assert "30批" in section.body


def test_an_approved_report_is_read_only_in_the_admin(client, approved, data_entry_user):
    client.force_login(data_entry_user)
    url = reverse("admin:lawbuilding_annualreport_change", args=[approved.pk])
    response = client.post(url, {"title": "改动后的标题", "summary": "x"})
    assert response.status_code == 403
    assert AnnualReport.objects.get(pk=approved.pk).title == approved.title


def test_admin_serves_the_frozen_pdf(client, approved, leadership_user):
    client.force_login(leadership_user)
    response = client.get(reverse("admin:lawbuilding_annualreport_pdf", args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == services.report_pdf_bytes(approved)
