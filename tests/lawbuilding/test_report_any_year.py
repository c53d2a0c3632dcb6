"""The annual report of any year: every statutory part present, a gate that refuses an
incomplete report with its reasons, every kind of record told in its own sentence, nothing of
another year; the demo's 2021 report as published; the PDF's GB/T 9704-2012 details."""

import datetime
import io
import subprocess
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from core.models import Organization
from disclosure.models import DisclosureItem
from lawbuilding import report_text, reports, services
from lawbuilding.models import (
    AnnualReport,
    InstitutionalDocument,
    LeadingGroup,
    LeadingGroupMember,
    LegalAdviserEngagement,
    LegalService,
    Person,
    PlanSection,
    PlanTask,
    ReportEvent,
    ReportSection,
    WorkPlan,
    WorkQuantity,
    WorkRecord,
)
from supervision.models import (
    Country,
    Delegation,
    DelegationMember,
    DelegationStop,
    HonoraryCitizenNotice,
    Nominee,
    Proposal,
)
from tests.publication_gate import review_report
from tests.report_records import OFFICE, make_office, make_year_2021
from trainings.models import Law, StudySession

PLACEHOLDER = "本年度无相关记录：请补充或说明。"
STATUTORY = [
    "存在的不足和原因",
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "其他需要报告的情况",
]
THEMES = [
    "一、党组重视，引领法治政府建设",
    "二、建章立制，完善法治建设内容",
    "三、压实责任，依法防范重大风险",
    "四、强化监督，推进科学民主决策",
    "五、加强学习，提升依法行政能力",
]
FOUNDED_2021 = "成立由办党组书记、主任张宇为组长的依法行政工作领导小组"


@pytest.fixture(autouse=True)
def report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(db):
    office = make_office()
    make_year_2021(office)  # another year on record: none of it may reach later reports
    return office


def day(year, month, d):
    return datetime.date(year, month, d)


def plan_for(office, year: int, tasks=("落实重大决策程序。", "加强行政监督。")) -> WorkPlan:
    plan = WorkPlan.objects.create(organization=office, year=year, title=f"{year}年工作安排")
    plan.preamble = "市外办全力抓好法治政府建设工作。"
    plan.save()
    section = PlanSection.objects.create(plan=plan, order=1, title="推进依法科学民主决策")
    for number, body in enumerate(tasks, start=1):
        PlanTask.objects.create(section=section, number=number, body=body)
    return plan


def country(name, region="europe"):
    return Country.objects.get_or_create(name=name, defaults={"region": region})[0]


def delegation(year, name, countries, members, *, approval="批-001", checked=True, days=5):
    start = day(year, 5, 6)
    trip = Delegation.objects.create(
        name=name,
        unit="常州市某局",
        leader=members[0],
        approval_number=approval,
        departure_on=start,
        return_on=start + datetime.timedelta(days=days - 1),
        pre_notice_start=day(year, 4, 20) if checked else None,
        pre_notice_end=day(year, 4, 26) if checked else None,
        education_on=day(year, 4, 28) if checked else None,
        in_trip_checked_on=start + datetime.timedelta(days=1) if checked else None,
        post_trip_checked_on=day(year, 6, 1) if checked else None,
        post_notice_on=day(year, 5, 25) if checked else None,
    )
    for order, name_ in enumerate(countries, start=1):
        DelegationStop.objects.create(delegation=trip, country=country(name_), order=order)
    for member in members:
        DelegationMember.objects.create(delegation=trip, name=member, unit="常州市某局")
    return trip


# --- three years ------------------------------------------------------------------------


@pytest.fixture
def year_partial(office):
    """2023: study sessions and a proposal only, and the 2024 plan."""
    StudySession.objects.create(
        date=day(2023, 4, 12),
        title="《个人信息保护法》与涉外数据合规",
        kind=StudySession.Kind.LECTURE,
        speaker_name="李明",
        speaker_post="律师",
        speaker_org="某律师事务所",
    )
    Proposal.objects.create(
        kind=Proposal.Kind.NPC,
        year=2023,
        number="0112",
        title="关于优化外籍人才来常服务的建议",
        assigned_on=day(2023, 3, 1),
        due_on=day(2023, 6, 1),
        replied_on=day(2023, 5, 20),
    )
    plan_for(office, 2024)
    return 2023


