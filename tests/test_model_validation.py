"""Every rule on the records: bad input gives a clear Chinese message and saves nothing, both
through model validation (what services and imports call) and through the admin add form.
Check constraints also hold in the database when validation is skipped."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from core.models import Organization
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter
from lawbuilding.models import (
    Division,
    InstitutionalDocument,
    LeadingGroupMember,
    LegalAdviserEngagement,
    Person,
    PlanSection,
    PlanTask,
    ReportTheme,
    WorkPlan,
    WorkQuantity,
    WorkRecord,
)
from supervision.models import (
    Country,
    Delegation,
    DelegationLimits,
    DelegationStop,
    HonoraryCitizenNotice,
    IntegritySupervisor,
    Nominee,
    Proposal,
)
from tests.admin_factories import DAY, admin_form_data, make
from trainings.models import Law, StudySession

pytestmark = pytest.mark.usefixtures("local_admin")

LATER = DAY + datetime.timedelta(days=10)
EARLIER = DAY - datetime.timedelta(days=10)


@dataclass
class Case:
    """Bad input for `model`: `build()` creates what it depends on and returns field values
    (and inline rows for the admin form)."""

    id: str
    model: type
    build: Callable[[], dict]
    message: str
    inlines: Callable[[], dict] = field(default=lambda: {})
    # "model": full_clean; "admin": the admin add form; "db": a save without validation.
    paths: tuple[str, ...] = ("model", "admin")


def _org() -> Organization:
    return make(Organization)


def _proposal(**bad) -> dict:
    return {
        "kind": Proposal.Kind.CPPCC,
        "year": 2021,
        "number": "0209",
        "title": "关于加大“荣誉市民”评选力度，助推“五大明星城”建设的建议",
        "role": Proposal.Role.LEAD,
        "assigned_on": DAY,
        "due_on": DAY + datetime.timedelta(days=92),
        **bad,
    }


def _delegation(**bad) -> dict:
    return {
        "name": "市外事办赴德国交流团",
        "unit": "市外事办",
        "leader": "张宇",
        "departure_on": DAY,
        "return_on": DAY + datetime.timedelta(days=4),
        **bad,
    }


def _one_stop() -> dict:
    return {"stops": [{"country": make(Country), "order": 1}]}


def _disclosure(**bad) -> dict:
    return {
        "organization": _org(),
        "title": "常州市人民政府外事办公室2021年度法治政府建设情况报告",
        "index_number": "014109568/2022-00012",
        "category": DisclosureItem.Category.OTHER,
        "method": DisclosureItem.Method.PROACTIVE,
        "publisher": "市外事办",
        "generated_on": datetime.date(2022, 3, 21),
        "published_on": datetime.date(2022, 3, 22),
        "summary": "常州市人民政府外事办公室2021年度法治政府建设情况报告",
        **bad,
    }


def _task(section: PlanSection, **bad) -> dict:
    return {
        "section": section,
        "number": 2,
        "body": "推进政务公开。",
        "status": PlanTask.Status.NOT_STARTED,
        **bad,
    }


def _second_section_with_task_one() -> PlanSection:
    first = make(PlanTask)  # task 1 in section 1
    return PlanSection.objects.create(plan=first.section.plan, order=2, title="完善制度")


CASES = [
    Case(
        "org_code_format",
        Organization,
        lambda: {
            "full_name": "常州市人民政府外事办公室",
            "short_name": "市外事办",
            "org_code": "1234",
        },
        "组织机构代码应为 9 位或 18 位数字、大写字母。",
    ),
    Case(
        "organization_duplicate_name",
        Organization,
        lambda: {"full_name": _org().full_name, "short_name": "市外事办", "org_code": "123456789"},
        "具有 机关全称 的 机关 已存在。",
    ),
    Case(
        "division_duplicate_name",
        Division,
        lambda: {"organization": _org(), "name": make(Division).name},
        "包含 机关 和 处室名称 的 处室 已经存在。",
    ),
    Case(
        "person_duplicate_name_and_unit",
        Person,
        lambda: {"name": make(Person).name, "unit": Person.objects.get().unit},
        "包含 姓名 和 单位 的 人员 已经存在。",
    ),
    Case(
        "group_member_ends_before_start",
        LeadingGroupMember,
        lambda: {
            "group": make(LeadingGroupMember).group,
            "person": make(Person, 1),
            "role": LeadingGroupMember.Role.MEMBER,
            "start_on": DAY,
            "end_on": EARLIER,
        },
        "截止日期不能早于起始日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "document_duplicate_title",
        InstitutionalDocument,
        lambda: {
            "title": make(InstitutionalDocument).title,
            "kind": InstitutionalDocument.Kind.OTHER,
        },
        "具有 文件名称 的 制度文件 已存在。",
    ),
    Case(
        "engagement_ends_before_start",
        LegalAdviserEngagement,
        lambda: {
            "law_firm": "天刚律师事务所",
            "start_on": DAY,
            "end_on": EARLIER,
            "lawyers": [make(Person)],
        },
        "聘期结束日期不能早于开始日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "work_plan_year_out_of_range",
        WorkPlan,
        lambda: {"organization": _org(), "year": 1999, "title": "1999年工作要点"},
        "年度应在 2000 至 2100 之间。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "work_plan_second_for_a_year",
        WorkPlan,
        lambda: {"organization": _org(), "year": make(WorkPlan).year, "title": "重复的计划"},
        "本机关该年度已有工作计划。",
    ),
    Case(
        "plan_section_order_zero",
        PlanSection,
        lambda: {"plan": make(WorkPlan), "order": 0, "title": "总体要求"},
        "序号从 1 开始。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "plan_section_duplicate_order",
        PlanSection,
        lambda: {"plan": make(PlanSection).plan, "order": 1, "title": "另一部分"},
        "同一计划中的部分序号不能重复。",
    ),
    Case(
        "plan_task_done_without_date",
        PlanTask,
        lambda: _task(make(PlanSection), status=PlanTask.Status.DONE),
        "状态为“已完成”时必须填写完成日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "plan_task_number_repeated_in_another_section",
        PlanTask,
        lambda: _task(_second_section_with_task_one(), number=1),
        "该计划中已有编号为 1 的任务。",
    ),
    Case(
        "work_record_ends_before_start",
        WorkRecord,
        lambda: {
            "year": 2021,
            "theme": ReportTheme.RISK,
            "title": "疫情防控转运工作",
            "narrative": "完成转运 20 批次。",
            "start_on": DAY,
            "end_on": EARLIER,
        },
        "结束日期不能早于开始日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "work_record_year_out_of_range",
        WorkRecord,
        lambda: {
            "year": 2101,
            "theme": ReportTheme.RISK,
            "title": "疫情防控转运工作",
            "narrative": "完成转运 20 批次。",
            "order": 0,
        },
        "年度应在 2000 至 2100 之间。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "work_quantity_negative",
        WorkQuantity,
        lambda: {
            "record": make(WorkRecord),
            "key": "people",
            "label": "转运人数",
            "value": Decimal(-3000),
        },
        "数值不能为负数。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "work_quantity_duplicate_key",
        WorkQuantity,
        lambda: {
            "record": make(WorkQuantity).record,
            "key": "batches",
            "label": "批次",
            "value": Decimal(1),
        },
        "同一工作记录中的数据代码不能重复。",
    ),
    Case(
        "law_duplicate_title",
        Law,
        lambda: {"title": make(Law).title, "kind": Law.Kind.LAW},
        "具有 名称 的 法律法规与学习材料 已存在。",
    ),
    Case(
        "study_session_before_2000",
        StudySession,
        lambda: {
            "date": datetime.date(1999, 12, 31),
            "title": "学法",
            "kind": StudySession.Kind.LECTURE,
            "mode": StudySession.Mode.ON_SITE,
        },
        "日期不能早于 2000 年。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "study_session_same_title_same_day",
        StudySession,
        lambda: {
            "date": make(StudySession).date,
            "title": "党组理论学习中心组学法",
            "kind": StudySession.Kind.CENTER_GROUP,
            "mode": StudySession.Mode.ON_SITE,
        },
        "同一天已有同名的学法活动。",
    ),
    Case(
        "proposal_number_not_digits",
        Proposal,
        lambda: _proposal(number="02O9"),
        "编号只能由数字组成，如 0209。",
    ),
    Case(
        "proposal_due_before_assigned",
        Proposal,
        lambda: _proposal(due_on=EARLIER),
        "答复期限不能早于交办日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "proposal_reply_before_assigned",
        Proposal,
        lambda: _proposal(replied_on=EARLIER),
        "答复日期不能早于交办日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "proposal_result_class_without_reply",
        Proposal,
        lambda: _proposal(result_class=Proposal.ResultClass.A),
        "尚未答复的提案不能填写办理结果分类。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "proposal_extension_beyond_six_months",
        Proposal,
        lambda: _proposal(extended_due_on=DAY + datetime.timedelta(days=200)),
        "延期后的答复期限不得超过交办后 6 个月。",
    ),
    Case(
        "proposal_satisfaction_before_reply",
        Proposal,
        lambda: _proposal(satisfaction=Proposal.Satisfaction.SATISFIED),
        "尚未答复的提案不能填写满意度。",
    ),
    Case(
        "proposal_duplicate_number",
        Proposal,
        lambda: _proposal(number=make(Proposal).number),
        "该年度已有相同类别和编号的提案或建议。",
    ),
    Case(
        "notice_ends_before_start",
        HonoraryCitizenNotice,
        lambda: {"batch": 18, "title": "第十八批", "notice_start": DAY, "notice_end": EARLIER},
        "公示结束日期不能早于开始日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "notice_duplicate_batch",
        HonoraryCitizenNotice,
        lambda: {
            "batch": make(HonoraryCitizenNotice).batch,
            "title": "第十八批",
            "notice_start": DAY,
            "notice_end": LATER,
        },
        "具有 批次 的 荣誉市民公示 已存在。",
    ),
    Case(
        "nominee_less_than_two_years",
        Nominee,
        lambda: {
            "notice": make(HonoraryCitizenNotice),
            "name": "John Smith",
            "nationality": "英国",
            "employer": "常州某外资企业",
            "years_in_city": 1,
            "contribution": "推动合作。",
            "order": 0,
        },
        "候选人须在本市工作满 2 年。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "nominee_twice_in_a_notice",
        Nominee,
        lambda: {
            "notice": make(Nominee).notice,
            "name": "Hans Müller",
            "nationality": "德国",
            "employer": "中德（常州）创新园",
            "contribution": "推动合作。",
            "order": 1,
        },
        "同一批公示中已有该候选人。",
    ),
    Case(
        "country_duplicate_name",
        Country,
        lambda: {"name": make(Country).name, "region": Country.Region.EUROPE},
        "具有 国家或地区 的 国家或地区 已存在。",
    ),
    Case(
        "supervisor_term_ends_before_appointment",
        IntegritySupervisor,
        lambda: {"name": "王某", "appointed_on": DAY, "term_end_on": EARLIER},
        "聘期结束日期不能早于聘任日期。",
        paths=("model", "admin", "db"),
    ),
    Case(
        "delegation_returns_before_departure",
        Delegation,
        lambda: _delegation(return_on=EARLIER),
        "入境日期不能早于出境日期。",
        inlines=_one_stop,
        paths=("model", "admin", "db"),
    ),
    Case(
        "delegation_notice_ends_before_start",
        Delegation,
        lambda: _delegation(
            pre_notice_start=EARLIER, pre_notice_end=EARLIER - datetime.timedelta(days=1)
        ),
        "公示结束日期不能早于开始日期。",
        inlines=_one_stop,
        paths=("model", "admin", "db"),
    ),
    Case(
        "delegation_stop_country_twice",
        DelegationStop,
        lambda: {
            "delegation": make(Delegation),
            "country": Country.objects.get(),
            "order": 2,
        },
        "同一国家（地区）不能重复列入。",
    ),
    Case(
        "index_counter_twice_for_a_year",
        IndexCounter,
        lambda: {"organization": _org(), "year": make(IndexCounter).year, "last_serial": 20},
        "包含 机关 和 年度 的 索引号计数器 已经存在。",
    ),
    Case(
        "index_counter_below_a_used_serial",
        IndexCounter,
        lambda: {"organization": make(DisclosureItem).organization, "year": 2022, "last_serial": 3},
        "2022 年已使用到第 12 号，计数器不能小于已用流水号。",
        paths=("admin",),
    ),
    Case(
        "disclosure_index_number_format",
        DisclosureItem,
        lambda: _disclosure(index_number="014109568-2022-12"),
        "索引号格式应为“机构代码/年份-五位流水号”，如 014109568/2022-00012。",
        # The admin form has no index number: it is allocated at publication.
        paths=("model",),
    ),
    Case(
        "disclosure_published_before_generated",
        DisclosureItem,
        lambda: _disclosure(published_on=datetime.date(2022, 3, 20)),
        "公开日期不能早于生成日期。",
        paths=("model", "db"),
    ),
    Case(
        "disclosure_repealed_before_published",
        DisclosureItem,
        lambda: _disclosure(repealed_on=datetime.date(2022, 3, 21)),
        "废止日期不能早于公开日期。",
        paths=("model", "db"),
    ),
    Case(
        "disclosure_published_without_index_number",
        DisclosureItem,
        lambda: _disclosure(index_number=None, status=DisclosureItem.Status.PUBLISHED),
        "已发布的信息必须有索引号和公开日期。",
        paths=("model", "db"),
    ),
    Case(
        "disclosure_duplicate_index_number",
        DisclosureItem,
        lambda: _disclosure(index_number=make(DisclosureItem).index_number),
        "具有 索引号 的 政务公开信息 已存在。",
        paths=("model",),
    ),
    Case(
        "disclosure_serial_reused_under_another_prefix",
        DisclosureItem,
        lambda: _disclosure(index_number=make(DisclosureItem).index_number.lstrip("0")),
        "该年度的索引号流水号已被使用。",
        paths=("model",),
    ),
    Case(
        "delegation_limits_days_decreasing",
        DelegationLimits,
        lambda: {
            "max_members": 6,
            "max_countries": 3,
            "days_one_country": 5,
            "days_two_countries": 4,
            "days_three_countries": 10,
            "extra_days_far": 1,
            "pre_notice_working_days": 5,
            "post_report_days": 30,
        },
        "天数上限应随出访国家数增加而不减少（一国 ≤ 两国 ≤ 三国）。",
        paths=("admin",),
    ),
]


def _instance(model, values: dict):
    m2m = {f.name for f in model._meta.many_to_many}
    return model(**{name: value for name, value in values.items() if name not in m2m})


def _cases(path: str) -> list:
    return [pytest.param(case, id=case.id) for case in CASES if path in case.paths]


@pytest.mark.django_db
@pytest.mark.parametrize("case", _cases("model"))
def test_model_validation_refuses_bad_input_with_a_chinese_message(case):
    values = case.build()
    before = case.model._default_manager.count()
    with pytest.raises(ValidationError) as error:
        _instance(case.model, values).full_clean()
    assert case.message in error.value.messages
    assert case.model._default_manager.count() == before


@pytest.mark.parametrize("case", _cases("admin"))
def test_admin_add_form_refuses_bad_input_with_a_chinese_message(admin_client, case):
    values = case.build()
    before = case.model._default_manager.count()
    opts = case.model._meta
    response = admin_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        admin_form_data(case.model, values, case.inlines()),
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert escape(case.message) in response.content.decode()
    assert case.model._default_manager.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", _cases("db"))
def test_database_refuses_rows_that_skip_validation(case):
    """The check constraints hold even for code that saves without full_clean."""
    values = case.build()
    before = case.model._default_manager.count()
    obj = _instance(case.model, values)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
    assert case.model._default_manager.count() == before


def test_case_inputs_differ_from_a_valid_record_only_by_the_rule(admin_client):
    """The admin accepts a proposal built like the bad cases once the bad value is gone, so
    each case is refused for its own rule."""
    response = admin_client.post(
        reverse("admin:supervision_proposal_add"), admin_form_data(Proposal, _proposal())
    )
    assert response.status_code == 302
    assert Proposal.objects.count() == 1


def test_proposal_due_date_left_blank_defaults_to_three_months_after_assignment(admin_client):
    values = _proposal(due_on=None, assigned_on=datetime.date(2021, 11, 30))
    response = admin_client.post(
        reverse("admin:supervision_proposal_add"), admin_form_data(Proposal, values)
    )
    assert response.status_code == 302
    assert Proposal.objects.get().due_on == datetime.date(2022, 2, 28)


def test_disclosure_attachment_over_the_upload_limit_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FAO_MAX_UPLOAD_BYTES = 1024 * 1024
    item = make(DisclosureItem)
    big = SimpleUploadedFile("report.pdf", b"0" * (1024 * 1024 + 1))
    response = admin_client.post(
        reverse("admin:disclosure_disclosureattachment_add"),
        {"item": item.pk, "title": "报告全文", "file": big},
    )
    assert response.status_code == 200
    assert "文件过大（1.0\xa0MB），上限为 1.0\xa0MB。" in response.content.decode()
    assert DisclosureAttachment.objects.count() == 0


def test_disclosure_attachment_upload_records_its_sha256(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make(DisclosureItem)
    content = b"%PDF-1.7\n% \xe6\xb3\x95\xe6\xb2\xbb report\n%%EOF\n"
    upload = SimpleUploadedFile("report.pdf", content)
    response = admin_client.post(
        reverse("admin:disclosure_disclosureattachment_add"),
        {"item": item.pk, "title": "报告全文", "file": upload},
    )
    assert response.status_code == 302
    assert DisclosureAttachment.objects.get().sha256 == hashlib.sha256(content).hexdigest()


def test_disclosure_attachment_of_a_type_not_allowed_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make(DisclosureItem)
    upload = SimpleUploadedFile("report.txt", "法治政府建设情况报告".encode())
    response = admin_client.post(
        reverse("admin:disclosure_disclosureattachment_add"),
        {"item": item.pk, "title": "报告全文", "file": upload},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not DisclosureAttachment.objects.exists()
