"""The dashboard's query count does not grow with the data ."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.volume import build_year

URL = "/dashboard/?year=2021"


@pytest.fixture(autouse=True)
def plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def leader_client(client, leadership_user):
    client.force_login(leadership_user)
    return client


@pytest.fixture
def clerk_client(client, data_entry_user):
    """Data-entry staff who also review get the "awaiting your action" queries."""
    data_entry_user.groups.add(Group.objects.get(name="审核人"))
    client.force_login(data_entry_user)
    return client


def _queries(client) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response.context["data"]


@pytest.mark.parametrize("persona", ["leader_client", "clerk_client"])
def test_query_count_is_the_same_at_ten_times_the_data(db, persona, request):
    client = request.getfixturevalue(persona)
    for year in (2021, 2020):
        build_year(year, scale=1)
    client.get(URL)  # warm the per-process caches (content types, templates)
    at_1x, data_1x = _queries(client)

    for year in (2021, 2020):
        build_year(year, scale=9)
    at_10x, data_10x = _queries(client)

    learning_1x = data_1x.panels["learning"].figure("total")
    learning_10x = data_10x.panels["learning"].figure("total")
    assert (learning_1x.value, learning_10x.value) == (12, 120)
    assert data_10x.panels["delegations"].figure("total").value == 40
    assert data_10x.panels["proposals"].figure("received").value == 60
    assert at_10x == at_1x, f"{at_1x} queries at 1x, {at_10x} at 10x"
    # A fixed, small budget: session, user, permissions, then a few queries per panel.
    assert 0 < at_1x <= 40