@pytest.fixture
def year_delegations_only(office):
    """2024: two delegations and a refused application; no plan for 2025."""
    delegation(2024, "赴法国友城交流团", ["法国"], ["周某", "钱某", "孙某"])
    delegation(2024, "赴日本经贸交流团", ["日本"], ["吴某", "郑某"], checked=False)
    # Seven countries, eleven days, no approval number: refused.
    delegation(
        2024,
        "赴南美多国考察团",
        ["巴西", "阿根廷", "智利", "秘鲁"],
        ["甲", "乙", "丙", "丁", "戊", "己", "庚"],
        approval="",
        days=11,
    )
    return 2024


@pytest.fixture
def year_everything(office):
    """2022: a record of every kind."""
    chief = Person.objects.create(name="王强", post="办党组书记、主任", unit=OFFICE)
    group = LeadingGroup.objects.create(
        organization=office, name="法治建设领导小组", established_on=day(2022, 2, 10)
    )
    LeadingGroupMember.objects.create(
        group=group, person=chief, role=LeadingGroupMember.Role.LEADER, post="办党组书记、主任"
    )
    LeadingGroup.objects.create(
        organization=office, name="保密工作领导小组", adjusted_on=day(2022, 6, 1)
    )
    LeadingGroup.objects.create(organization=office, name="无日期的小组")
    for title, kind in (
        ("常州市人民政府外事办公室2022年法治政府工作要点", "key_points"),
        ("常州市人民政府外事办公室党组议事规则", "rules_of_procedure"),
        ("关于做好外籍人士疫苗接种工作的通知", "notice"),
        ("江苏省外事工作条例", "interpretation"),
        ("外事工作应急手册", "handbook"),
        ("党组落实全面从严治党主体责任清单（2022年修订）", "responsibility_list"),
    ):
        InstitutionalDocument.objects.create(title=title, kind=kind, adopted_on=day(2022, 3, 1))
    lawyer = Person.objects.create(name="陈律", post="律师", unit="明理律师事务所")
    engagement = LegalAdviserEngagement.objects.create(
        law_firm="明理律师事务所",
        agreement_signed_on=day(2022, 1, 5),
        start_on=day(2022, 1, 5),
        end_on=day(2023, 1, 4),
    )
    engagement.lawyers.add(lawyer)
    LegalService.objects.create(
        engagement=engagement, kind="review", date=day(2022, 7, 1), description="审查合同"
    )
    law = Law.objects.create(title="中华人民共和国对外关系法", short_title="对外关系法")
    center = StudySession.objects.create(
        date=day(2022, 3, 3), title="中心组学法", kind=StudySession.Kind.CENTER_GROUP
    )
    center.laws.add(law)
    for title, kind, extra in (
        ("涉外法律", StudySession.Kind.LECTURE, {"speaker_name": "刘教授"}),
        ("庭审直播", StudySession.Kind.COURT_HEARING, {"audience": "全体人员"}),
        ("依法行政", StudySession.Kind.TRAINING, {"organiser": "省外办"}),
        ("宪法宣传周", StudySession.Kind.PUBLICITY, {}),
        ("民法典知识", StudySession.Kind.ONLINE_QUIZ, {}),
        ("涉外企业法律服务", StudySession.Kind.JOINT_SERVICE, {"partners": "市仲裁委"}),
    ):
        StudySession.objects.create(date=day(2022, 9, 1), title=title, kind=kind, **extra)
    Proposal.objects.create(
        kind=Proposal.Kind.CPPCC,
        year=2022,
        number="0401",
        title="关于建设国际化社区的建议",
        assigned_on=day(2022, 3, 1),
        due_on=day(2022, 6, 1),
        replied_on=day(2022, 5, 10),
    )
    notice = HonoraryCitizenNotice.objects.create(
        batch=19,
        title="第十九批荣誉市民公示",
        notice_start=day(2022, 9, 1),
        notice_end=day(2022, 9, 10),
    )
    for i in range(3):
        Nominee.objects.create(
            notice=notice,
            name=f"N{i}",
            nationality="法国",
            employer="某企业",
            contribution="交流",
            order=i,
        )
    delegation(2022, "赴德国交流团", ["德国"], ["甲某", "乙某"])
    record = WorkRecord.objects.create(
        year=2022,
        theme="risk",
        title="涉外安全工作",
        narrative="全年处置涉外突发事件{incidents}。",
    )
    WorkQuantity.objects.create(
        record=record, key="incidents", label="涉外突发事件", value=Decimal(6), unit="件"
    )
    plan_for(office, 2023)
    return 2022


