"""The annual disclosure work report (政府信息公开工作年度报告, 《政府信息公开条例》第四十九条、
第五十条): drafted from the records in the national format of 国办公开办函〔2021〕30号 (six parts,
tables 二–四 with their row and column labels), the 勾稽 check enforced before submission,
the workflow draft → submit → approve → publish with four eyes, the GB/T 9704 PDF frozen at
approval and published as a disclosure item, the 31 January deadline on the dashboard, the
`build_disclosure_report` command and the 2022 report drafted from the demo data."""

import datetime
import hashlib
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from applications import services as handling
from applications import work_report
from applications import work_report_services as services
from applications.models import (
    ApplicantType,
    DisclosureWorkReport,
    DisclosureWorkReportEvent,
    InformationRequest,
    Outcome,
    Remedy,
)
from applications.statistics import CARRIED_OUT, NEW, TOTAL, request_table_for_year
from core.models import Organization
from disclosure.models import DisclosureItem
from disclosure.services import disclosure_attachment_bytes
from tests.publication_gate import review_work_report

D = datetime.date
Status = DisclosureWorkReport.Status
OFFICE = "常州市人民政府外事办公室"
TITLE_2022 = "常州市人民政府外事办公室2022年政府信息公开工作年度报告"

PART_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
# Every row and column label of tables 二, 三 and 四 (国办公开办函〔2021〕30号).
TABLE_LABELS = [
    # 二
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "第二十条第（五）项",
    "本年处理决定数量",
    "行政许可",
    "第二十条第（六）项",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "本年收费金额（单位：万元）",
    "行政事业性收费",
    # 三
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
    # 四
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "未经复议直接起诉",
    "复议后起诉",
]


@pytest.fixture(autouse=True)
def report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(db):
    office, _ = Organization.objects.get_or_create(
        org_code="014109568",
        defaults={"full_name": OFFICE, "short_name": "市外事办"},
    )
    return office


def _application(user, kind, received, *, decided=None, outcome=Outcome.DISCLOSED):
    req = handling.register(
        user=user,
        data={
            "applicant_type": kind,
            "applicant_name": "测试申请人",
            "id_document": "居民身份证 000",
            "phone": "0519-00000000",
            "description": "某文件",
            "delivery_form": InformationRequest.DeliveryForm.EMAIL,
        },
        channel=InformationRequest.Channel.POST,
        received_on=received,
    )
    return req


@pytest.fixture
def year_2022(office, data_entry_user, reviewer_user):
    """Applications of 2022 (two answered, one carried into 2023, one carried in from 2021),
    a review of 2022, and catalogue items of category “法规文件”."""
    answered = _application(data_entry_user, ApplicantType.NATURAL_PERSON, D(2022, 3, 1))
    handling.decide(
        answered, user=reviewer_user, outcome=Outcome.DISCLOSED, basis="第二十条", on=D(2022, 3, 10)
    )
    partial = _application(data_entry_user, ApplicantType.BUSINESS, D(2022, 5, 9))
    handling.decide(
        partial, user=reviewer_user, outcome=Outcome.PARTIAL, basis="第三十七条", on=D(2022, 5, 20)
    )
    _application(data_entry_user, ApplicantType.RESEARCH, D(2022, 12, 28))
    carried_in = _application(data_entry_user, ApplicantType.NATURAL_PERSON, D(2021, 12, 29))
    handling.decide(
        carried_in,
        user=reviewer_user,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        basis="第三十六条",
        on=D(2022, 1, 20),
    )
    Remedy.objects.create(
        request=partial,
        kind=Remedy.Kind.REVIEW,
        filed_on=D(2022, 7, 1),
        body="常州市人民政府",
        result=Remedy.Result.UPHELD,
        concluded_on=D(2022, 9, 1),
    )
    for serial, (published, repealed) in enumerate(
        [
            (D(2022, 4, 1), None),  # issued in 2022, in force
            (D(2020, 4, 1), D(2022, 6, 1)),  # repealed in 2022
            (D(2019, 4, 1), None),  # in force
            (D(2019, 5, 1), D(2023, 2, 1)),  # in force at the end of 2022
        ],
        start=1,
    ):
        DisclosureItem.objects.create(
            organization=office,
            title=f"规范性文件{serial}",
            index_number=f"014109568/{published.year}-{serial:05d}",
            category=DisclosureItem.Category.RULES,
            publisher=OFFICE,
            generated_on=published,
            published_on=published,
            status="published",
            repealed_on=repealed,
            summary="x",
        )
    return office


