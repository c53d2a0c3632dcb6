"""With the demo data (the seed's 2021 report), the dashboard shows the report's figures and
every figure opens the admin list of exactly the records counted."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command


@pytest.fixture(autouse=True)
def plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def demo(db):
    # The command prints the demo passwords; keep them out of the test output.
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def leader_client(client, demo):
    """The demo's leadership account (领导)."""
    client.force_login(User.objects.get(groups__name="领导"))
    return client


def _data(client, year: int):
    response = client.get("/dashboard/", {"year": year})
    assert response.status_code == 200
    return response.context["data"]


def _listed(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(response.context["cl"].queryset)


def test_2021_panels_match_the_seed_report(leader_client):
    data = _data(leader_client, 2021)
    learning = data.panels["learning"]
    # "党组理论学习中心组举办4次学法活动"
    center_group = learning.figure("center_group")
    assert center_group.value == 4
    assert len(_listed(leader_client, center_group.url)) == 4
    # "把《中国共产党章程》《保密法》《国家秘密定密管理暂行规定》《优化营商环境条例》等作为学习内容"
    studied = {law.title for law in _listed(leader_client, learning.figure("laws").url)}
    for title in ("中国共产党章程", "国家秘密定密管理暂行规定", "优化营商环境条例"):
        assert any(title in name for name in studied), title
    # 张步东's 《档案法》 lecture and 时轶's 《民法典》 lecture.
    assert learning.figure("lecture").value == 2

    # "及时答复了政协第0209号提案……和第0303号提案"
    proposals = data.panels["proposals"]
    assert proposals.figure("received").value == 2
    replied = proposals.figure("replied")
    assert replied.value == 2
    assert {p.number for p in _listed(leader_client, replied.url)} == {"0209", "0303"}
    assert proposals.figure("in_time_rate").value == 100.0
    assert proposals.figure("overdue").value == 0

    # "对拟授予第十八批“常州市荣誉市民”称号的7名外籍人士在网站进行公示"
    nominees = data.panels["notices"].figure("nominees")
    assert nominees.value == 7
    assert len(_listed(leader_client, nominees.url)) == 7
    assert data.panels["notices"].figure("total").value == 1

    # The 2022 plan drafted in 2021: twelve numbered tasks.
    assert data.panels["plan"].figure("next_total").value == 12

    # Delegations were inspected "事中、事后".
    delegations = data.panels["delegations"]
    assert delegations.figure("total").value >= 1
    assert delegations.figure("in_trip").value >= 1
    assert delegations.figure("post_trip").value >= 1


def test_2021_report_deadlines_read_from_the_published_report(leader_client):
    """The seed report: generated 2022-03-21, published 2022-03-22, before 1 April."""
    deadlines = _data(leader_client, 2021).panels["report"].extra["deadlines"]
    submitted, published = deadlines[0], deadlines[1]
    assert published.met is True
    assert published.done_on == datetime.date(2022, 3, 22)
    assert published.days_late == 0
    assert submitted.met is True
    assert submitted.done_on == datetime.date(2022, 3, 21)


def test_2022_disclosure_panel_counts_the_seed_page(leader_client):
    disclosure = _data(leader_client, 2022).panels["disclosure"]
    published = disclosure.figure("published")
    assert published.value >= 1
    items = _listed(leader_client, published.url)
    assert "014109568/2022-00012" in {item.index_number for item in items}
    assert disclosure.figure("missing").value == 0


@pytest.mark.parametrize("year", [2021, 2022])
def test_every_demo_figure_links_to_exactly_its_records(leader_client, year):
    data = _data(leader_client, year)
    checked = 0
    for panel in data.panels.values():
        for figure in panel.figures:
            for url, count in (
                (figure.url, figure.link_count),
                (figure.previous_url, figure.previous_link_count),
            ):
                if url is None:
                    assert count == 0, figure.key
                    continue
                response = leader_client.get(url)
                assert response.status_code == 200, url
                assert response.context["cl"].result_count == count, (figure.key, url)
                checked += 1
        for deadline in panel.extra.get("deadlines", []):
            if deadline.url:
                response = leader_client.get(deadline.url)
                assert response.context["cl"].result_count == int(bool(deadline.met)), (
                    deadline.label
                )
    assert checked > 40


@pytest.mark.parametrize(("group", "status"), [("领导", 200), ("录入员", 200), ("审核人", 200)])
def test_demo_accounts_of_each_role_open_the_dashboard(client, demo, group, status):
    client.force_login(User.objects.get(groups__name=group))
    assert client.get("/dashboard/", {"year": 2021}).status_code == status
