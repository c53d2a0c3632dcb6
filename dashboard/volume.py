"""One year of synthetic records at a chosen volume, for the query-count test and the benchmark.

`build_year(year, scale=1)` writes about what the office records in a year (a work plan of 12
tasks, a dozen study sessions, a few proposals, a notice, delegations, disclosure items);
`scale=10` writes ten times as much. Every record is saved through the ORM, so history rows
are written as for real data.
"""

import datetime

from django.db import transaction

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


def _office() -> Organization:
    office, _created = Organization.objects.get_or_create(
        org_code="014109568",
        defaults={"full_name": "常州市人民政府外事办公室", "short_name": "市外事办"},
    )
    return office


@transaction.atomic
def build_year(year: int, scale: int = 1) -> None:
    office = _office()
    day = datetime.date(year, 1, 1)

    plan, _created = WorkPlan.objects.get_or_create(
        organization=office, year=year, defaults={"title": f"{year}年法治政府建设工作要点"}
    )
    sections = []
    for order in range(1, 6):
        section, _created = PlanSection.objects.get_or_create(
            plan=plan, order=order, defaults={"title": f"第{order}部分"}
        )
        sections.append(section)
    base_number = PlanTask.objects.filter(section__plan=plan).count()
    statuses = [PlanTask.Status.DONE, PlanTask.Status.IN_PROGRESS, PlanTask.Status.NOT_STARTED]
    for i in range(12 * scale):
        status = statuses[i % 3]
        PlanTask.objects.create(
            section=sections[i % 5],
            number=base_number + i + 1,
            title=f"任务{i + 1}",
            body=f"第{i + 1}项任务内容",
            status=status,
            due_on=datetime.date(year, 6 + i % 6, 28),
            completed_on=datetime.date(year, 6, 1) if status == PlanTask.Status.DONE else None,
        )

    laws = [
        Law.objects.get_or_create(
            title=title, defaults={"short_title": title[:6], "kind": Law.Kind.LAW}
        )[0]
        for title in ("中华人民共和国保密法", "中华人民共和国档案法", "中华人民共和国民法典")
    ]
    kinds = list(StudySession.Kind)
    for i in range(12 * scale):
        session = StudySession.objects.create(
            date=day + datetime.timedelta(days=(i * 29) % 360),
            title=f"学法活动 {year}-{scale}-{i}",
            kind=kinds[i % len(kinds)],
            participants=20 + i % 10,
        )
        session.laws.add(laws[i % len(laws)])

    for i in range(6 * scale):
        assigned = datetime.date(year, 1 + i % 9, 10)
        replied = i % 3 != 2
        Proposal.objects.create(
            kind=Proposal.Kind.CPPCC if i % 2 else Proposal.Kind.NPC,
            year=year,
            number=f"{9000 + i + scale * 1000:04d}",
            title=f"提案 {i}",
            assigned_on=assigned,
            due_on=assigned + datetime.timedelta(days=90),
            replied_on=assigned + datetime.timedelta(days=60 if i % 2 else 100)
            if replied
            else None,
            result_class="ABCD"[i % 4] if replied else "",
            satisfaction=Proposal.Satisfaction.SATISFIED if replied else "",
        )

    countries = [
        Country.objects.get_or_create(name=name, defaults={"region": region})[0]
        for name, region in (
            ("德国", Country.Region.EUROPE),
            ("以色列", Country.Region.ASIA),
            ("巴西", Country.Region.LATIN_AMERICA),
        )
    ]
    for i in range(scale):
        notice = HonoraryCitizenNotice.objects.create(
            batch=(year - 2000) * 100 + i + scale,
            title=f"{year}年荣誉市民公示 {i}",
            notice_start=datetime.date(year, 11, 1),
            notice_end=datetime.date(year, 11, 8),
        )
        for n in range(7):
            Nominee.objects.create(
                notice=notice,
                name=f"Nominee {i}-{n}",
                nationality="德国",
                employer="常州某外资企业",
                years_in_city=3,
                contribution="促进对外交流。",
                order=n,
            )
        for _n in range(2):
            NoticeComment.objects.create(notice=notice, content="意见")

    for i in range(4 * scale):
        departure = datetime.date(year, 3 + i % 8, 5)
        delegation = Delegation.objects.create(
            name=f"出访团组 {year}-{i}",
            unit="市某局",
            leader="王某",
            departure_on=departure,
            return_on=departure + datetime.timedelta(days=4 + i % 4),
            pre_notice_start=departure - datetime.timedelta(days=14) if i % 2 else None,
            pre_notice_end=departure - datetime.timedelta(days=7) if i % 2 else None,
            education_on=departure - datetime.timedelta(days=3),
            in_trip_checked_on=departure + datetime.timedelta(days=1) if i % 3 == 0 else None,
            post_trip_checked_on=departure + datetime.timedelta(days=20) if i % 2 else None,
            post_trip_findings="报告报回较晚" if i % 4 == 1 else "",
        )
        for m in range(3 + i % 5):
            DelegationMember.objects.create(delegation=delegation, name=f"成员{m}", unit="市某局")
        for order, country in enumerate(countries[: 1 + i % 3], start=1):
            DelegationStop.objects.create(delegation=delegation, country=country, order=order)

    serial_base = DisclosureItem.objects.filter(index_year=year).count()
    for i in range(10 * scale):
        generated = datetime.date(year, 1 + i % 12, 2)
        DisclosureItem.objects.create(
            organization=office,
            title=f"{year}年公开信息 {i}",
            index_number=f"{office.org_code}/{year}-{serial_base + i + 1:05d}",
            category=DisclosureItem.Category.OTHER,
            publisher=office.full_name,
            generated_on=generated,
            published_on=generated + datetime.timedelta(days=1) if i % 5 else None,
            summary="" if i % 7 == 3 else f"内容概述 {i}",
            view_count=10 * i,
        )
