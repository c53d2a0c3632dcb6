"""Outbound delegations are checked against the configurable limits (docs/domain.md: at most 6
people including the interpreter, at most 3 countries including transit, 5/8/10 days for
1/2/3 countries counting departure and arrival days, one more for Latin America or Africa)
when entered in the admin; a broken rule is named in Chinese and nothing is saved."""

import datetime

import pytest
from django.urls import reverse

from supervision.models import (
    Country,
    Delegation,
    DelegationLimits,
    DelegationMember,
    DelegationStop,
)
from tests.admin_factories import DAY, admin_form_data, inline_data, make

pytestmark = pytest.mark.usefixtures("local_admin")

ADD_URL = reverse("admin:supervision_delegation_add")
GERMANY, FRANCE, ITALY, JAPAN, BRAZIL, EGYPT = range(6)  # tests.admin_factories.COUNTRIES


def _trip(days: int) -> dict:
    return {
        "name": "市外事办赴欧洲交流团",
        "unit": "市外事办",
        "leader": "张宇",
        "departure_on": DAY,
        "return_on": DAY + datetime.timedelta(days=days - 1),
        "tasks": "开展友城交流。",
    }


def _members(count: int) -> list[dict]:
    rows = [{"name": "张宇", "unit": "市外事办", "post": "主任"}]
    rows += [{"name": f"成员{i}", "unit": "市外事办"} for i in range(1, count)]
    if count > 1:
        rows[-1]["is_interpreter"] = True
    return rows


def _stops(*countries: int, transit: int | None = None) -> list[dict]:
    return [
        {"order": order, "country": make(Country, n), "is_transit": n == transit}
        for order, n in enumerate(countries, start=1)
    ]


def _post_trip(client, *, days: int, members: int, countries: list[int], transit=None):
    data = admin_form_data(
        Delegation,
        _trip(days),
        {"members": _members(members), "stops": _stops(*countries, transit=transit)},
    )
    return client.post(ADD_URL, data)


def _nothing_saved() -> bool:
    return (
        Delegation.objects.count() == 0
        and DelegationMember.objects.count() == 0
        and DelegationStop.objects.count() == 0
    )


def test_a_trip_within_every_limit_is_saved_with_its_members_and_stops(admin_client):
    response = _post_trip(
        admin_client, days=10, members=6, countries=[GERMANY, FRANCE, ITALY], transit=ITALY
    )
    assert response.status_code == 302
    trip = Delegation.objects.get()
    assert trip.members.count() == 6
    assert [stop.country.name for stop in trip.stops.all()] == ["德国", "法国", "意大利"]
    assert trip.rule_violations() == []


def test_seven_members_are_refused_naming_the_size_rule(admin_client):
    response = _post_trip(admin_client, days=5, members=7, countries=[GERMANY])
    assert response.status_code == 200
    assert "团组人数 7 人，超过规定的 6 人（含翻译）。" in response.content.decode()
    assert _nothing_saved()


def test_four_countries_counting_a_transit_stop_are_refused(admin_client):
    response = _post_trip(
        admin_client, days=10, members=2, countries=[GERMANY, FRANCE, ITALY, JAPAN], transit=JAPAN
    )
    assert response.status_code == 200
    assert "出访 4 个国家（地区），超过规定的 3 个（含经停）。" in response.content.decode()
    assert _nothing_saved()


@pytest.mark.parametrize(
    ("countries", "allowed"),
    [([GERMANY], 5), ([GERMANY, FRANCE], 8), ([GERMANY, FRANCE, ITALY], 10)],
    ids=["one_country", "two_countries", "three_countries"],
)
def test_days_abroad_are_limited_by_the_number_of_countries(admin_client, countries, allowed):
    too_long = _post_trip(admin_client, days=allowed + 1, members=2, countries=countries)
    assert too_long.status_code == 200
    days, n = allowed + 1, len(countries)
    message = (
        f"在外 {days} 天，超过出访 {n} 国（地区）的 {allowed} 天上限（含离、抵我国国境当日）。"
    )
    assert message in too_long.content.decode()
    assert _nothing_saved()

    just_right = _post_trip(admin_client, days=allowed, members=2, countries=countries)
    assert just_right.status_code == 302
    assert Delegation.objects.get().days_abroad == allowed


@pytest.mark.parametrize(
    "countries", [[BRAZIL], [GERMANY, EGYPT]], ids=["latin_america", "africa_with_europe"]
)
def test_latin_america_or_africa_earns_one_more_day(admin_client, countries):
    allowed = {1: 5, 2: 8}[len(countries)] + 1
    too_long = _post_trip(admin_client, days=allowed + 1, members=2, countries=countries)
    assert too_long.status_code == 200
    assert f"超过出访 {len(countries)} 国（地区）的 {allowed} 天上限" in too_long.content.decode()
    assert _nothing_saved()

    one_extra_day = _post_trip(admin_client, days=allowed, members=2, countries=countries)
    assert one_extra_day.status_code == 302