def text_of(office, year) -> str:
    draft = reports.generate(organization=office, year=year)
    return reports.plain_text(draft.title, draft.sections)


# --- every statutory part, every year ---------------------------------------------------


@pytest.mark.parametrize("fixture", ["year_partial", "year_delegations_only", "year_everything"])
def test_every_statutory_part_is_in_every_years_draft(request, office, fixture):
    year = request.getfixturevalue(fixture)
    text = text_of(office, year)
    for heading in THEMES:
        assert heading in text, heading
    for number, heading in zip(("六", "七", "八"), STATUTORY, strict=True):
        assert f"{number}、{heading}\n" in text
    assert f"{OFFICE}{year}年度法治政府建设情况报告" in text


def test_themes_without_records_stay_with_a_placeholder(office, year_partial):
    draft = reports.generate(organization=office, year=year_partial)
    by_key = {s.key: s for s in draft.sections}
    assert by_key["theme-risk"].body == PLACEHOLDER
    assert by_key["theme-institutions"].body == PLACEHOLDER
    assert by_key["theme-risk"].included
    assert "人大代表第0112号建议" in by_key["theme-supervision"].body
    text = reports.plain_text(draft.title, draft.sections)
    assert f"三、压实责任，依法防范重大风险\n{PLACEHOLDER}" in text


# --- the completeness gate --------------------------------------------------------------


def messages_of(exc) -> list[str]:
    return exc.value.messages


def test_the_gate_refuses_submission_and_lists_its_reasons(
    office, year_partial, data_entry_user, reviewer_user, client, local_admin
):
    report, _warnings = services.report_create(
        year=year_partial, user=data_entry_user, organization=office
    )
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=data_entry_user)
    reasons = messages_of(exc)
    assert any("“压实责任，依法防范重大风险”仍是占位文字" in r for r in reasons)
    assert any("“存在的不足和原因”仍是占位文字" in r for r in reasons)
    assert all(exc.value.error_list[i].code == "incomplete" for i in range(len(reasons)))
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"

    # The same reasons, in Chinese, on the report's admin page.
    client.force_login(data_entry_user)
    page = client.get(reverse("admin:lawbuilding_annualreport_change", args=[report.pk]))
    html = page.content.decode()
    assert "尚不能提交或审核通过" in html
    assert "“存在的不足和原因”仍是占位文字" in html


def test_confirming_a_part_empty_needs_a_reason_and_is_logged(
    office, year_partial, data_entry_user, reviewer_user
):
    report, _warnings = services.report_create(
        year=year_partial, user=data_entry_user, organization=office
    )
    sections = {s.key: s for s in report.sections.all()}
    with pytest.raises(ValidationError, match="必须说明理由"):
        services.report_confirm_empty(
            report=report, section=sections["other"], user=data_entry_user, reason=" "
        )
    with pytest.raises(ValidationError, match="不能确认为无内容"):
        services.report_confirm_empty(
            report=report, section=sections["next-1"], user=data_entry_user, reason="无"
        )
    # Removing a statutory part by unticking it, or typing "无", is not confirming it empty.
    ReportSection.objects.filter(pk=sections["shortcomings"].pk).update(included=False)
    ReportSection.objects.filter(pk=sections["responsibility"].pk).update(body="无。")
    with pytest.raises(
        ValidationError, match="“党政主要负责人履行推进法治建设第一责任人职责情况”只写了“无。”"
    ):
        services.report_submit(report=report, user=data_entry_user)
    for key in ("theme-leadership", "theme-institutions", "theme-risk", "responsibility"):
        section = sections[key]
        section.body = "本年度开展了相关工作。"
        section.save()
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=data_entry_user)
    assert messages_of(exc) == [
        "“其他需要报告的情况”仍是占位文字“本年度无相关记录”，请补充内容或确认本部分无内容。",
        "法定内容“存在的不足和原因”为空：请填写，或确认“本部分无内容”并说明理由。",
    ]
    for key in ("shortcomings", "other"):
        services.report_confirm_empty(
            report=report,
            section=ReportSection.objects.get(pk=sections[key].pk),
            user=data_entry_user,
            reason="本年度无此类情况。",
        )
    services.report_submit(report=report, user=data_entry_user)
    waived = report.events.filter(action=ReportEvent.Action.WAIVE)
    assert waived.count() == 2
    assert "“其他需要报告的情况”本部分无内容：本年度无此类情况。" in {e.comment for e in waived}
    other = ReportSection.objects.get(pk=sections["other"].pk)
    assert (other.included, other.body, other.empty_reason) == (
        False,
        "本部分无内容。",
        "本年度无此类情况。",
    )
    assert "其他需要报告的情况" not in reports.plain_text(report.title, report.sections.all())
    services.report_approve(report=report, user=reviewer_user)


