"""Write the demo data (data.py) with natural keys, so that a second run changes nothing.

A record is saved only when a field differs from the data: an unchanged record gets no new
history row either, which keeps every table's row count equal on a second run.
"""

import io
import secrets
import string
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.roles import REVIEWER, sync_roles
from core.models import Organization
from demo import data
from demo.open_notice import load_open_notice, load_site_settings
from demo.published_report import load_published_report
from disclosure.models import DisclosureItem, IndexCounter
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
    IntegritySupervisor,
    Nominee,
    Proposal,
)
from supervision.publishing import notice_review_and_publish
from trainings.models import Law, StudySession

SEED_REPORT_PATH = Path(__file__).with_name("seed_2021_report.txt")
CHANGE_REASON = "演示数据加载"


def seed_report_text() -> str:
    return SEED_REPORT_PATH.read_text(encoding="utf-8").strip()


def upsert(model: type[models.Model], lookup: dict, defaults: dict | None = None, **m2m):
    """Get the record by its natural key and bring it to the data, saving only on change."""
    values = {**lookup, **(defaults or {})}
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj, changed = model(**values), True
    else:
        changed = any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
    if changed:
        if isinstance(obj, DisclosureItem):
            # Derived in save(); full_clean needs them first.
            obj.index_year, obj.index_serial = obj.split_index_number(obj.index_number)
        obj._change_reason = CHANGE_REASON
        obj.full_clean()
        obj.save()
    for name, related in m2m.items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {item.pk for item in related}:
            manager.set(related)
    return obj