def written(report: DisclosureWorkReport) -> DisclosureWorkReport:
    """The parts the office writes by hand, with the placeholders replaced."""
    report.overview = report.overview.replace(work_report.PLACEHOLDER, "")
    report.problems = "一是公开内容还不够丰富。下一步将加强政策解读。"
    report.other_matters = "本机关无其他需要报告的事项。"
    report.save()
    return report


@pytest.fixture
def draft(year_2022, data_entry_user):
    return services.work_report_create(year=2022, user=data_entry_user, organization=year_2022)


@pytest.fixture
def submitted(draft, data_entry_user):
    return services.work_report_submit(report=written(draft), user=data_entry_user)


@pytest.fixture
def approved(submitted, reviewer_user):
    report = services.work_report_approve(report=submitted, user=reviewer_user, on=D(2023, 1, 20))
    review_work_report(report, reviewer_user)
    return report


# --- drafting from the records ---------------------------------------------------------------


def test_draft_takes_tables_three_and_four_from_the_applications(draft):
    table = work_report.request_table_of(draft)
    records = request_table_for_year(2022)
    assert table.rows == records.rows
    assert table.cell(NEW, TOTAL) == 3
    assert table.cell(CARRIED_OUT, TOTAL) == 1
    assert table.cell(Outcome.PARTIAL, ApplicantType.BUSINESS) == 1
    assert work_report.remedies_of(draft)[Remedy.Kind.REVIEW] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    assert work_report.table_problems(draft) == []
    assert draft.title == TITLE_2022
    assert draft.events.get().action == DisclosureWorkReportEvent.Action.CREATE


@pytest.mark.parametrize(
    "field, expected",
    [
        ("rules_issued", 0),  # the office makes no 规章
        ("rules_repealed", 0),
        ("rules_in_force", 0),
        ("normative_issued", 1),
        ("normative_repealed", 1),
        ("normative_in_force", 3),
        ("licensing_decisions", 0),
        ("penalty_decisions", 0),
        ("enforcement_decisions", 0),
        ("fees_amount", 0),
    ],
)
def test_table_two_defaults_come_from_the_catalogue(draft, field, expected):
    assert getattr(draft, field) == expected


def test_overview_skeleton_states_the_figures_of_the_records(draft):
    assert "全年主动公开政府信息1条，其中法规文件1条。" in draft.overview
    assert "新收政府信息公开申请3件，上年结转1件，办结3件，结转下年度继续办理1件" in (
        draft.overview
    )
    assert "被申请行政复议1件、被提起行政诉讼0件" in draft.overview


def test_the_report_shows_six_parts_and_four_tables_with_the_national_labels(draft):
    html = work_report.render_html(written(draft))
    positions = [html.index(heading) for heading in PART_HEADINGS]
    assert positions == sorted(positions)
    missing = [label for label in TABLE_LABELS if label not in html]
    assert missing == []
    assert html.count("<table") == 4 + 1 + 1  # table 二 in its four blocks, 三, 四
    assert html.count("<tbody>") >= 4 + 2
    assert OFFICE in html.split("</table>")[-1]  # 落款
    assert "（此件公开发布）" in html


def test_part_six_states_the_fees_charged(draft):
    assert "本年度本机关未收取信息处理费。" in work_report.render_html(draft)
    draft.information_fees = Decimal("120.00")
    assert "收取信息处理费120元。" in work_report.render_html(draft)


def test_a_year_can_be_drafted_only_once_and_only_when_over(draft, data_entry_user, office):
    with pytest.raises(ValidationError, match="已存在"):
        services.work_report_create(year=2022, user=data_entry_user, organization=office)
    this_year = datetime.date.today().year
    with pytest.raises(ValidationError, match="已结束"):
        services.work_report_create(year=this_year, user=data_entry_user, organization=office)


# --- the 勾稽 check and the completeness gate ------------------------------------------------


def _break_carried_out(report):
    figures = report.figures
    figures["requests"][CARRIED_OUT][ApplicantType.RESEARCH] += 1
    figures["requests"][CARRIED_OUT][TOTAL] += 1


def _break_result_row(report):
    report.figures["requests"][Outcome.DISCLOSED][ApplicantType.NATURAL_PERSON] += 1


