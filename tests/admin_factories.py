"""One valid, saved record of each domain model, distinct for each `n`, for the admin and
validation tests. Values come from the seed report where it gives them."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import models

from applications.models import InformationRequest
from core.models import Organization
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter
from lawbuilding.models import (
    Division,
    InstitutionalDocument,
    LeadingGroup,
    LeadingGroupMember,
    LegalAdviserEngagement,
    LegalService,
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
    DelegationMember,
    DelegationStop,
    HonoraryCitizenNotice,
    IntegritySupervisor,
    Nominee,
    Proposal,
)
from trainings.models import Law, StudySession

DAY = datetime.date(2021, 3, 1)


def organization(n: int = 0) -> Organization:
    # The portal serves one office; n > 0 only where a test needs a second one.
    if n == 0:
        org = Organization.objects.filter(org_code="014109568").first()
        if org:
            return org
        return Organization.objects.create(
            full_name="常州市人民政府外事办公室",
            short_name="市外事办",
            org_code="014109568",
            hotline="85683342",
        )
    return Organization.objects.create(
        full_name=f"测试机关{n}", short_name=f"测试{n}", org_code=f"{n:09d}"
    )


def division(n: int = 0) -> Division:
    return Division.objects.create(organization=organization(), name=f"出国来华和行政服务处{n}")


def person(n: int = 0) -> Person:
    return Person.objects.create(name=f"张宇{n}", post="党组书记、主任", unit=f"市外事办{n}")


def leading_group(n: int = 0) -> LeadingGroup:
    return LeadingGroup.objects.create(organization=organization(), name=f"依法行政工作领导小组{n}")


def leading_group_member(n: int = 0) -> LeadingGroupMember:
    return LeadingGroupMember.objects.create(
        group=leading_group(n), person=person(n), role=LeadingGroupMember.Role.LEADER
    )


def institutional_document(n: int = 0) -> InstitutionalDocument:
    return InstitutionalDocument.objects.create(
        title=f"常州市人民政府外事办公室法律顾问管理办法{n}",
        kind=InstitutionalDocument.Kind.MANAGEMENT_MEASURES,
        adopted_on=DAY,
    )


def legal_adviser_engagement(n: int = 0) -> LegalAdviserEngagement:
    engagement = LegalAdviserEngagement.objects.create(
        law_firm=f"天刚律师事务所{n}",
        start_on=DAY,
        end_on=DAY + datetime.timedelta(days=365),
    )
    engagement.lawyers.add(person(n))
    return engagement


def legal_service(n: int = 0) -> LegalService:
    return LegalService.objects.create(
        engagement=legal_adviser_engagement(n),
        kind=LegalService.Kind.LECTURE,
        date=DAY,
        description="《民法典》专题讲座",
    )


def work_plan(n: int = 0) -> WorkPlan:
    return WorkPlan.objects.create(
        organization=organization(), year=2022 + n, title="2022年法治政府建设工作要点"
    )


def plan_section(n: int = 0) -> PlanSection:
    return PlanSection.objects.create(plan=work_plan(n), order=1, title="加强党对法治建设的领导")


def plan_task(n: int = 0) -> PlanTask:
    return PlanTask.objects.create(
        section=plan_section(n), number=1, body="深入学习习近平法治思想。"
    )


def work_record(n: int = 0) -> WorkRecord:
    return WorkRecord.objects.create(
        year=2021,
        theme=ReportTheme.RISK,
        title=f"疫情防控转运工作{n}",
        narrative="完成转运 20 批次。",
    )


def work_quantity(n: int = 0) -> WorkQuantity:
    return WorkQuantity.objects.create(
        record=work_record(n), key="batches", label="转运批次", value=Decimal(20), unit="批"
    )


def law(n: int = 0) -> Law:
    return Law.objects.create(
        title=f"中华人民共和国档案法{n}", short_title="档案法", kind=Law.Kind.LAW
    )


def study_session(n: int = 0) -> StudySession:
    session = StudySession.objects.create(
        date=DAY + datetime.timedelta(days=n),
        title="党组理论学习中心组学法",
        kind=StudySession.Kind.CENTER_GROUP,
        speaker_name="张步东",
    )
    session.laws.add(law(n))
    return session


def proposal(n: int = 0) -> Proposal:
    return Proposal.objects.create(
        kind=Proposal.Kind.CPPCC,
        year=2021,
        number=f"{209 + n:04d}",
        title="关于加大“荣誉市民”评选力度，助推“五大明星城”建设的建议",
        assigned_on=DAY,
        due_on=DAY + datetime.timedelta(days=92),
    )


def honorary_citizen_notice(n: int = 0) -> HonoraryCitizenNotice:
    return HonoraryCitizenNotice.objects.create(
        batch=18 + n,
        title="第十八批常州市荣誉市民候选人公示",
        notice_start=DAY,
        notice_end=DAY + datetime.timedelta(days=7),
    )


def nominee(n: int = 0) -> Nominee:
    return Nominee.objects.create(
        notice=honorary_citizen_notice(n),
        name="Hans Müller",
        nationality="德国",
        employer="中德（常州）创新园",
        contribution="推动中德合作。",
    )


COUNTRIES = [
    ("德国", Country.Region.EUROPE),
    ("法国", Country.Region.EUROPE),
    ("意大利", Country.Region.EUROPE),
    ("日本", Country.Region.ASIA),
    ("巴西", Country.Region.LATIN_AMERICA),
    ("埃及", Country.Region.AFRICA),
]


def country(n: int = 0) -> Country:
    name, region = COUNTRIES[n] if n < len(COUNTRIES) else (f"国家{n}", Country.Region.ASIA)
    return Country.objects.get_or_create(name=name, defaults={"region": region})[0]


def delegation_limits(n: int = 0) -> DelegationLimits:
    return DelegationLimits.objects.create()


def integrity_supervisor(n: int = 0) -> IntegritySupervisor:
    return IntegritySupervisor.objects.create(name=f"行风监督员{n}", unit="市纪委监委派驻组")


def delegation(n: int = 0) -> Delegation:
    trip = Delegation.objects.create(
        name=f"市外事办赴德国交流团{n}",
        unit="市外事办",
        leader="张宇",
        departure_on=DAY + datetime.timedelta(days=n),
        return_on=DAY + datetime.timedelta(days=n + 4),
    )
    DelegationMember.objects.create(delegation=trip, name="张宇", unit="市外事办")
    DelegationStop.objects.create(delegation=trip, country=country(0), order=1)
    return trip


def delegation_member(n: int = 0) -> DelegationMember:
    return delegation(n).members.get()


def delegation_stop(n: int = 0) -> DelegationStop:
    return delegation(n).stops.get()


def information_request(n: int = 0) -> InformationRequest:
    return InformationRequest.objects.create(
        tracking_code=f"YSQ-TEST{n:06d}",
        applicant_type="natural",
        applicant_name=f"申请人{n}",
        id_document="居民身份证 320400199001010000",
        phone="13900000000",
        description="所需信息",
        delivery_form="email",
        channel="in_person",
        received_on=DAY,
        status="registered",
    )


def index_counter(n: int = 0) -> IndexCounter:
    return IndexCounter.objects.create(organization=organization(), year=2022 + n, last_serial=12)


def disclosure_item(n: int = 0) -> DisclosureItem:
    return DisclosureItem.objects.create(
        organization=organization(),
        title="常州市人民政府外事办公室2021年度法治政府建设情况报告",
        index_number=f"014109568/2022-{12 + n:05d}",
        category=DisclosureItem.Category.OTHER,
        publisher="市外事办",
        generated_on=datetime.date(2022, 3, 21),
        published_on=datetime.date(2022, 3, 22),
        status="published",
        summary="常州市人民政府外事办公室2021年度法治政府建设情况报告",
    )


def disclosure_attachment(n: int = 0) -> DisclosureAttachment:
    from django.core.files.base import ContentFile

    attachment = DisclosureAttachment(item=disclosure_item(n), title="报告全文")
    attachment.file.save(f"report{n}.txt", ContentFile("法治政府建设情况报告".encode()), save=True)
    return attachment


FACTORIES: dict[type[models.Model], Callable[[int], models.Model]] = {
    Organization: organization,
    Division: division,
    Person: person,
    LeadingGroup: leading_group,
    LeadingGroupMember: leading_group_member,
    InstitutionalDocument: institutional_document,
    LegalAdviserEngagement: legal_adviser_engagement,
    LegalService: legal_service,
    WorkPlan: work_plan,
    PlanSection: plan_section,
    PlanTask: plan_task,
    WorkRecord: work_record,
    WorkQuantity: work_quantity,
    Law: law,
    StudySession: study_session,
    Proposal: proposal,
    HonoraryCitizenNotice: honorary_citizen_notice,
    Nominee: nominee,
    Country: country,
    DelegationLimits: delegation_limits,
    IntegritySupervisor: integrity_supervisor,
    Delegation: delegation,
    DelegationMember: delegation_member,
    DelegationStop: delegation_stop,
    IndexCounter: index_counter,
    DisclosureItem: disclosure_item,
    DisclosureAttachment: disclosure_attachment,
    InformationRequest: information_request,
}


def make(model: type[models.Model], n: int = 0) -> models.Model:
    """A saved record of `model`; different `n` give records that do not clash."""
    return FACTORIES[model](n)


def form_value(value: object) -> object:
    """A Python value as the admin form posts it."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [form_value(item) for item in value]
    if value is True:
        return "on"
    if value is None:
        return ""
    return str(value)