def generate_password(length: int = 16) -> str:
    """Random password with every character class, so any complexity validator accepts it."""
    classes = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "-_.!@#%+="]
    chars = [secrets.choice(pool) for pool in classes]
    chars += [secrets.choice("".join(classes)) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def load_organization() -> Organization:
    org = upsert(Organization, {"org_code": data.ORG["org_code"]}, data.ORG)
    for division in data.DIVISIONS:
        upsert(Division, {"organization": org, "name": division["name"]}, division)
    return org


def load_people() -> dict[str, Person]:
    people = {}
    for key, (name, post, unit, is_demo) in data.PEOPLE.items():
        people[key] = upsert(
            Person, {"name": name, "unit": unit}, {"post": post, "is_demo": is_demo}
        )
    return people


def load_leading_groups(org: Organization, people: dict[str, Person]) -> None:
    for spec in data.LEADING_GROUPS:
        fields = {k: v for k, v in spec.items() if k not in ("name", "members")}
        group = upsert(LeadingGroup, {"organization": org, "name": spec["name"]}, fields)
        for person_key, role, post in spec["members"]:
            upsert(
                LeadingGroupMember,
                {"group": group, "person": people[person_key], "role": role},
                {"post": post},
            )


def load_documents() -> None:
    for spec in data.INSTITUTIONAL_DOCUMENTS:
        upsert(InstitutionalDocument, {"title": spec["title"]}, spec)


def load_legal_advisers(people: dict[str, Person]) -> None:
    spec = dict(data.LEGAL_ENGAGEMENT)
    lawyers = [people[key] for key in spec.pop("lawyers")]
    engagement = upsert(
        LegalAdviserEngagement,
        {"law_firm": spec["law_firm"], "start_on": spec["start_on"]},
        spec,
        lawyers=lawyers,
    )
    for kind, day, description, is_demo in data.LEGAL_SERVICES:
        upsert(
            LegalService,
            {"engagement": engagement, "description": description},
            {"kind": kind, "date": day, "is_demo": is_demo},
        )


def load_trainings(people: dict[str, Person]) -> None:
    laws = {}
    for key, (title, short_title, kind, issuer) in data.LAWS.items():
        laws[key] = upsert(
            Law, {"title": title}, {"short_title": short_title, "kind": kind, "issuer": issuer}
        )
    for spec in data.STUDY_SESSIONS:
        fields = {k: v for k, v in spec.items() if k not in ("date", "title", "laws", "speaker")}
        if "speaker" in spec:
            speaker = people[spec["speaker"]]
            fields.update(
                speaker_name=speaker.name, speaker_post=speaker.post, speaker_org=speaker.unit
            )
        upsert(
            StudySession,
            {"date": spec["date"], "title": spec["title"]},
            fields,
            laws=[laws[key] for key in spec.get("laws", [])],
        )


def load_work_records() -> None:
    for theme, records in data.WORK_RECORDS.items():
        for order, (title, narrative, quantities) in enumerate(records, start=1):
            record = upsert(
                WorkRecord,
                {"year": 2021, "theme": theme, "title": title},
                {"narrative": narrative, "order": order},
            )
            for key, label, value, unit, is_lower_bound in quantities:
                upsert(
                    WorkQuantity,
                    {"record": record, "key": key},
                    {
                        "label": label,
                        "value": value,
                        "unit": unit,
                        "is_lower_bound": is_lower_bound,
                    },
                )


def load_supervision() -> None:
    for spec in data.PROPOSALS:
        lookup = {k: spec[k] for k in ("kind", "year", "number")}
        upsert(Proposal, lookup, spec)

    notice = upsert(
        HonoraryCitizenNotice, {"batch": data.HONORARY_NOTICE["batch"]}, data.HONORARY_NOTICE
    )
    for order, nominee in enumerate(data.NOMINEES, start=1):
        name, chinese_name, nationality, employer, post, years, contribution = nominee
        upsert(
            Nominee,
            {"notice": notice, "name": name},
            {
                "chinese_name": chinese_name,
                "nationality": nationality,
                "employer": employer,
                "post": post,
                "years_in_city": years,
                "contribution": contribution,
                "order": order,
                "is_demo": True,
            },
        )

    countries = {
        name: upsert(Country, {"name": name}, {"region": region}) for name, region in data.COUNTRIES
    }
    supervisors = {}
    for name, unit, post, appointed_on, term_end_on in data.INTEGRITY_SUPERVISORS:
        supervisors[name] = upsert(
            IntegritySupervisor,
            {"name": name, "unit": unit},
            {
                "post": post,
                "appointed_on": appointed_on,
                "term_end_on": term_end_on,
                "is_demo": True,
            },
        )
    for spec in data.DELEGATIONS:
        fields = {k: v for k, v in spec.items() if k not in ("countries", "members", "supervisor")}
        fields.update(supervisor=supervisors[spec["supervisor"]], is_demo=True)
        delegation = upsert(
            Delegation, {"name": spec["name"], "departure_on": spec["departure_on"]}, fields
        )
        for order, country in enumerate(spec["countries"], start=1):
            upsert(
                DelegationStop,
                {"delegation": delegation, "country": countries[country]},
                {"order": order},
            )
        for name, post in spec["members"]:
            upsert(
                DelegationMember,
                {"delegation": delegation, "name": name},
                {"unit": spec["unit"], "post": post, "is_interpreter": post == "翻译"},
            )


def publish_demo_notices() -> None:
    """The demo's notices go public as a real one does: after a reviewer's secrecy review
    (《政府信息公开条例》第十七条)."""
    reviewer = User.objects.filter(is_active=True, groups__name=REVIEWER).order_by("pk").first()
    if reviewer is None:
        return
    for notice in HonoraryCitizenNotice.objects.filter(is_demo=True, published_at__isnull=True):
        notice_review_and_publish(notice=notice, user=reviewer, note="演示数据加载")


def load_plan(org: Organization) -> None:
    plan_fields = dict(data.PLAN_2022)
    plan = upsert(WorkPlan, {"organization": org, "year": plan_fields.pop("year")}, plan_fields)
    for order, (section_title, tasks) in enumerate(data.PLAN_2022_SECTIONS, start=1):
        section = upsert(PlanSection, {"plan": plan, "order": order}, {"title": section_title})
        for number, body in tasks:
            title = body.split("。", 1)[0]
            upsert(PlanTask, {"section": section, "number": number}, {"title": title, "body": body})


def load_disclosure(org: Organization) -> None:
    spec = data.SEED_DISCLOSURE
    upsert(
        DisclosureItem,
        {"index_number": spec["index_number"]},
        {**spec, "organization": org, "body": seed_report_text()},
    )
    counter = IndexCounter.objects.filter(organization=org, year=data.SEED_INDEX_YEAR).first()
    # Never move the counter back: serials issued after the seed must not be reissued.
    if counter is None or counter.last_serial < data.SEED_INDEX_SERIAL:
        upsert(
            IndexCounter,
            {"organization": org, "year": data.SEED_INDEX_YEAR},
            {"last_serial": data.SEED_INDEX_SERIAL},
        )


def load_users(write: Callable[[str], None]) -> None:
    for username, role, is_superuser in data.USERS:
        if User.objects.filter(username=username).exists():
            write(
                _("用户 %(user)s（%(role)s）已存在，未作改动。") % {"user": username, "role": role}
            )
            continue
        password = generate_password()
        user = User(username=username, is_staff=True, is_superuser=is_superuser)
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        user.groups.add(Group.objects.get(name=role))
        write(
            _("已创建用户 %(user)s（%(role)s），初始密码：%(password)s")
            % {"user": username, "role": role, "password": password}
        )


@transaction.atomic
def load_demo(*, write: Callable[[str], None] = lambda line: None) -> None:
    sync_roles()
    org = load_organization()
    people = load_people()
    load_leading_groups(org, people)
    load_documents()
    load_legal_advisers(people)
    load_trainings(people)
    load_work_records()
    load_supervision()
    load_plan(org)
    load_disclosure(org)
    load_open_notice()
    load_site_settings()
    load_users(write)
    publish_demo_notices()
    # The 2021 report as published, linked to the seed's disclosure item (after the users,
    # who appear in its approval history).
    load_published_report(org, seed_report_text())
    # Applications for disclosure around 2022 in every state (依申请公开), handled through the
    # step functions by the users above, so the 2022 disclosure work report has figures.
    call_command("load_demo_applications", stdout=io.StringIO())