def _break_remedy_total(report):
    report.figures["remedies"][Remedy.Kind.REVIEW]["total"] = 5


@pytest.mark.parametrize(
    "breaking, message",
    [
        (_break_carried_out, "“科研机构”列：新收 1 + 上年结转 0 ≠ 办理结果总计 0 + 结转下年度 2"),
        (_break_result_row, "勾稽关系不成立"),
        (_break_remedy_total, "“行政复议”的总计 5 不等于各项结果之和 1"),
    ],
)
def test_submission_is_refused_when_the_tables_do_not_add_up(
    draft, data_entry_user, breaking, message
):
    report = written(draft)
    breaking(report)
    report.save()
    with pytest.raises(ValidationError) as refused:
        services.work_report_submit(report=report, user=data_entry_user)
    assert any(message in m for m in refused.value.messages)
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    # Recounting from the records restores the check.
    services.work_report_recount(report=report, user=data_entry_user)
    assert services.work_report_submit(report=report, user=data_entry_user).status == (
        Status.SUBMITTED
    )


def test_submission_is_refused_while_a_part_is_left_to_write(draft, data_entry_user):
    with pytest.raises(ValidationError) as refused:
        services.work_report_submit(report=draft, user=data_entry_user)
    text = " ".join(refused.value.messages)
    assert "一、总体情况" in text and "【请补充】" in text
    draft.refresh_from_db()
    draft.overview = draft.overview.replace(work_report.PLACEHOLDER, "")
    draft.problems = ""
    draft.other_matters = "本机关无其他需要报告的事项。"
    draft.save()
    with pytest.raises(ValidationError, match="“五、存在的主要问题及改进情况”为空"):
        services.work_report_submit(report=draft, user=data_entry_user)


# --- the workflow ------------------------------------------------------------------------------


def test_approval_freezes_the_pdf(approved, reviewer_user):
    assert approved.status == Status.APPROVED
    assert approved.approved_by == reviewer_user
    data = services.work_report_pdf_bytes(approved)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == approved.pdf_sha256


def test_publishing_creates_the_disclosure_item_with_the_frozen_pdf(approved, reviewer_user):
    report = services.work_report_publish(report=approved, user=reviewer_user, on=D(2023, 1, 28))
    item = report.disclosure
    assert (item.title, item.publisher) == (TITLE_2022, OFFICE)
    assert item.method == DisclosureItem.Method.PROACTIVE
    assert (item.generated_on, item.published_on) == (D(2023, 1, 20), D(2023, 1, 28))
    assert re.fullmatch(r"014109568/2023-\d{5}", item.index_number)
    for heading in PART_HEADINGS:
        assert heading in item.body
    assert "一、本年新收政府信息公开申请数量：自然人1，" in item.body
    assert item.body.rstrip().endswith("（此件公开发布）")
    attachment = item.attachments.get()
    assert attachment.sha256 == report.pdf_sha256
    assert disclosure_attachment_bytes(attachment) == services.work_report_pdf_bytes(report)
    actions = list(report.events.values_list("action", "user__username"))
    assert actions == [
        ("create", "luru_chen"),
        ("submit", "luru_chen"),
        ("approve", "shenhe_liu"),
        ("publish", "shenhe_liu"),
    ]
    latest = report.history.first()
    assert (latest.history_user, latest.history_change_reason) == (reviewer_user, "公开发布")


def test_the_pdf_has_the_title_tables_and_signature(approved, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(services.work_report_pdf_bytes(approved))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = re.sub(r"\s+", "", text)
    assert compact.startswith(OFFICE + "2022年政府信息公开工作年度报告")
    for heading in PART_HEADINGS:
        assert heading in compact
    assert "本年新收政府信息公开申请数量" in compact
    assert "未经复议直接起诉" in compact
    # 落款 and note close the text; page numbers "— n —" stand below the text block.
    assert re.sub(r"—\d+—", "", compact).endswith(OFFICE + "2023年1月20日（此件公开发布）")


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("data_entry_user", {"recount", "submit"}),
        ("reviewer_user", set()),
        ("leadership_user", set()),
        ("administrator_user", {"recount", "submit"}),
    ],
)
def test_who_may_act_on_a_draft(draft, request, persona, allowed):
    user = request.getfixturevalue(persona)
    assert set(services.work_report_allowed_actions(report=draft, user=user)) == allowed


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("data_entry_user", set()),  # submitted it, and may not approve anyway
        ("reviewer_user", {"approve", "return"}),
        ("leadership_user", set()),
        ("administrator_user", {"approve", "return"}),
    ],
)
def test_who_may_act_on_a_submitted_report(submitted, request, persona, allowed):
    user = request.getfixturevalue(persona)
    assert set(services.work_report_allowed_actions(report=submitted, user=user)) == allowed


