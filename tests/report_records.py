"""A small office year on record, for the annual report tests: the kinds of facts the seed
report tells (a leading group, center-group study, a lecture, replied proposals, an
honorary-citizen notice, a work record with figures) and next year's plan."""

import datetime
import re
import subprocess
from pathlib import Path

from core.models import Organization
from lawbuilding.models import (
    InstitutionalDocument,
    LeadingGroup,
    LeadingGroupMember,
    Person,
    PlanSection,
    PlanTask,
    WorkPlan,
    WorkQuantity,
    WorkRecord,
)
from supervision.models import HonoraryCitizenNotice, Nominee, Proposal
from trainings.models import Law, StudySession

OFFICE = "常州市人民政府外事办公室"
TITLE_2021 = "常州市人民政府外事办公室2021年度法治政府建设情况报告"

HEADINGS_2021 = [
    "一、党组重视，引领法治政府建设",
    "二、建章立制，完善法治建设内容",
    "三、压实责任，依法防范重大风险",
    "四、强化监督，推进科学民主决策",
    "五、加强学习，提升依法行政能力",
]
PLAN_2022 = [
    (
        "依法全面履行政府职能",
        ["创优营商环境。奋力打造全国营商环境最优城市。", "依法防控重大风险。"],
    ),
    ("完善依法行政制度体系", ["加强对文件、合同的规范管理。"]),
    ("推进依法科学民主决策", ["落实重大决策程序。", "完善重大行政决策合作机制。"]),
    (
        "强化行政权力制约监督",
        ["全面深化政务公开。", "加强党内监督、人大监督、民主监督。", "加强行政监督。"],
    ),
    (
        "落实法治政府建设保障",
        [
            "切实履行推进法治政府建设第一责任人职责。",
            "加强依法行政能力建设。",
            "强化法治政府建设工作落实。",
            "加强社会监督、舆论监督。",
        ],
    ),
]


def make_office() -> Organization:
    office, _ = Organization.objects.get_or_create(
        org_code="014109568",
        defaults={"full_name": OFFICE, "short_name": "市外事办", "hotline": "85683342"},
    )
    return office