def test_a_missing_plan_for_next_year_is_a_reason(office, year_delegations_only, data_entry_user):
    report, warnings = services.report_create(
        year=year_delegations_only, user=data_entry_user, organization=office
    )
    assert any("尚未录入2025年度工作计划" in w for w in warnings)
    for section in report.sections.all():
        section.body = section.body.replace(PLACEHOLDER, "本年度开展了相关工作。")
        section.save()
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=data_entry_user)
    assert messages_of(exc) == [
        "缺少法定内容“下一年度主要安排”：请先录入2025年度工作计划并重新生成。"
    ]


def test_a_figure_disagreeing_with_the_records_is_refused_on_submission_and_approval(
    office, year_everything, data_entry_user, reviewer_user
):
    report, _warnings = services.report_create(
        year=year_everything, user=data_entry_user, organization=office
    )
    for section in report.sections.all():
        if PLACEHOLDER in section.body:
            section.body = "本年度开展了相关工作。"
            section.save()
    risk = report.sections.get(key="theme-risk")
    assert "全年处置涉外突发事件6件" in risk.body
    risk.body = risk.body.replace("6件", "8件")
    risk.save()
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=data_entry_user)
    assert messages_of(exc) == [
        "“压实责任，依法防范重大风险”中的数字“8件”与记录不符（记录为“6件”）。"
    ]
    risk.body = risk.body.replace("8件", "6件")
    risk.save()
    services.report_submit(report=report, user=data_entry_user)
    # The record changes after submission: the reviewer cannot approve a text it contradicts.
    WorkQuantity.objects.filter(key="incidents").update(value=7)
    with pytest.raises(ValidationError, match="“6件”与记录不符（记录为“7件”）"):
        services.report_approve(report=report, user=reviewer_user)
    assert AnnualReport.objects.get(pk=report.pk).status == "submitted"


# --- every kind of record reaches the text, nothing of another year ----------------------


def test_every_kind_of_record_reaches_the_text(office, year_everything):
    text = text_of(office, year_everything)
    for expected in (
        # leading groups established or changed this year; one without a date is not told
        "成立由办党组书记、主任王强为组长的法治建设领导小组",
        "调整了保密工作领导小组成员",
        # documents of each kind
        "制定了《党组落实全面从严治党主体责任清单（2022年修订）》",
        "《常州市人民政府外事办公室2022年法治政府工作要点》《常州市人民政府外事办公室党组议事规则》",
        "参与编写《外事工作应急手册》",
        "印发《关于做好外籍人士疫苗接种工作的通知》",
        "在市政府网站对《江苏省外事工作条例》作了解读",
        # legal adviser
        "与明理律师事务所签订协议，聘请该所陈律律师为我办法律顾问，全年提供法律服务1次",
        # study sessions and lectures
        "党组理论学习中心组举办1次学法活动，把《对外关系法》等作为学习内容",
        "邀请刘教授以“涉外法律”为题作专题讲座",
        "组织全体人员观看庭审直播",
        "参加省外办举办的“依法行政”培训",
        "举办“宪法宣传周”活动",
        "参与“民法典知识”活动",
        "联合市仲裁委举办“涉外企业法律服务”活动",
        # proposals and notices
        "及时答复了政协第0401号提案《关于建设国际化社区的建议》",
        "对拟授予第十九批“常州市荣誉市民”称号的3名外籍人士在网站进行公示",
        # delegations
        "全年审核因公出国（境）团组1批2人次，出访德国1个国家（地区）",
        # work records with figures
        "全年处置涉外突发事件6件",
        # next year's plan
        "2023年，市外办全力抓好法治政府建设工作。",
        "1.落实重大决策程序。",
    ):
        assert expected in text, expected
    assert "无日期的小组" not in text