@pytest.mark.parametrize("persona", ["administrator", "administrator_user"])
def test_nobody_approves_or_publishes_what_they_submitted(draft, request, persona, reviewer_user):
    """Four eyes, superusers included."""
    user = request.getfixturevalue(persona)
    report = services.work_report_submit(report=written(draft), user=user)
    with pytest.raises(PermissionDenied, match="不能审核通过自己提交的报告"):
        services.work_report_approve(report=report, user=user)
    report = services.work_report_approve(report=report, user=reviewer_user)
    review_work_report(report, reviewer_user)
    with pytest.raises(PermissionDenied, match="不能公开发布自己提交的报告"):
        services.work_report_publish(report=report, user=user)
    assert services.work_report_publish(report=report, user=reviewer_user).status == (
        Status.PUBLISHED
    )


def test_data_entry_may_neither_approve_nor_publish(approved, data_entry_user, leadership_user):
    for user in (data_entry_user, leadership_user):
        with pytest.raises(PermissionDenied, match="没有“公开发布”"):
            services.work_report_publish(report=approved, user=user)


def test_returning_needs_a_comment_and_withdraws_the_frozen_pdf(approved, reviewer_user):
    with pytest.raises(ValidationError, match="必须填写修改意见"):
        services.work_report_return(report=approved, user=reviewer_user, comment=" ")
    report = services.work_report_return(
        report=approved, user=reviewer_user, comment="请补充平台建设情况"
    )
    assert (report.status, report.pdf_sha256, report.approved_on) == (Status.DRAFT, "", None)
    assert report.events.last().comment == "请补充平台建设情况"


def test_a_correction_is_a_new_revision_that_repeals_the_published_item(
    approved, data_entry_user, reviewer_user
):
    first = services.work_report_publish(report=approved, user=reviewer_user, on=D(2023, 1, 28))
    with pytest.raises(ValidationError, match="不能"):
        services.work_report_recount(report=first, user=data_entry_user)
    correction = services.work_report_start_correction(
        report=first, user=data_entry_user, comment="更正表二数字"
    )
    assert (correction.revision, correction.status, correction.corrects) == (2, Status.DRAFT, first)
    correction.penalty_decisions = 2
    correction.save()
    services.work_report_submit(report=correction, user=data_entry_user)
    services.work_report_approve(report=correction, user=reviewer_user, on=D(2023, 3, 1))
    review_work_report(correction, reviewer_user)
    correction = services.work_report_publish(
        report=correction, user=reviewer_user, on=D(2023, 3, 2)
    )
    first.disclosure.refresh_from_db()
    assert first.disclosure.repealed_on == D(2023, 3, 2)
    assert correction.first_published_on == D(2023, 1, 28)


def test_roles_hold_the_workflow_permissions(make_role_user):
    make_role_user("录入员", "anyone")

    def perms(role):
        return set(
            Group.objects.get(name=role)
            .permissions.filter(codename__endswith="_disclosureworkreport")
            .values_list("codename", flat=True)
        )

    assert {"add_disclosureworkreport", "change_disclosureworkreport"} <= perms("录入员")
    assert "submit_disclosureworkreport" in perms("录入员")
    assert not {"approve_disclosureworkreport", "publish_disclosureworkreport"} & perms("录入员")
    assert {"approve_disclosureworkreport", "publish_disclosureworkreport"} <= perms("审核人")
    assert "submit_disclosureworkreport" not in perms("审核人")
    assert perms("领导") == {"view_disclosureworkreport"}
    events = set(
        Group.objects.get(name="录入员")
        .permissions.filter(codename__endswith="_disclosureworkreportevent")
        .values_list("codename", flat=True)
    )
    assert events == {"view_disclosureworkreportevent"}


def test_the_role_sync_migration_runs_after_the_report_model():
    from importlib import import_module

    migration = import_module("accounts.migrations.0006_sync_roles_disclosure_work_report")
    assert ("applications", "0002_disclosure_work_report") in migration.Migration.dependencies


# --- the dashboard's 31 January deadline ------------------------------------------------------


