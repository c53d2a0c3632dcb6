"""The leadership dashboard at /dashboard/: who may see it, what it counts, where it links."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from core.models import Organization
from disclosure.models import DisclosureItem
from lawbuilding.models import PlanSection, PlanTask, WorkPlan
from supervision.models import (
    Country,
    Delegation,
    DelegationMember,
    DelegationStop,
    HonoraryCitizenNotice,
    Nominee,
    NoticeComment,
    Proposal,
)
from trainings.models import Law, StudySession

URL = "/dashboard/"


@pytest.fixture(autouse=True)
def plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def leader(leadership_user) -> User:
    return leadership_user


@pytest.fixture
def clerk(data_entry_user) -> User:
    return data_entry_user


@pytest.fixture
def reviewer(reviewer_user) -> User:
    return reviewer_user


@pytest.fixture
def outsider(staff_without_role) -> User:
    """A signed-in account holding no role at all."""
    return staff_without_role


def _office() -> Organization:
    return Organization.objects.get_or_create(
        org_code="014109568",
        defaults={"full_name": "常州市人民政府外事办公室", "short_name": "市外事办"},
    )[0]


@pytest.fixture
def records(db):
    """A small 2021 and 2020 whose every figure is known."""
    office = _office()
    d = datetime.date

    plan = WorkPlan.objects.create(organization=office, year=2021, title="2021年工作要点")
    section = PlanSection.objects.create(plan=plan, order=1, title="依法全面履行政府职能")
    PlanTask.objects.create(
        section=section, number=1, body="创优营商环境", status="done", completed_on=d(2021, 5, 1)
    )
    PlanTask.objects.create(
        section=section,
        number=2,
        body="依法防控重大风险",
        status="in_progress",
        due_on=d(2021, 6, 30),
    )
    PlanTask.objects.create(section=section, number=3, body="规范文件管理")
    old_plan = WorkPlan.objects.create(organization=office, year=2020, title="2020年工作要点")
    old_section = PlanSection.objects.create(plan=old_plan, order=1, title="一")
    for number in (1, 2):
        PlanTask.objects.create(
            section=old_section,
            number=number,
            body="任务",
            status="done",
            completed_on=d(2020, 9, 1),
        )

    secrecy = Law.objects.create(
        title="中华人民共和国保守国家秘密法", short_title="保密法", kind="law"
    )
    archives = Law.objects.create(title="中华人民共和国档案法", short_title="档案法", kind="law")
    civil = Law.objects.create(title="中华人民共和国民法典", short_title="民法典", kind="law")
    for month in (3, 6, 9, 12):
        session = StudySession.objects.create(
            date=d(2021, month, 15),
            title="党组理论学习中心组学法",
            kind="center_group",
            participants=10,
        )
        session.laws.add(secrecy if month < 9 else archives)
    lecture = StudySession.objects.create(date=d(2021, 5, 20), title="民法典讲座", kind="lecture")
    lecture.laws.add(civil)
    StudySession.objects.create(
        date=d(2020, 4, 1), title="党组理论学习中心组学法", kind="center_group", participants=8
    )

    Proposal.objects.create(
        kind="cppcc", year=2021, number="0209", title="关于加大“荣誉市民”评选力度的建议",
        assigned_on=d(2021, 3, 1), due_on=d(2021, 6, 1), replied_on=d(2021, 5, 20),
        result_class="A", satisfaction="satisfied",
    )  # fmt: skip
    Proposal.objects.create(
        kind="cppcc", year=2021, number="0303",
        title="关于将西太湖国际社区打造成标杆性国际社区的建议",
        assigned_on=d(2021, 3, 1), due_on=d(2021, 6, 1), replied_on=d(2021, 6, 1),
        result_class="B", satisfaction="basically",
    )  # fmt: skip
    Proposal.objects.create(
        kind="npc", year=2021, number="0400", title="尚未答复的建议",
        assigned_on=d(2021, 9, 1), due_on=d(2021, 12, 1),
    )  # fmt: skip
    Proposal.objects.create(
        kind="cppcc", year=2020, number="0100", title="逾期答复的提案",
        assigned_on=d(2020, 3, 1), due_on=d(2020, 6, 1), replied_on=d(2020, 6, 11),
        result_class="C",
    )  # fmt: skip

    notice = HonoraryCitizenNotice.objects.create(
        batch=18, title="第十八批“常州市荣誉市民”拟授予对象公示",
        notice_start=d(2021, 11, 1), notice_end=d(2021, 11, 7),
    )  # fmt: skip
    for order in range(7):
        Nominee.objects.create(
            notice=notice, name=f"Nominee {order}", nationality="德国", employer="常州某企业",
            years_in_city=3, contribution="促进交流", order=order,
        )  # fmt: skip
    NoticeComment.objects.create(notice=notice, content="支持")
    NoticeComment.objects.create(
        notice=notice, content="已采纳", status="accepted", handled_at=timezone.now()
    )

    germany = Country.objects.create(name="德国", region="europe")
    trip = Delegation.objects.create(
        name="赴德国经贸交流团", unit="市外办", leader="王某",
        departure_on=d(2021, 4, 1), return_on=d(2021, 4, 5),
        pre_notice_start=d(2021, 3, 10), pre_notice_end=d(2021, 3, 16),
        education_on=d(2021, 3, 20), in_trip_checked_on=d(2021, 4, 3),
        post_trip_checked_on=d(2021, 4, 20),
    )  # fmt: skip
    big = Delegation.objects.create(
        name="超员团组", unit="市某局", leader="李某",
        departure_on=d(2021, 9, 1), return_on=d(2021, 9, 3),
        post_trip_checked_on=d(2021, 9, 30), post_trip_findings="出访报告报回较晚",
    )  # fmt: skip
    for delegation, size in ((trip, 2), (big, 7)):
        DelegationStop.objects.create(delegation=delegation, country=germany)
        for n in range(size):
            DelegationMember.objects.create(delegation=delegation, name=f"成员{n}", unit="市某局")

    def item(serial, title, **fields):
        return DisclosureItem.objects.create(
            organization=office,
            title=title,
            index_number=f"014109568/{fields['generated_on'].year}-{serial:05d}",
            category="other",
            publisher=office.full_name,
            summary=fields.pop("summary", title),
            status="published" if fields.get("published_on") else "draft",
            **fields,
        )

    item(1, "关于在常外籍人士接种疫苗的通知", generated_on=d(2021, 3, 1),
         published_on=d(2021, 3, 1), view_count=100)  # fmt: skip
    item(2, "法律顾问管理办法", generated_on=d(2021, 5, 1), published_on=d(2021, 5, 1),
         view_count=50, summary="")  # fmt: skip
    item(3, "未公开的草稿", generated_on=d(2021, 7, 1))
    item(1, "市外事办2021年政府信息公开工作年度报告", generated_on=d(2022, 1, 20),
         published_on=d(2022, 1, 20))  # fmt: skip


def _figures(response, panel: str) -> dict:
    data = response.context["data"]
    return {f.key: (f.value, f.previous) for f in data.panels[panel].figures}


# --- access ----------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_admin_login_and_back(client, db):
    response = client.get(URL + "?year=2021")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/dashboard/%3Fyear%3D2021"


@pytest.mark.parametrize("persona", ["leader", "clerk", "reviewer", "administrator"])
def test_office_roles_see_the_dashboard(client, db, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "法治政府建设工作驾驶舱" in response.content.decode()


def test_signed_in_user_without_the_permission_is_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "pdf/").status_code == 403


def test_the_permission_opens_the_dashboard_to_staff_only(client, outsider):
    """The dashboard is a staff page: the permission opens it to a staff account, and an
    account outside the staff is refused even when it holds the permission."""
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    outsider.is_staff = False
    outsider.save()
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    outsider.is_staff = True
    outsider.save()
    assert client.get(URL).status_code == 200


def test_inactive_leader_is_refused(client, leader):
    leader.is_active = False
    leader.save()
    client.force_login(leader)
    assert client.get(URL).status_code in (302, 403)


# --- year selection --------------------------------------------------------------------------


# The default year (the one being reported on) is tested in tests/dashboard/test_dashboard_year.py.


@pytest.mark.parametrize("bad", ["abc", "1999", "2101", "", "2021.5", "２０２１x", "-1"])
def test_bad_year_gives_a_chinese_error_and_no_figures(client, leader, bad):
    client.force_login(leader)
    before = StudySession.objects.count()
    response = client.get(URL, {"year": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "年度应为 2000 至 2100 之间的整数。" in body or "请选择年度。" in body
    assert "data" not in response.context or response.context["data"] is None
    assert StudySession.objects.count() == before  # reading never writes records
    assert client.get(URL + "pdf/", {"year": bad}).status_code == 400


# --- figures ---------------------------------------------------------------------------------


def test_work_plan_panel_counts_tasks_by_status_with_completion_and_overdue(
    client, leader, records
):
    client.force_login(leader)
    figures = _figures(client.get(URL, {"year": 2021}), "plan")
    assert figures["total"] == (3, 2)
    assert figures["done"] == (1, 2)
    assert figures["in_progress"] == (1, 0)
    assert figures["not_started"] == (1, 0)
    assert figures["percent_done"] == (33.3, 100.0)
    assert figures["overdue"] == (1, 0)


def test_learning_panel_counts_sessions_participants_and_laws(client, leader, records):
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    figures = _figures(response, "learning")
    assert figures["total"] == (5, 1)
    assert figures["center_group"] == (4, 1)
    assert figures["lecture"] == (1, 0)
    assert figures["participants"] == (40, 8)
    assert figures["laws"] == (3, 0)
    months = {m: (now, before) for m, now, before in response.context["data"].panels[
        "learning"].extra["months"]}  # fmt: skip
    assert months[3] == (1, 0) and months[4] == (0, 1) and months[5] == (1, 0)


def test_proposals_panel_counts_replies_deadlines_classes_and_satisfaction(client, leader, records):
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    figures = _figures(response, "proposals")
    assert figures["received"] == (3, 1)
    assert figures["replied"] == (2, 1)
    assert figures["in_time"] == (2, 0)
    assert figures["in_time_rate"] == (100.0, 0.0)
    assert figures["overdue"] == (1, 1)
    assert figures["class_A"] == (1, 0)
    assert figures["class_B"] == (1, 0)
    assert figures["class_C"] == (0, 1)
    assert figures["sat_satisfied"] == (1, 0)
    assert figures["sat_basically"] == (1, 0)
    late = response.context["data"].panels["proposals"].extra["late"]
    assert [row["number"] for row in late] == ["0400"]
    assert late[0]["days_late"] == (timezone.localdate() - datetime.date(2021, 12, 1)).days
    assert "0400" in response.content.decode()


def test_notices_panel_counts_nominees_and_comments_awaiting_moderation(client, leader, records):
    client.force_login(leader)
    figures = _figures(client.get(URL, {"year": 2021}), "notices")
    assert figures["total"] == (1, 0)
    assert figures["closed"] == (1, 0)
    assert figures["open"] == (0, 0)
    assert figures["nominees"] == (7, 0)
    assert figures["pending"] == (1, 0)


def test_delegations_panel_counts_checks_findings_and_rule_violations(client, leader, records):
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    figures = _figures(response, "delegations")
    assert figures["total"] == (2, 0)
    assert figures["members"] == (9, 0)
    assert figures["pre_notice"] == (1, 0)
    assert figures["education"] == (1, 0)
    assert figures["in_trip"] == (1, 0)
    assert figures["post_trip"] == (2, 0)
    assert figures["findings"] == (1, 0)
    assert figures["violations"] == (1, 0)
    assert "团组人数 7 人，超过规定的 6 人（含翻译）。" in response.content.decode()


def test_disclosure_panel_counts_publications_views_and_missing_fields(client, leader, records):
    client.force_login(leader)
    figures = _figures(client.get(URL, {"year": 2021}), "disclosure")
    assert figures["published"] == (2, 0)
    assert figures["views"] == (150, 0)
    assert figures["missing"] == (1, 0)


def test_deadlines_fall_in_the_following_year(client, leader, records):
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    deadlines = response.context["data"].panels["report"].extra["deadlines"]
    assert [d.due_on for d in deadlines] == [
        datetime.date(2022, 3, 1),
        datetime.date(2022, 4, 1),
        datetime.date(2022, 1, 31),
    ]
    today = timezone.localdate()
    assert deadlines[0].days_left == (datetime.date(2022, 3, 1) - today).days
    # The disclosure work report for 2021 was published on 2022-01-20.
    assert deadlines[2].met is True


def test_deadlines_of_the_current_year_count_the_days_left(client, leader):
    client.force_login(leader)
    today = timezone.localdate()
    response = client.get(URL, {"year": today.year})
    deadlines = response.context["data"].panels["report"].extra["deadlines"]
    assert deadlines[0].days_left == (datetime.date(today.year + 1, 3, 1) - today).days > 0
    assert "还有" in response.content.decode()


# --- links -----------------------------------------------------------------------------------


def _check_link(client, url: str, expected: int, sum_field: str = "", value=None) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    assert changelist.result_count == expected, url
    if sum_field:
        assert sum(getattr(obj, sum_field) or 0 for obj in changelist.queryset) == value, url


def test_every_figure_links_to_the_admin_list_of_exactly_the_records_counted(
    client, leader, administrator, records
):
    client.force_login(leader)
    data = client.get(URL, {"year": 2021}).context["data"]
    checked = 0
    for panel in data.panels.values():
        for figure in panel.figures:
            for url, count, value in (
                (figure.url, figure.link_count, figure.value),
                (figure.previous_url, figure.previous_link_count, figure.previous),
            ):
                if url is None:
                    assert count == 0, figure.key  # only empty pk lists go without a link
                    continue
                _check_link(client, url, count, figure.sum_field, value)
                checked += 1
    assert checked > 60


def test_leadership_can_open_the_links(client, leader, records):
    """Leadership reads the admin (view permissions), so the drill-down works for them."""
    client.force_login(leader)
    data = client.get(URL, {"year": 2021}).context["data"]
    figure = data.panels["learning"].figure("center_group")
    assert figure.url == ("/admin/trainings/studysession/?kind__exact=center_group&date__year=2021")
    _check_link(client, figure.url, 4)


def test_month_links_list_the_sessions_of_that_month(client, leader, records):
    client.force_login(leader)
    data = client.get(URL, {"year": 2021}).context["data"]
    urls = data.panels["learning"].extra["month_urls"]
    _check_link(client, urls[3], 1)
    _check_link(client, urls[4], 0)


def test_each_overdue_proposal_links_to_itself(client, leader, records):
    client.force_login(leader)
    data = client.get(URL, {"year": 2021}).context["data"]
    for row in data.panels["proposals"].extra["late"]:
        response = client.get(row["url"])
        assert [p.number for p in response.context["cl"].queryset] == [row["number"]]


# --- awaiting your action --------------------------------------------------------------------


@pytest.fixture
def due_replies(records):
    today = timezone.localdate()
    Proposal.objects.create(
        kind="npc", year=today.year, number="0901", title="即将到期的建议",
        assigned_on=today - datetime.timedelta(days=80), due_on=today + datetime.timedelta(days=5),
    )  # fmt: skip
    Proposal.objects.create(
        kind="npc", year=today.year, number="0902", title="还早的建议",
        assigned_on=today, due_on=today + datetime.timedelta(days=60),
    )  # fmt: skip


def _actions(response) -> dict:
    return {str(item.label): item for item in response.context["data"].actions}


def test_clerk_is_shown_replies_due_within_14_days_and_overdue_ones(client, clerk, due_replies):
    client.force_login(clerk)
    response = client.get(URL)
    actions = _actions(response)
    soon = actions["14 天内到期的提案答复"]
    assert soon.count == 1 and soon.rows[0]["number"] == "0901"
    assert soon.rows[0]["days_left"] == 5
    _check_link(client, soon.url, 1)
    late = actions["已逾期尚未答复的提案"]
    assert [row["number"] for row in late.rows] == ["0400"]
    _check_link(client, late.url, 1)
    assert "待审核的公示意见" not in actions  # data entry does not moderate
    assert "还有 5 天" in response.content.decode()


def test_reviewer_is_shown_comments_to_moderate(client, reviewer, records):
    client.force_login(reviewer)
    actions = _actions(client.get(URL))
    item = actions["待审核的公示意见"]
    assert item.count == 1
    _check_link(client, item.url, 1)
    assert "14 天内到期的提案答复" not in actions  # reviewers do not draft replies


def test_leader_without_duties_is_told_nothing_awaits(client, leader, records):
    client.force_login(leader)
    response = client.get(URL)
    assert _actions(response) == {}
    assert "没有需要您处理的事项。" in response.content.decode()


# --- charts ----------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_title_description_and_text_values(client, leader, records):
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    body = response.content.decode()
    for chart_id in ("chart-plan", "chart-kinds", "chart-months", "chart-classes"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in body
        assert f'<title id="{chart_id}-title">' in body
        assert f'<desc id="{chart_id}-desc">' in body
    assert body.count('role="img"') >= 4
    # The description carries the data itself, for screen readers.
    assert "2021年：党组理论学习中心组学法 4次" in body
    assert "<script" not in body.split("<main", 1)[1]


# --- the annual report workflow --------------------------------------------------------------


@pytest.fixture
def roles_synced(db):
    """Groups get the permissions of models migrated after the roles were first created
    (the report's approve_report), as `load_demo` and `manage.py sync_roles` do."""
    from accounts.roles import sync_roles

    sync_roles()


def _report(status: str, **fields):
    from lawbuilding.models import AnnualReport

    return AnnualReport.objects.create(
        organization=_office(), year=2021, title="2021年度法治政府建设情况报告", status=status,
        **fields,
    )  # fmt: skip


def test_reviewer_is_shown_the_report_awaiting_review(client, reviewer, roles_synced, records):
    _report("submitted")
    client.force_login(reviewer)
    response = client.get(URL)
    item = _actions(response)["待审核的年度报告"]
    assert item.count == 1
    _check_link(client, item.url, 1)
    assert "2021年度报告" in response.content.decode()


def test_leader_is_not_asked_to_review_reports(client, leader, roles_synced, records):
    _report("submitted")
    client.force_login(leader)
    assert "待审核的年度报告" not in _actions(client.get(URL))


def test_report_panel_shows_the_workflow_status_and_unmet_deadlines(
    client, leader, roles_synced, records
):
    _report("submitted")
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    extra = response.context["data"].panels["report"].extra
    assert extra["status"] == "submitted"
    assert extra["status_display"] == "待审核"
    assert [d.met for d in extra["deadlines"][:2]] == [False, False]
    _check_link(client, extra["report_url"], 1)
    assert "已逾期" in response.content.decode()


def test_published_report_meets_both_deadlines(client, leader, records):
    seed_page = DisclosureItem.objects.get(title__contains="政府信息公开工作年度报告")
    _report(
        "published",
        approved_on=datetime.date(2022, 2, 25),
        published_on=datetime.date(2022, 3, 22),
        pdf_sha256="0" * 64,
        disclosure=seed_page,
    )
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    submitted, published, _disclosure = response.context["data"].panels["report"].extra["deadlines"]
    assert (submitted.met, submitted.done_on, submitted.days_late) == (
        True,
        datetime.date(2022, 2, 25),
        0,
    )
    assert (published.met, published.done_on) == (True, datetime.date(2022, 3, 22))
    assert "已按期完成（2022-03-22）" in response.content.decode()


def test_late_approval_is_shown_with_the_days_late(client, leader, records):
    _report("approved", approved_on=datetime.date(2022, 3, 11), pdf_sha256="0" * 64)
    client.force_login(leader)
    response = client.get(URL, {"year": 2021})
    submitted = response.context["data"].panels["report"].extra["deadlines"][0]
    assert submitted.days_late == 10
    page = response.content.decode()
    assert "逾期完成：晚于期限 10 天" in page
    assert "✓" not in page.split("逾期完成")[0].rsplit("<tr", 1)[-1]


def test_a_year_without_records_shows_zeros_and_no_broken_links(client, leader, administrator):
    client.force_login(leader)
    response = client.get(URL, {"year": 2005})
    assert response.status_code == 200
    data = response.context["data"]
    for panel in data.panels.values():
        for figure in panel.figures:
            assert figure.value in (0, None), figure.key
    assert data.panels["plan"].figure("percent_done").value is None  # no tasks, no rate
    assert data.panels["learning"].figure("laws").url is None  # an empty key list links nowhere
    client.force_login(administrator)
    _check_link(client, data.panels["learning"].figure("total").url, 0)


def test_reviewer_is_not_asked_to_approve_a_report_they_submitted(
    client, reviewer, roles_synced, records
):
    _report("submitted", submitted_by=reviewer)
    client.force_login(reviewer)
    item = _actions(client.get(URL))["待审核的年度报告"]
    assert item.count == 0
    assert item.url is None