def test_a_year_with_only_delegations_reports_them_with_checks_and_refusals(
    office, year_delegations_only
):
    text = text_of(office, year_delegations_only)
    assert "全年审核因公出国（境）团组2批5人次，出访法国、日本2个国家（地区）" in text
    assert "1批按规定进行出访前公示" in text
    assert "对1批团组进行事中检查、1批进行事后检查" in text
    assert "对1批不符合规定的出访申请未予批准（团组人数 7 人，超过规定的 6 人（含翻译）" in text
    # Everything else waits for staff.
    assert text.count(PLACEHOLDER) == 4 + 3 + 1  # four themes, three parts, the plan


def test_no_sentence_of_another_year_appears(office, year_partial, year_everything):
    text_2021 = text_of(office, 2021)
    assert FOUNDED_2021 in text_2021
    for year in (year_partial, year_everything):
        text = text_of(office, year)
        assert FOUNDED_2021 not in text
        assert "依法行政工作领导小组" not in text
        assert "《档案法》讲座" not in text
        assert "第0209号提案" not in text
        assert "第十八批" not in text
        assert "全年共派遣20批" not in text
    assert "王强" not in text_2021 and "陈律" not in text_2021


# --- grammar over awkward titles --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("《档案法》讲座", "邀请市档案馆副馆长张步东作《档案法》讲座"),
        ("《档案法》", "邀请市档案馆副馆长张步东作《档案法》讲座"),
        (
            "《个人信息保护法》与涉外数据合规",
            "邀请市档案馆副馆长张步东以“《个人信息保护法》与涉外数据合规”为题作专题讲座",
        ),
        (
            "《个人信息保护法》与涉外数据合规专题讲座",
            "邀请市档案馆副馆长张步东以“《个人信息保护法》与涉外数据合规”为题作专题讲座",
        ),
        ("“民法典”进机关", "邀请市档案馆副馆长张步东以“‘民法典’进机关”为题作专题讲座"),
        ("讲座", "邀请市档案馆副馆长张步东作专题讲座"),
        ("  数据出境安全评估。", "邀请市档案馆副馆长张步东以“数据出境安全评估”为题作专题讲座"),
    ],
)
def test_lecture_sentences_do_not_depend_on_how_the_title_ends(title, expected):
    assert report_text.lecture(speaker="市档案馆副馆长张步东", title=title) == expected


def test_other_templates_over_awkward_titles():
    assert report_text.lecture(speaker="", title="数据合规") == "举办“数据合规”讲座"
    assert (
        report_text.watched(audience="全体人员", title="观看法庭庭审直播")
        == "组织全体人员观看法庭庭审直播"
    )
    assert report_text.watched(audience="", title="庭审直播") == "组织干部职工观看庭审直播"
    assert (
        report_text.self_study(audience="全体人员", title="《法治政府建设的根本遵循》等文章")
        == "组织全体人员学习《法治政府建设的根本遵循》等文章"
    )
    assert (
        report_text.attended_training(organiser="省外办", title="全省外事系统依法行政专场培训班")
        == "参加省外办举办的全省外事系统依法行政专场培训班"
    )
    assert (
        report_text.attended_training(organiser="省外办", title="《行政复议法》")
        == "参加省外办举办的《行政复议法》培训"
    )
    assert report_text.held_event(title="法治宣传") == "举办“法治宣传”活动"
    assert report_text.held_event(title="“七个一”活动") == "举办“七个一”活动"
    assert (
        report_text.took_part(["4.15全民国家安全教育日法律知识竞赛", "宪法"])
        == "参与4.15全民国家安全教育日法律知识竞赛、“宪法”活动"
    )