def _disclosure_deadline(year=2022, today=None):
    from dashboard.metrics import report_panel

    today = today or D(2023, 2, 10)
    return report_panel(year=year, previous=year - 1, today=today).extra["deadlines"][2]


def test_dashboard_deadline_reads_the_report(approved, reviewer_user):
    deadline = _disclosure_deadline()
    assert (deadline.due_on, deadline.met, deadline.is_overdue) == (D(2023, 1, 31), False, True)
    assert deadline.url.endswith("/applications/disclosureworkreport/?year=2022")
    services.work_report_publish(report=approved, user=reviewer_user, on=D(2023, 1, 28))
    deadline = _disclosure_deadline()
    assert (deadline.met, deadline.done_on, deadline.is_overdue) == (True, D(2023, 1, 28), False)


def test_dashboard_keeps_the_first_publication_date(approved, data_entry_user, reviewer_user):
    first = services.work_report_publish(report=approved, user=reviewer_user, on=D(2023, 1, 28))
    correction = services.work_report_start_correction(
        report=first, user=data_entry_user, comment="更正"
    )
    services.work_report_submit(report=correction, user=data_entry_user)
    services.work_report_approve(report=correction, user=reviewer_user, on=D(2023, 4, 1))
    review_work_report(correction, reviewer_user)
    services.work_report_publish(report=correction, user=reviewer_user, on=D(2023, 4, 2))
    assert _disclosure_deadline().done_on == D(2023, 1, 28)


def test_dashboard_falls_back_to_the_disclosure_item_of_a_year_before_the_portal(office):
    DisclosureItem.objects.create(
        organization=office,
        title="市外事办2021年政府信息公开工作年度报告",
        index_number="014109568/2022-00001",
        category="other",
        publisher=OFFICE,
        generated_on=D(2022, 1, 20),
        published_on=D(2022, 1, 20),
        status="published",
        summary="x",
    )
    deadline = _disclosure_deadline(2021, today=D(2022, 2, 1))
    assert (deadline.met, deadline.done_on) == (True, D(2022, 1, 20))


# --- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff_site(local_admin, client):
    return client


def _change(report):
    return reverse("admin:applications_disclosureworkreport_change", args=[report.pk])


def test_admin_page_shows_the_tables_and_the_reviewer_s_buttons(
    staff_site, submitted, reviewer_user
):
    staff_site.force_login(reviewer_user)
    page = staff_site.get(_change(submitted)).content.decode()
    for text in [
        *PART_HEADINGS,
        "一、本年新收政府信息公开申请数量",
        "复议后起诉",
        "行政规范性文件",
    ]:
        assert text in page
    assert "审核通过" in page and "退回修改" in page
    assert 'value="提交审核"' not in page
    assert "政府信息公开工作年度报告" in page and "公开期限 2023-01-31" in page


