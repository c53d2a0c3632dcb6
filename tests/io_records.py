"""A small set of records covering every importable model (shared by the import tests)."""

import datetime
from decimal import Decimal

from core import models as co
from disclosure import models as ds
from lawbuilding import models as lb
from supervision import models as sv
from trainings import models as tr

D = datetime.date

# Values a spreadsheet would run as formulas if written raw (OWASP "CSV injection").
FORMULA_TEXTS = [
    '=HYPERLINK("http://evil.invalid","点击")',
    "+86 519 8568 3342",
    "-2 批次调整",
    "@SUM(A1:A2)",
    "\t制表符开头",
    "\r回车开头",
    "'=已转义的原文",
]

# Dependency order: a model's references come before it.
IMPORT_ORDER = [
    co.Organization,
    lb.Division,
    lb.Person,
    lb.LeadingGroup,
    lb.LeadingGroupMember,
    lb.InstitutionalDocument,
    lb.LegalAdviserEngagement,
    lb.LegalService,
    lb.WorkPlan,
    lb.PlanSection,
    lb.PlanTask,
    lb.WorkRecord,
    lb.WorkQuantity,
    tr.Law,
    tr.StudySession,
    sv.Proposal,
    sv.HonoraryCitizenNotice,
    sv.Nominee,
    sv.Country,
    sv.DelegationLimits,
    sv.IntegritySupervisor,
    sv.Delegation,
    sv.DelegationMember,
    sv.DelegationStop,
    ds.IndexCounter,
    ds.DisclosureItem,
]


def make_records() -> None:
    org = co.Organization.objects.create(
        full_name="常州市人民政府外事办公室",
        short_name="市外事办",
        org_code="014109568",
        hotline="85683342",
    )
    division = lb.Division.objects.create(
        organization=org, name="出国来华和行政服务处", is_rule_of_law_lead=True
    )
    zhang = lb.Person.objects.create(name="张宇", post="主任", unit="市外事办")
    shi = lb.Person.objects.create(name="时轶", post="律师", unit="天刚律师事务所")
    lb.Person.objects.create(name="张步东", post=FORMULA_TEXTS[2], unit="")
    group = lb.LeadingGroup.objects.create(
        organization=org, name="依法行政工作领导小组", established_on=D(2021, 3, 1)
    )
    lb.LeadingGroupMember.objects.create(
        group=group, person=zhang, role=lb.LeadingGroupMember.Role.LEADER, start_on=D(2021, 3, 1)
    )
    lb.InstitutionalDocument.objects.create(
        title="2021年法治政府建设工作要点",
        kind=lb.InstitutionalDocument.Kind.KEY_POINTS,
        adopted_on=D(2021, 2, 20),
        summary=FORMULA_TEXTS[0],
    )
    engagement = lb.LegalAdviserEngagement.objects.create(
        law_firm="天刚律师事务所", start_on=D(2021, 1, 1), end_on=D(2021, 12, 31)
    )
    engagement.lawyers.set([shi])
    lb.LegalService.objects.create(
        engagement=engagement,
        kind=lb.LegalService.Kind.LECTURE,
        date=D(2021, 6, 18),
        description="《民法典》专题讲座",
    )
    plan = lb.WorkPlan.objects.create(organization=org, year=2022, title="2022年工作要点")
    section = lb.PlanSection.objects.create(plan=plan, order=1, title="加强党的领导")
    lb.PlanTask.objects.create(
        section=section,
        number=1,
        body="落实第一责任人职责。",
        responsible_division=division,
        status=lb.PlanTask.Status.DONE,
        completed_on=D(2022, 12, 1),
    )
    record = lb.WorkRecord.objects.create(
        year=2021,
        theme="risk",
        title="疫情防控转运工作",
        narrative="零投诉、零感染、零事故",
        start_on=D(2021, 1, 1),
        end_on=D(2021, 12, 31),
    )
    lb.WorkQuantity.objects.create(record=record, key="batches", label="批次", value=20, unit="批")
    lb.WorkQuantity.objects.create(
        record=record,
        key="people",
        label="转运人数",
        value=Decimal("3000.5"),
        unit="人",
        is_lower_bound=True,
    )
    constitution = tr.Law.objects.create(
        title="中华人民共和国宪法", short_title="宪法", kind="constitution"
    )
    archives = tr.Law.objects.create(title="中华人民共和国档案法", short_title="档案法", kind="law")
    session = tr.StudySession.objects.create(
        date=D(2021, 4, 12),
        title="党组理论学习中心组学法",
        kind=tr.StudySession.Kind.CENTER_GROUP,
        participants=12,
        summary=FORMULA_TEXTS[3],
        organiser=FORMULA_TEXTS[1],
    )
    session.laws.set([constitution, archives])
    tr.StudySession.objects.create(
        date=D(2021, 9, 3),
        title="《档案法》专题讲座",
        kind=tr.StudySession.Kind.LECTURE,
        speaker_name="张步东",
        mode=tr.StudySession.Mode.ONLINE,
        summary=FORMULA_TEXTS[4],
        location=FORMULA_TEXTS[5],
        audience=FORMULA_TEXTS[6],
    )
    sv.Proposal.objects.create(
        kind="cppcc",
        year=2021,
        number="0209",
        title="关于加大“荣誉市民”评选力度，助推“五大明星城”建设的建议",
        assigned_on=D(2021, 4, 1),
        due_on=D(2021, 7, 1),
        replied_on=D(2021, 6, 20),
        result_class="A",
        satisfaction="satisfied",
    )
    notice = sv.HonoraryCitizenNotice.objects.create(
        batch=18,
        title="第十八批荣誉市民候选人公示",
        notice_start=D(2021, 9, 1),
        notice_end=D(2021, 9, 7),
    )
    sv.Nominee.objects.create(
        notice=notice,
        name="John Smith",
        nationality="英国",
        employer="某公司",
        contribution="投资兴业",
    )
    france = sv.Country.objects.create(name="法国", region="europe")
    sv.DelegationLimits.objects.create()
    supervisor = sv.IntegritySupervisor.objects.create(name="李明", unit="市纪委")
    delegation = sv.Delegation.objects.create(
        name="市政府代表团",
        unit="市政府",
        leader="王某",
        departure_on=D(2019, 5, 1),
        return_on=D(2019, 5, 4),
        supervisor=supervisor,
    )
    sv.DelegationMember.objects.create(delegation=delegation, name="王某", unit="市政府")
    sv.DelegationStop.objects.create(delegation=delegation, country=france)
    ds.IndexCounter.objects.create(organization=org, year=2022, last_serial=12)
    ds.DisclosureItem.objects.create(
        organization=org,
        title="常州市外办2021年法治政府建设年度报告",
        index_number="014109568/2022-00012",
        category="other",
        publisher="常州市人民政府外事办公室",
        generated_on=D(2022, 3, 21),
        published_on=D(2022, 3, 22),
        status="published",
        summary="2021年法治政府建设年度报告",
    )
