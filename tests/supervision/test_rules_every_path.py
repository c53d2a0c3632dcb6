"""Every domain rule refuses the same record on every path, with the same Chinese message,
and nothing is written: the admin add form, the admin import preview (dry run),
`manage.py import_records` and the model's own `full_clean()`.

The rules and their sources:
- an outbound delegation has at most 6 members, interpreters included, visits at most 3
  countries (transit included) and stays abroad at most 5/8/10 days for 1/2/3 countries,
  one more for Latin America or Africa (中办发〔2013〕16号); its pre-trip notice ends before
  departure; dates run forward;
- the limits themselves do not shrink as countries are added and are never zero;
- disclosure index serials never repeat per office and year and the counter never falls
  below a serial already used (《政府信息公开条例》); publication follows generation and
  repeal follows publication;
- a proposal is answered within 3 months of assignment, extended at most to 6 months;
  satisfaction and result class only after a reply (提案办理办法);
- an honorary-citizen nominee has worked in the city for at least 2 years
  (常政发〔2009〕87号); notice and appointment periods run forward.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dataio.resources import ID_COLUMN, resource_for
from dataio.spreadsheets import write_dataset
from disclosure.models import DisclosureItem, IndexCounter
from supervision.models import (
    Delegation,
    DelegationLimits,
    DelegationMember,
    DelegationStop,
    HonoraryCitizenNotice,
    IntegritySupervisor,
    Nominee,
    Proposal,
)
from tests import admin_factories as f
from tests.admin_factories import admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_admin")]

D = datetime.date


@dataclass
class Case:
    id: str
    model: type
    setup: Callable[[], dict]
    record: Callable[[dict], dict]
    message: str
    # Paths on which the record cannot even be written: the admin form of a disclosure item
    # has no index number, publication or repeal date (the workflow sets them).
    not_on: tuple[str, ...] = ()


def _trip_with(members: int = 0, countries: int = 0, days: int = 5) -> dict:
    trip = Delegation.objects.create(
        name="市外事办赴欧洲交流团",
        unit="市外事办",
        leader="张宇",
        departure_on=D(2021, 3, 1),
        return_on=D(2021, 3, 1) + datetime.timedelta(days=days - 1),
    )
    for i in range(members):
        DelegationMember.objects.create(delegation=trip, name=f"成员{i}", unit="市外事办")
    for i in range(countries):
        DelegationStop.objects.create(delegation=trip, country=f.country(i), order=i + 1)
    return {"trip": trip}


def _trip_record(**changes) -> Callable[[dict], dict]:
    def record(ctx):
        values = {
            "name": "市外事办赴日本交流团",
            "unit": "市外事办",
            "leader": "张宇",
            "departure_on": D(2021, 5, 10),
            "return_on": D(2021, 5, 14),
        }
        values.update(changes)
        return values

    return record


def _proposal_record(**changes) -> Callable[[dict], dict]:
    def record(ctx):
        values = {
            "kind": Proposal.Kind.CPPCC,
            "year": 2021,
            "number": "0303",
            "title": "关于将西太湖国际社区打造成标杆性国际社区的建议",
            "role": Proposal.Role.LEAD,
            "assigned_on": D(2021, 3, 1),
            "due_on": D(2021, 6, 1),
        }
        values.update(changes)
        return values

    return record


def _disclosure_record(**changes) -> Callable[[dict], dict]:
    def record(ctx):
        values = {
            "organization": f.organization(),
            "title": "2022年度政府信息公开工作年度报告",
            "index_number": "014109568/2022-00013",
            "category": DisclosureItem.Category.OTHER,
            "method": DisclosureItem.Method.PROACTIVE,
            "publisher": "市外事办",
            "generated_on": D(2022, 3, 21),
            "published_on": D(2022, 3, 22),
            "summary": "年度报告",
        }
        values.update(changes)
        return values

    return record


def _limits_record(**changes) -> Callable[[dict], dict]:
    def record(ctx):
        values = {
            "max_members": 6,
            "max_countries": 3,
            "days_one_country": 5,
            "days_two_countries": 8,
            "days_three_countries": 10,
            "extra_days_far": 1,
            "pre_notice_working_days": 5,
            "post_report_days": 30,
        }
        values.update(changes)
        return values

    return record


def _nothing() -> dict:
    return {}


def _notice() -> dict:
    return {"notice": f.honorary_citizen_notice(0)}


def _used_serial() -> dict:
    return {"item": f.disclosure_item(0)}  # 014109568/2022-00012


CASES = [
    Case(
        "seventh_member_of_a_delegation",
        DelegationMember,
        lambda: _trip_with(members=6, countries=1),
        lambda ctx: {"delegation": ctx["trip"], "name": "翻译王", "unit": "市外事办"},
        "团组人数 7 人，超过规定的 6 人（含翻译）。",
    ),
    Case(
        "fourth_country_of_a_delegation",
        DelegationStop,
        lambda: _trip_with(members=1, countries=3, days=8),
        lambda ctx: {"delegation": ctx["trip"], "country": f.country(3), "order": 4},
        "出访 4 个国家（地区），超过规定的 3 个（含经停）。",
    ),
    Case(
        "six_days_in_one_country",
        DelegationStop,
        lambda: _trip_with(members=1, countries=0, days=6),
        lambda ctx: {"delegation": ctx["trip"], "country": f.country(0), "order": 1},
        "在外 6 天，超过出访 1 国（地区）的 5 天上限（含离、抵我国国境当日）。",
    ),
    Case(
        "delegation_returning_before_departure",
        Delegation,
        _nothing,
        _trip_record(return_on=D(2021, 5, 9)),
        "入境日期不能早于出境日期。",
    ),
    Case(
        "delegation_notice_ending_before_it_starts",
        Delegation,
        _nothing,
        _trip_record(pre_notice_start=D(2021, 4, 30), pre_notice_end=D(2021, 4, 26)),
        "公示结束日期不能早于开始日期。",
    ),
    Case(
        "delegation_notice_ending_after_departure",
        Delegation,
        _nothing,
        _trip_record(pre_notice_start=D(2021, 5, 6), pre_notice_end=D(2021, 5, 12)),
        "出访前公示应在出境日期之前结束。",
    ),
    Case(
        "limits_with_fewer_days_for_more_countries",
        DelegationLimits,
        _nothing,
        _limits_record(days_two_countries=4),
        "天数上限应随出访国家数增加而不减少（一国 ≤ 两国 ≤ 三国）。",
    ),
    Case(
        "limits_of_zero_members",
        DelegationLimits,
        _nothing,
        _limits_record(max_members=0),
        "人数上限和国家数上限不能为 0。",
    ),
    Case(
        "index_counter_below_a_used_serial",
        IndexCounter,
        _used_serial,
        lambda ctx: {"organization": f.organization(), "year": 2022, "last_serial": 5},
        "2022 年已使用到第 12 号，计数器不能小于已用流水号。",
    ),
    Case(
        "disclosure_item_reusing_a_serial",
        DisclosureItem,
        _used_serial,
        _disclosure_record(index_number="014109568A/2022-00012"),
        "该年度的索引号流水号已被使用。",
        not_on=("admin_add_form",),
    ),
    Case(
        "disclosure_item_published_before_generated",
        DisclosureItem,
        _nothing,
        _disclosure_record(published_on=D(2022, 3, 20)),
        "公开日期不能早于生成日期。",
        not_on=("admin_add_form",),
    ),
    Case(
        "disclosure_item_repealed_before_published",
        DisclosureItem,
        _nothing,
        _disclosure_record(repealed_on=D(2022, 3, 1)),
        "废止日期不能早于公开日期。",
        not_on=("admin_add_form",),
    ),
    Case(
        "proposal_extended_beyond_six_months",
        Proposal,
        _nothing,
        _proposal_record(extended_due_on=D(2021, 9, 2)),
        "延期后的答复期限不得超过交办后 6 个月。",
    ),
    Case(
        "proposal_satisfaction_before_reply",
        Proposal,
        _nothing,
        _proposal_record(satisfaction=Proposal.Satisfaction.SATISFIED),
        "尚未答复的提案不能填写满意度。",
    ),
    Case(
        "proposal_result_class_before_reply",
        Proposal,
        _nothing,
        _proposal_record(result_class=Proposal.ResultClass.A),
        "尚未答复的提案不能填写办理结果分类。",
    ),
    Case(
        "proposal_due_before_assignment",
        Proposal,
        _nothing,
        _proposal_record(due_on=D(2021, 2, 1)),
        "答复期限不能早于交办日期。",
    ),
    Case(
        "proposal_replied_before_assignment",
        Proposal,
        _nothing,
        _proposal_record(replied_on=D(2021, 2, 1), reply_text="已答复。"),
        "答复日期不能早于交办日期。",
    ),
    Case(
        "nominee_one_year_in_the_city",
        Nominee,
        _notice,
        lambda ctx: {
            "notice": ctx["notice"],
            "name": "Jane Roe",
            "nationality": "英国",
            "employer": "常州某外资企业",
            "years_in_city": 1,
            "contribution": "促进对外交流合作。",
        },
        "候选人须在本市工作满 2 年。",
    ),
    Case(
        "notice_ending_before_it_starts",
        HonoraryCitizenNotice,
        _nothing,
        lambda ctx: {
            "batch": 19,
            "title": "第十九批常州市荣誉市民候选人公示",
            "notice_start": D(2021, 3, 8),
            "notice_end": D(2021, 3, 1),
        },
        "公示结束日期不能早于开始日期。",
    ),
    Case(
        "supervisor_term_ending_before_appointment",
        IntegritySupervisor,
        _nothing,
        lambda ctx: {
            "name": "行风监督员甲",
            "unit": "市纪委监委派驻组",
            "appointed_on": D(2021, 3, 1),
            "term_end_on": D(2020, 3, 1),
        },
        "聘期结束日期不能早于聘任日期。",
    ),
]


def _written(model) -> tuple[int, int]:
    return model._default_manager.count(), model.history.count()


def _admin_inlines(case: Case, values: dict) -> dict:
    """A delegation is entered with its stops: give the add form one valid country."""
    if case.model is Delegation:
        return {"stops": [{"country": f.country(3), "order": 1}]}
    return {}


def _sheet(model, records: list[dict]) -> tablib.Dataset:
    """The records as a user's spreadsheet: the import columns, cells as exported."""
    resource = resource_for(model)()
    by_attribute = {field.attribute: field for field in resource.get_import_fields()}
    names = list(records[0])
    dataset = tablib.Dataset(headers=[ID_COLUMN, *(by_attribute[n].column_name for n in names)])
    for record in records:
        cells = [by_attribute[n].widget.render(record[n]) for n in names]
        dataset.append(["", *cells])
    return dataset