def make_year_2021(office: Organization) -> dict:
    """The 2021 records and the 2022 plan; returns the objects tests change."""
    leader = Person.objects.create(name="张宇", post="办党组书记、主任", unit=OFFICE)
    group = LeadingGroup.objects.create(
        organization=office, name="依法行政工作领导小组", established_on=datetime.date(2021, 3, 1)
    )
    LeadingGroupMember.objects.create(
        group=group, person=leader, role=LeadingGroupMember.Role.LEADER, post="办党组书记、主任"
    )
    InstitutionalDocument.objects.create(
        title="中共常州市人民政府外事办公室党组全面从严治党主体责任清单",
        kind=InstitutionalDocument.Kind.RESPONSIBILITY_LIST,
        adopted_on=datetime.date(2021, 3, 5),
    )
    laws = [
        Law.objects.create(title="中国共产党章程", kind=Law.Kind.PARTY_RULE),
        Law.objects.create(
            title="中华人民共和国保守国家秘密法", short_title="保密法", kind=Law.Kind.LAW
        ),
        Law.objects.create(title="国家秘密定密管理暂行规定", kind=Law.Kind.DEPARTMENT_RULE),
        Law.objects.create(title="优化营商环境条例", kind=Law.Kind.REGULATION),
    ]
    sessions = []
    for month, law in zip((3, 5, 8, 11), laws, strict=True):
        session = StudySession.objects.create(
            date=datetime.date(2021, month, 26),
            title=f"党组理论学习中心组学法{month}月",
            kind=StudySession.Kind.CENTER_GROUP,
        )
        session.laws.add(law)
        sessions.append(session)
    archive_law = Law.objects.create(
        title="中华人民共和国档案法", short_title="档案法", kind=Law.Kind.LAW
    )
    lecture = StudySession.objects.create(
        date=datetime.date(2021, 6, 9),
        title="《档案法》讲座",
        kind=StudySession.Kind.LECTURE,
        speaker_name="张步东",
        speaker_post="副馆长",
        speaker_org="市档案馆",
    )
    lecture.laws.add(archive_law)
    for number, title in (
        ("0209", "关于加大“荣誉市民”评选力度，助推“五大明星城”建设的建议"),
        ("0303", "关于将西太湖国际社区打造成标杆性国际社区的建议"),
    ):
        Proposal.objects.create(
            kind=Proposal.Kind.CPPCC,
            year=2021,
            number=number,
            title=title,
            assigned_on=datetime.date(2021, 3, 10),
            due_on=datetime.date(2021, 6, 10),
            replied_on=datetime.date(2021, 5, 28),
        )
    notice = HonoraryCitizenNotice.objects.create(
        batch=18,
        title="拟授予第十八批“常州市荣誉市民”称号人选公示",
        notice_start=datetime.date(2021, 9, 13),
        notice_end=datetime.date(2021, 9, 22),
    )
    for i in range(7):
        Nominee.objects.create(
            notice=notice,
            name=f"Nominee {i}",
            nationality="德国",
            employer="常州某外资企业",
            contribution="促进对外交流合作。",
            order=i,
        )
    transfer = WorkRecord.objects.create(
        year=2021,
        theme="risk",
        title="来常境外人员转运工作",
        narrative=(
            "全年共派遣{transfer_batches}{transfer_person_times}赴昆山参加来常境外人员的"
            "转运工作，全年转运{people_transferred}"
        ),
        order=1,
    )
    batches = WorkQuantity.objects.create(
        record=transfer, key="transfer_batches", label="派遣批次", value=20, unit="批"
    )
    WorkQuantity.objects.create(
        record=transfer, key="transfer_person_times", label="派遣人次", value=80, unit="人次"
    )
    WorkQuantity.objects.create(
        record=transfer,
        key="people_transferred",
        label="全年转运人数",
        value=3000,
        unit="人",
        is_lower_bound=True,
    )
    WorkRecord.objects.create(
        year=2021,
        theme="institutions",
        title="“法治园地”专栏",
        narrative="在办公楼层走廊开辟了“法治园地”专栏,作为学法普法阵地。",
    )
    plan = WorkPlan.objects.create(
        organization=office,
        year=2022,
        title="2022年法治政府建设工作安排",
        preamble="市外办以习近平法治思想为指导，全力抓好法治政府建设工作。",
    )
    number = 0
    for order, (section_title, tasks) in enumerate(PLAN_2022, start=1):
        section = PlanSection.objects.create(plan=plan, order=order, title=section_title)
        for body in tasks:
            number += 1
            PlanTask.objects.create(
                section=section, number=number, title=body.split("。")[0], body=body
            )
    return {
        "sessions": sessions,
        "laws": laws,
        "batches": batches,
        "transfer": transfer,
        "notice": notice,
        "plan": plan,
    }


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext extracts it."""
    path = tmp_path / "extract.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_fonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    """The rows of `pdffonts`: name, type, encoding, emb, sub, uni, object, generation."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [line.split() for line in out[2:] if line.strip()]


def squeeze(text: str) -> str:
    """Text without page numbers ("— 3 —") and whitespace, for comparing PDF and source."""
    return re.sub(r"\s+", "", re.sub(r"—\s*\d+\s*—", "", text))


STATUTORY_TEXT = {
    "shortcomings": "学法形式还不够丰富，主要原因是专题培训安排偏少。",
    "responsibility": "办主要负责人主持召开党组会研究法治政府建设工作2次。",
    "other": "无其他需要报告的情况。",
}


def complete_parts(report) -> None:
    """What staff write into the parts no record fills, so the draft passes the gate."""
    for section in report.sections.all():
        if "本年度无相关记录" in section.body:
            section.body = STATUTORY_TEXT.get(section.key, "本年度开展了相关工作。")
            section.save()