def test_admin_lists_why_a_draft_cannot_be_submitted(staff_site, draft, data_entry_user):
    draft.figures["requests"][NEW][TOTAL] += 1
    draft.save()
    staff_site.force_login(data_entry_user)
    page = staff_site.get(_change(draft)).content.decode()
    assert "尚不能提交或审核通过" in page and "勾稽关系不成立" in page
    response = staff_site.post(
        reverse("admin:applications_disclosureworkreport_action", args=[draft.pk, "submit"]),
        follow=True,
    )
    assert "勾稽关系不成立" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_admin_drafts_a_year_and_walks_the_workflow(
    staff_site, year_2022, data_entry_user, reviewer_user
):
    staff_site.force_login(data_entry_user)
    generate = reverse("admin:applications_disclosureworkreport_generate")
    assert "生成政府信息公开工作年度报告草稿" in staff_site.get(generate).content.decode()
    response = staff_site.post(generate, {"year": "2022"})
    report = DisclosureWorkReport.objects.get(year=2022)
    assert response.status_code == 302 and response["Location"] == _change(report)
    written(report)
    staff_site.post(
        reverse("admin:applications_disclosureworkreport_action", args=[report.pk, "submit"])
    )
    staff_site.force_login(reviewer_user)
    action = "admin:applications_disclosureworkreport_action"
    staff_site.post(reverse(action, args=[report.pk, "approve"]))
    # The secrecy review before publication (《政府信息公开条例》第十七条), on its own page.
    review = reverse("admin:applications_disclosureworkreport_secrecy_review", args=[report.pk])
    assert staff_site.post(review, {"confirm": "on"}).status_code == 302
    staff_site.post(reverse(action, args=[report.pk, "publish"]))
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    pdf = staff_site.get(reverse("admin:applications_disclosureworkreport_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == report.pdf_sha256


# --- the command -------------------------------------------------------------------------------


def _build(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("build_disclosure_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "abc"], "年度“abc”无效"),
        (["--year", "1999"], "年度“1999”无效"),
        (["--year", str(datetime.date.today().year)], "尚未结束"),
        (["--year", "2022", "--format", "docx"], "格式“docx”无效"),
        (
            ["--year", "2022", "--output", "/nonexistent-dir/x.pdf"],
            "输出目录“/nonexistent-dir”不存在",
        ),
        (["--year", "2022", "--output", "/tmp"], "是一个目录"),
    ],
)
def test_command_refuses_bad_input_in_chinese(office, tmp_path, args, message):
    if "--output" not in args:
        args = [*args, "--output", str(tmp_path / "r.pdf")]
    with pytest.raises(CommandError, match=message):
        _build(*args)


def test_command_without_an_office_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="尚未录入本机关信息"):
        _build("--year", "2022", "--output", str(tmp_path / "r.pdf"))


def test_command_writes_a_preview_of_a_year_without_a_report(year_2022, tmp_path):
    target = tmp_path / "r.html"
    out, err = _build("--year", "2022", "--output", str(target), "--format", "html")
    html = target.read_text(encoding="utf-8")
    assert [label for label in [*PART_HEADINGS, *TABLE_LABELS] if label not in html] == []
    assert "已按现有记录生成预览（未保存）" in err and "勾稽检查通过" in err
    assert "已写入" in out
    assert not DisclosureWorkReport.objects.exists()


def test_command_writes_the_frozen_pdf_of_an_approved_report(approved, tmp_path):
    target = tmp_path / "r.pdf"
    _build("--year", "2022", "--output", str(target))
    assert hashlib.sha256(target.read_bytes()).hexdigest() == approved.pdf_sha256


def test_command_fails_when_the_check_fails(draft, tmp_path):
    draft.figures["requests"][NEW][TOTAL] += 1
    draft.save()
    with pytest.raises(SystemExit) as exited:
        _build("--year", "2022", "--output", str(tmp_path / "r.html"), "--format", "html")
    assert exited.value.code == 1


# --- the demo ----------------------------------------------------------------------------------


def test_the_2022_report_drafted_from_the_demo_data(db, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth.models import User

    clerk = User.objects.filter(groups__name="录入员").order_by("pk").first()
    report = services.work_report_create(year=2022, user=clerk)
    assert work_report.table_problems(report) == []
    table = work_report.request_table_of(report)
    assert table.cell(NEW, TOTAL) == 8 and table.check() == []
    html = work_report.render_html(report)
    assert [label for label in [*PART_HEADINGS, *TABLE_LABELS] if label not in html] == []
    assert html.count("<table") == 6
    # The only problems left are the parts the office writes by hand.
    assert all("【请补充】" in p for p in services.work_report_problems(report))


def test_admin_edits_a_draft_and_freezes_it_once_submitted(staff_site, draft, data_entry_user):
    staff_site.force_login(data_entry_user)
    form = {
        "title": draft.title,
        "overview": "2022年，本机关依法做好政府信息公开工作。",
        "problems": "公开内容还不够丰富。",
        "other_matters": "本机关无其他需要报告的事项。",
        **{field: getattr(draft, field) for field in work_report.ACTIVE_FIELDS},
        "penalty_decisions": "3",
        "fees_amount": "0.5",
        "information_fees": "0",
    }
    response = staff_site.post(_change(draft), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.penalty_decisions, draft.fees_amount) == (3, Decimal("0.5"))
    assert draft.history.first().history_user == data_entry_user
    services.work_report_submit(report=draft, user=data_entry_user)
    page = staff_site.get(_change(draft)).content.decode()
    assert 'name="overview"' not in page  # read only once submitted
    assert "<td>3</td>" in page and "<td>0.5</td>" in page
    assert staff_site.post(_change(draft), form).status_code == 403


def test_dashboard_link_lists_the_year_s_report_for_leadership(staff_site, draft, leadership_user):
    staff_site.force_login(leadership_user)
    response = staff_site.get(_disclosure_deadline().url)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [draft]