def _via_admin_add(client, case, values):
    model = case.model
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = client.post(url, admin_form_data(model, values, _admin_inlines(case, values)))
    assert response.status_code == 200
    return response.content.decode()


def _via_admin_import_preview(client, case, values):
    model = case.model
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    upload = SimpleUploadedFile("导入.xlsx", write_dataset(_sheet(model, [values]), "xlsx"))
    response = client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    return response.content.decode()


def _via_import_records(tmp_path, case, values):
    model = case.model
    path = tmp_path / "导入.xlsx"
    path.write_bytes(write_dataset(_sheet(model, [values]), "xlsx"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_records", model._meta.label, str(path), stderr=err, stdout=io.StringIO()
        )
    return err.getvalue()


def _via_full_clean(tmp_path, case, values):
    instance = case.model(**values)
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return "\n".join(refused.value.messages)


PATHS = {
    "admin_add_form": _via_admin_add,
    "admin_import_preview": _via_admin_import_preview,
    "import_records": _via_import_records,
    "model_full_clean": _via_full_clean,
}


@pytest.mark.parametrize(
    ("case", "path"),
    [
        pytest.param(case, path, id=f"{case.id}-{path}")
        for case in CASES
        for path in PATHS
        if path not in case.not_on
    ],
)
def test_the_same_invalid_record_is_refused_on_every_path(admin_client, tmp_path, case, path):
    ctx = case.setup()
    values = case.record(ctx)
    before = _written(case.model)
    if path.startswith("admin"):
        text = PATHS[path](admin_client, case, values)
    else:
        text = PATHS[path](tmp_path, case, values)
    assert case.message in text
    assert _written(case.model) == before


# --- rules across the rows of one file or one form -----------------------------------


def _seven_members(trip) -> list[dict]:
    return [
        {"delegation": trip, "name": f"成员{i}", "unit": "市外事办", "is_interpreter": i == 6}
        for i in range(7)
    ]


SEVEN = "团组人数 7 人，超过规定的 6 人（含翻译）。"


def test_a_clerk_importing_a_seven_member_delegation_with_the_command_is_refused(tmp_path):
    trip = _trip_with(countries=1)["trip"]
    path = tmp_path / "成员.xlsx"
    path.write_bytes(write_dataset(_sheet(DelegationMember, _seven_members(trip)), "xlsx"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", "supervision.DelegationMember", str(path), stderr=err)
    assert SEVEN in err.getvalue()
    assert trip.members.count() == 0
    assert DelegationMember.history.count() == 0


def test_a_clerk_previewing_a_seven_member_delegation_in_the_admin_is_refused(admin_client):
    trip = _trip_with(countries=1)["trip"]
    upload = SimpleUploadedFile(
        "成员.xlsx", write_dataset(_sheet(DelegationMember, _seven_members(trip)), "xlsx")
    )
    response = admin_client.post(
        reverse("admin:supervision_delegationmember_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    assert SEVEN in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert trip.members.count() == 0


def test_four_countries_in_one_file_are_refused_by_the_bulk_import(tmp_path):
    trip = _trip_with(members=1, days=8)["trip"]
    rows = [{"delegation": trip, "country": f.country(i), "order": i + 1} for i in range(4)]
    path = tmp_path / "国家.xlsx"
    path.write_bytes(write_dataset(_sheet(DelegationStop, rows), "xlsx"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", "supervision.DelegationStop", str(path), stderr=err)
    assert "出访 4 个国家（地区），超过规定的 3 个（含经停）。" in err.getvalue()
    assert trip.stops.count() == 0


def test_a_seven_member_delegation_entered_in_the_admin_is_refused(admin_client):
    values = _trip_record()(None)
    members = [{"name": f"成员{i}", "unit": "市外事办"} for i in range(7)]
    data = admin_form_data(
        Delegation, values, {"members": members, "stops": [{"country": f.country(0)}]}
    )
    response = admin_client.post(reverse("admin:supervision_delegation_add"), data)
    assert response.status_code == 200
    assert SEVEN in response.content.decode()
    assert Delegation.objects.count() == 0


def test_the_admin_still_accepts_swapping_a_member_on_a_full_delegation(admin_client):
    """Six members, one deleted and one added in the same form: still six."""
    trip = _trip_with(members=6, countries=1)["trip"]
    members = list(trip.members.all())
    data = admin_form_data(Delegation, _trip_record(name=trip.name)(None))
    data.update(
        {
            "departure_on": trip.departure_on.isoformat(),
            "return_on": trip.return_on.isoformat(),
            "members-TOTAL_FORMS": "7",
            "members-INITIAL_FORMS": "6",
            "stops-TOTAL_FORMS": "1",
            "stops-INITIAL_FORMS": "1",
            "stops-0-id": str(trip.stops.get().pk),
            "stops-0-delegation": str(trip.pk),
            "stops-0-country": str(trip.stops.get().country_id),
            "stops-0-order": "1",
        }
    )
    for i, member in enumerate(members):
        data.update(
            {
                f"members-{i}-id": str(member.pk),
                f"members-{i}-delegation": str(trip.pk),
                f"members-{i}-name": member.name,
                f"members-{i}-unit": member.unit,
            }
        )
    data["members-0-DELETE"] = "on"
    data.update({"members-6-name": "新成员", "members-6-unit": "市外事办"})
    response = admin_client.post(
        reverse("admin:supervision_delegation_change", args=[trip.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert trip.members.count() == 6


def test_moving_a_trip_longer_than_its_countries_allow_is_refused_on_import(tmp_path):
    trip = _trip_with(members=1, countries=1)["trip"]
    values = {
        "name": trip.name,
        "unit": trip.unit,
        "leader": trip.leader,
        "departure_on": trip.departure_on,
        "return_on": trip.departure_on + datetime.timedelta(days=6),
    }
    trip.return_on = values["return_on"]
    with pytest.raises(ValidationError, match="在外 7 天"):
        trip.full_clean()
    path = tmp_path / "团组.xlsx"
    path.write_bytes(write_dataset(_sheet(Delegation, [values]), "xlsx"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", "supervision.Delegation", str(path), stderr=err)
    assert "在外 7 天，超过出访 1 国（地区）的 5 天上限" in err.getvalue()
    assert Delegation.objects.get(pk=trip.pk).days_abroad == 5


def test_a_clerk_imports_the_stops_of_a_two_country_eight_day_trip_in_one_file(tmp_path):
    """Each stop row alone would be a one-country trip of 8 days; the file is read as a
    whole, so the two countries together are within their 8-day limit."""
    trip = _trip_with(members=1, days=8)["trip"]
    rows = [{"delegation": trip, "country": f.country(i), "order": i + 1} for i in range(2)]
    path = tmp_path / "国家.xlsx"
    path.write_bytes(write_dataset(_sheet(DelegationStop, rows), "xlsx"))
    out = io.StringIO()
    call_command("import_records", "supervision.DelegationStop", str(path), stdout=out)
    assert "新增 2 条" in out.getvalue()
    assert trip.stops.count() == 2


def test_a_clerk_lengthens_a_trip_and_adds_its_second_country_in_one_admin_form(admin_client):
    """Five days in one country become eight days in two: valid together, though neither
    change would be alone."""
    trip = _trip_with(members=1, countries=1)["trip"]
    member = trip.members.get()
    stop = trip.stops.get()
    data = admin_form_data(Delegation, _trip_record(name=trip.name)(None))
    data.update(
        {
            "departure_on": trip.departure_on.isoformat(),
            "return_on": (trip.departure_on + datetime.timedelta(days=7)).isoformat(),
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "1",
            "members-0-id": str(member.pk),
            "members-0-delegation": str(trip.pk),
            "members-0-name": member.name,
            "members-0-unit": member.unit,
            "stops-TOTAL_FORMS": "2",
            "stops-INITIAL_FORMS": "1",
            "stops-0-id": str(stop.pk),
            "stops-0-delegation": str(trip.pk),
            "stops-0-country": str(stop.country_id),
            "stops-0-order": "1",
            "stops-1-country": str(f.country(1).pk),
            "stops-1-order": "2",
        }
    )
    response = admin_client.post(
        reverse("admin:supervision_delegation_change", args=[trip.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Delegation.objects.get(pk=trip.pk).days_abroad == 8
    assert trip.stops.count() == 2


def test_a_clerk_cannot_lengthen_a_trip_beyond_its_countries_in_the_admin(admin_client):
    trip = _trip_with(members=1, countries=1)["trip"]
    member = trip.members.get()
    stop = trip.stops.get()
    data = admin_form_data(Delegation, _trip_record(name=trip.name)(None))
    data.update(
        {
            "departure_on": trip.departure_on.isoformat(),
            "return_on": (trip.departure_on + datetime.timedelta(days=7)).isoformat(),
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "1",
            "members-0-id": str(member.pk),
            "members-0-delegation": str(trip.pk),
            "members-0-name": member.name,
            "members-0-unit": member.unit,
            "stops-TOTAL_FORMS": "1",
            "stops-INITIAL_FORMS": "1",
            "stops-0-id": str(stop.pk),
            "stops-0-delegation": str(trip.pk),
            "stops-0-country": str(stop.country_id),
            "stops-0-order": "1",
        }
    )
    response = admin_client.post(
        reverse("admin:supervision_delegation_change", args=[trip.pk]), data
    )
    assert response.status_code == 200
    assert "在外 8 天，超过出访 1 国（地区）的 5 天上限" in response.content.decode()
    assert Delegation.objects.get(pk=trip.pk).days_abroad == 5


@pytest.mark.django_db(transaction=True)
def test_a_seven_member_delegation_in_a_background_import_is_refused(
    admin_client, settings, tmp_path
):
    """Files above the background threshold go to the worker: the same rule refuses them."""
    from dataio.models import ImportJob
    from tests.dataio.test_bulk_import import run_worker

    settings.FAO_PRIVATE_ROOT = tmp_path / "private"
    settings.FAO_BACKGROUND_IMPORT_ROWS = 2
    trip = _trip_with(countries=1)["trip"]
    upload = SimpleUploadedFile(
        "成员.xlsx", write_dataset(_sheet(DelegationMember, _seven_members(trip)), "xlsx")
    )
    response = admin_client.post(
        reverse("admin:supervision_delegationmember_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    assert response.status_code == 302
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "failed"
    report = admin_client.get(reverse("dataio:import_job_report", args=[job.pk]))
    from dataio.spreadsheets import read_dataset

    lines = read_dataset(b"".join(report.streaming_content), "xlsx")
    assert SEVEN in lines[0][-1]
    assert trip.members.count() == 0
    assert DelegationMember.history.count() == 0