def inline_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """Management form and rows of one inline formset (`initial` rows already exist)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is not False:
                data[f"{prefix}-{index}-{name}"] = form_value(value)
    return data


def inline_prefixes(model: type[models.Model]) -> list[str]:
    """The formset prefixes of the inlines on `model`'s admin page (their related names)."""
    from django.contrib import admin

    prefixes = []
    for inline in admin.site._registry[model].inlines:
        fk = next(
            f for f in inline.model._meta.get_fields() if f.many_to_one and f.related_model is model
        )
        prefixes.append(fk.remote_field.get_accessor_name())
    return prefixes


def admin_form_data(
    model: type[models.Model], values: dict, inlines: dict[str, list[dict]] | None = None
) -> dict:
    """POST data for `model`'s admin add form: the fields given, and every inline formset
    (empty unless rows are given in `inlines`, keyed by prefix)."""
    inlines = inlines or {}
    data = {name: form_value(value) for name, value in values.items() if value is not False}
    for prefix in inline_prefixes(model):
        data.update(inline_data(prefix, inlines.get(prefix, [])))
    return data


# --- Pre-publication gate (publication app): the allow-list and the review records.


def _publication_reviewer():
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(
        username="factory_reviewer", defaults={"email": "factory_reviewer@example.invalid"}
    )
    return user