def test_awkward_titles_through_the_generator(office, year_partial):
    StudySession.objects.create(
        date=day(2023, 6, 1),
        title="法庭庭审直播",
        kind=StudySession.Kind.COURT_HEARING,
        audience="全体人员",
    )
    text = text_of(office, year_partial)
    assert "邀请某律师事务所律师李明以“《个人信息保护法》与涉外数据合规”为题作专题讲座" in text
    assert "作《个人信息保护法》与涉外数据合规，" not in text
    assert "组织全体人员观看法庭庭审直播" in text


# --- the demo's 2021 report, as published -----------------------------------------------

SEED_INDEX = "014109568/2022-00012"
SEED_TITLE = "常州市人民政府外事办公室2021年度法治政府建设情况报告"


@pytest.fixture
def demo(db, public_site):
    call_command("load_demo", stdout=io.StringIO())
    return AnnualReport.objects.get(year=2021)


def test_the_demo_holds_the_2021_report_as_published(demo):
    item = DisclosureItem.objects.get(index_number=SEED_INDEX)
    assert demo.status == AnnualReport.Status.PUBLISHED
    assert demo.disclosure == item
    assert (demo.approved_on, demo.published_on) == (day(2022, 3, 21), day(2022, 3, 22))
    events = [(e.action, e.at.date()) for e in demo.events.exclude(action="waive")]
    assert events == [
        ("create", day(2022, 3, 14)),
        ("submit", day(2022, 3, 18)),
        ("approve", day(2022, 3, 21)),
        ("publish", day(2022, 3, 22)),
    ]
    assert services.report_pdf_bytes(demo).startswith(b"%PDF")
    text = reports.plain_text(demo.title, demo.sections.all())
    for heading in THEMES:
        assert heading in text
    assert "12.强化法治政府建设工作落实" in text
    assert DisclosureItem.objects.filter(title=SEED_TITLE).count() == 1
    # Loading again changes nothing.
    call_command("load_demo", stdout=io.StringIO())
    assert AnnualReport.objects.count() == 1
    assert item.attachments.count() == 1