def test_every_broken_rule_is_reported_at_once(admin_client):
    response = _post_trip(
        admin_client, days=12, members=8, countries=[GERMANY, FRANCE, ITALY, JAPAN]
    )
    content = response.content.decode()
    assert "团组人数 8 人，超过规定的 6 人（含翻译）。" in content
    assert "出访 4 个国家（地区），超过规定的 3 个（含经停）。" in content
    assert "在外 12 天，超过出访 4 国（地区）的 10 天上限" in content
    assert _nothing_saved()


def test_a_trip_without_any_country_is_refused(admin_client):
    response = _post_trip(admin_client, days=3, members=2, countries=[])
    assert response.status_code == 200
    assert "请至少填写一个出访国家（地区）。" in response.content.decode()
    assert _nothing_saved()


def test_the_limits_are_read_from_the_configured_rule_set(admin_client):
    DelegationLimits.objects.create(max_members=4, days_one_country=3)
    response = _post_trip(admin_client, days=4, members=5, countries=[GERMANY])
    content = response.content.decode()
    assert "团组人数 5 人，超过规定的 4 人（含翻译）。" in content
    assert "在外 4 天，超过出访 1 国（地区）的 3 天上限" in content
    assert _nothing_saved()


def _change_data(trip: Delegation, **changes) -> dict:
    """The change form as the admin shows it for `trip`, with `changes` applied."""
    values = {**_trip(trip.days_abroad), "name": trip.name, **changes}
    data = admin_form_data(Delegation, values)
    members = [
        {"id": m.pk, "delegation": trip, "name": m.name, "unit": m.unit} for m in trip.members.all()
    ]
    stops = [
        {"id": s.pk, "delegation": trip, "order": s.order, "country": s.country}
        for s in trip.stops.all()
    ]
    data.update(inline_data("members", members, initial=len(members)))
    data.update(inline_data("stops", stops, initial=len(stops)))
    return data


def _change_url(trip: Delegation) -> str:
    return reverse("admin:supervision_delegation_change", args=[trip.pk])


def test_members_marked_for_deletion_do_not_count(admin_client):
    trip = make(Delegation)
    for i in range(5):
        DelegationMember.objects.create(delegation=trip, name=f"成员{i}", unit="市外事办")
    data = _change_data(trip)
    data["members-0-DELETE"] = "on"
    data.update(
        {
            "members-TOTAL_FORMS": "7",
            "members-6-name": "翻译小李",
            "members-6-unit": "市外事办",
            "members-6-is_interpreter": "on",
        }
    )
    response = admin_client.post(_change_url(trip), data)
    assert response.status_code == 302
    assert trip.members.count() == 6
    assert trip.members.filter(name="翻译小李").exists()


def test_new_dates_are_checked_against_the_stops_already_entered(admin_client):
    trip = make(Delegation)  # one country, 5 days
    data = _change_data(trip, return_on=trip.departure_on + datetime.timedelta(days=6))
    response = admin_client.post(_change_url(trip), data)
    assert response.status_code == 200
    assert "在外 7 天，超过出访 1 国（地区）的 5 天上限" in response.content.decode()
    trip.refresh_from_db()
    assert trip.days_abroad == 5


def test_a_member_added_on_the_member_list_obeys_the_size_limit(admin_client):
    trip = make(Delegation)
    for i in range(5):
        DelegationMember.objects.create(delegation=trip, name=f"成员{i}", unit="市外事办")
    response = admin_client.post(
        reverse("admin:supervision_delegationmember_add"),
        {"delegation": trip.pk, "name": "第七人", "unit": "市外事办"},
    )
    assert response.status_code == 200
    assert "团组人数 7 人，超过规定的 6 人（含翻译）。" in response.content.decode()
    assert trip.members.count() == 6


def test_a_stop_added_on_the_stop_list_obeys_the_country_limit(admin_client):
    trip = make(Delegation)
    for order, n in enumerate([FRANCE, ITALY], start=2):
        DelegationStop.objects.create(delegation=trip, country=make(Country, n), order=order)
    response = admin_client.post(
        reverse("admin:supervision_delegationstop_add"),
        {"delegation": trip.pk, "country": make(Country, JAPAN).pk, "order": 4},
    )
    assert response.status_code == 200
    assert "出访 4 个国家（地区），超过规定的 3 个（含经停）。" in response.content.decode()
    assert trip.stops.count() == 3


def test_the_rule_set_counts_departure_and_arrival_days():
    limits = DelegationLimits()
    germany = Country(name="德国", region=Country.Region.EUROPE)
    five_days = limits.violations(
        departure_on=DAY,
        return_on=DAY + datetime.timedelta(days=4),
        member_count=6,
        countries=[germany],
    )
    assert five_days == []