def allowed_number(n: int = 0):
    from publication.models import AllowedNumber

    return AllowedNumber.objects.create(value=f"8566{n:04d}", label=f"值班电话{n}")


def finding_acceptance(n: int = 0):
    from publication.models import FindingAcceptance

    return FindingAcceptance.objects.create(
        kind="mobile",
        masked="138****8000",
        location="第 1 段",
        fingerprint=f"{n:040d}",
        reason="公示联系人，依公示规则须公开",
        accepted_by=_publication_reviewer(),
    )


def secrecy_review(n: int = 0):
    from publication.models import SecrecyReview

    # Any record may be reviewed; the factory reviews a user record, which no app moves.
    target = _publication_reviewer()
    review = SecrecyReview.objects.create(
        target=target, version=f"{n:064d}", reviewer=_publication_reviewer()
    )
    review.acceptances.add(finding_acceptance(n))
    return review


def _publication_factories() -> None:
    from publication.models import AllowedNumber, FindingAcceptance, SecrecyReview

    FACTORIES.update(
        {
            AllowedNumber: allowed_number,
            FindingAcceptance: finding_acceptance,
            SecrecyReview: secrecy_review,
        }
    )


_publication_factories()


def disclosure_work_report(n: int = 0):
    from applications.models import DisclosureWorkReport

    return DisclosureWorkReport.objects.create(
        organization=organization(),
        year=2022,
        revision=1 + n,
        title=f"常州市人民政府外事办公室2022年政府信息公开工作年度报告（{n}）",
        overview="2022年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
    )


def disclosure_work_report_event(n: int = 0):
    from django.utils import timezone

    from applications.models import DisclosureWorkReportEvent

    return DisclosureWorkReportEvent.objects.create(
        report=disclosure_work_report(n + 1000),
        action="create",
        to_status="draft",
        at=timezone.now(),
    )


def _work_report_factories() -> None:
    from applications.models import DisclosureWorkReport, DisclosureWorkReportEvent

    FACTORIES.update(
        {
            DisclosureWorkReport: disclosure_work_report,
            DisclosureWorkReportEvent: disclosure_work_report_event,
        }
    )


_work_report_factories()