def test_reports_page_lists_2021_and_its_pdf_has_a_chinese_file_name(demo, client):
    listing = client.get("/reports/").content.decode()
    assert SEED_TITLE in listing
    assert "暂无已发布的年度报告" not in listing
    response = client.get("/reports/2021/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"filename*=UTF-8''{quote(SEED_TITLE + '.pdf')}" in response["Content-Disposition"]


def test_the_disclosure_page_reads_like_the_published_page(demo, client):
    html = client.get("/disclosure/014109568-2022-00012/").content.decode()
    body = html[
        html.index('class="article-body"') : html.index("</div>", html.index("article-body"))
    ]
    assert '<h2 class="doc-heading">一、党组重视,引领法治政府建设</h2>' in body
    assert body.count("<p>") >= 15 and "<br>" not in body
    assert SEED_TITLE not in body  # the title once, above the body
    assert "（此件公开发布）" in body or "(此件公开发布)" in body
    assert f"{SEED_TITLE}.pdf</a>" in html
    assert "<summary>文件校验</summary>" in html
    assert "SHA-256:" not in body


def test_a_correction_revises_the_2021_item_and_keeps_one_current_item(
    demo, data_entry_user, reviewer_user
):
    correction = services.report_start_correction(
        report=demo, user=data_entry_user, comment="更正标点"
    )
    opening = correction.sections.get(key="opening")
    opening.body = opening.body.replace("市外办认真", "市外办始终认真")
    opening.save()
    services.report_submit(report=correction, user=data_entry_user)
    services.report_approve(report=correction, user=reviewer_user, on=day(2022, 4, 1))
    review_report(correction, reviewer_user)
    corrected = services.report_publish(report=correction, user=reviewer_user, on=day(2022, 4, 2))

    items = DisclosureItem.objects.filter(title=SEED_TITLE)
    current = [i for i in items if i.repealed_on is None]
    assert len(current) == 1 and current[0] == corrected.disclosure
    old = DisclosureItem.objects.get(index_number=SEED_INDEX)
    assert old.repealed_on == day(2022, 4, 2)
    assert old.history.first().history_change_reason.startswith("已修订：被更正版本")
    assert corrected.corrects.disclosure == old  # the link between the two items
    assert corrected.disclosure.publisher == old.publisher == "市外事办"
    body = corrected.disclosure.body
    assert not body.startswith(SEED_TITLE) and "\n\n一、党组重视，引领法治政府建设\n\n" in body
    assert body.rstrip().endswith("（此件公开发布）")
    # The year's report was published on time in 2022, whatever a later correction did.
    assert corrected.first_published_on == day(2022, 3, 22)


def test_the_dashboard_keeps_the_first_publication_date(demo, data_entry_user, reviewer_user):
    from dashboard.metrics import report_panel

    correction = services.report_start_correction(report=demo, user=data_entry_user, comment="改")
    services.report_submit(report=correction, user=data_entry_user)
    services.report_approve(report=correction, user=reviewer_user)
    review_report(correction, reviewer_user)
    services.report_publish(report=correction, user=reviewer_user)
    panel = report_panel(year=2021, previous=2020, today=datetime.date.today())
    publish = panel.extra["deadlines"][1]
    assert publish.done_on == day(2022, 3, 22)


# --- the 2021 PDF: title lines, 落款 and note -------------------------------------------


def page_text(data: bytes, tmp_path, first: int, last: int | None = None) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-enc", "UTF-8", "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_2021_pdf_breaks_the_title_between_words_and_ends_with_the_signature(demo, tmp_path):
    data = services.report_pdf_bytes(demo)
    first = page_text(data, tmp_path, 1, 1).splitlines()
    assert first[:2] == ["常州市人民政府外事办公室", "2021年度法治政府建设情况报告"]
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(tmp_path / "page.pdf")], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    last = [line.strip() for line in page_text(data, tmp_path, pages).splitlines()]
    last = [line for line in last if line]
    office_at = last.index("常州市人民政府外事办公室")
    assert last[office_at + 1] == "2022年3月21日"
    assert last[office_at + 2] == "（此件公开发布）"


def test_staff_can_set_the_title_lines(office, year_partial):
    assert reports.title_lines(f"{OFFICE}2023年度法治政府建设情况报告", office) == [
        OFFICE,
        "2023年度法治政府建设情况报告",
    ]
    title = f"{OFFICE}关于2023年度法治政府建设情况的报告"
    lines = reports.title_lines(title, office)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    assert reports.title_lines(
        title, office, "常州市人民政府|外事办公室关于2023年度法治政府建设情况的报告"
    ) == [
        "常州市人民政府",
        "外事办公室关于2023年度法治政府建设情况的报告",
    ]
    report = AnnualReport(organization=office, year=2023, title=title, title_layout="常州|错字")
    with pytest.raises(ValidationError) as exc:
        report.clean()
    assert "title_layout" in exc.value.message_dict
    assert Organization.objects.count() == 1


def test_the_demo_report_admin_page_shows_its_history_and_confirmed_empty_parts(
    demo, client, reviewer_user, local_admin
):
    client.force_login(reviewer_user)
    page = client.get(reverse("admin:lawbuilding_annualreport_change", args=[demo.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2021年度报告按当年格式发布，未单列该部分。" in html
    assert "2022-03-21 10:00" in html and "2022-03-22 09:00" in html
    assert "尚不能提交或审核通过" not in html


def test_figures_next_to_each_other_are_each_checked():
    generated = "全年共派遣20批80人次赴昆山，15人次参加值班值守。"
    assert services._figure_conflicts(generated, generated) == []
    assert services._figure_conflicts(generated.replace("80人次", "81人次"), generated) == [
        ("81人次", "80人次")
    ]
    assert services._figure_conflicts(generated.replace("20批80人次", "21批82人次"), generated) == [
        ("21批", "20批"),
        ("82人次", "80人次"),
    ]
    # Rewritten around the figure: nothing to compare, nothing claimed.
    assert services._figure_conflicts("赴昆山转运人员共计八十人次。", generated) == []
