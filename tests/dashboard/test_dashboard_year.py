"""The dashboard opens on the year being reported on and says which and why; an empty year
points at the latest years that have records; a deadline met late is shown as late."""

import datetime

import pytest
from django.utils import timezone

from lawbuilding.models import AnnualReport
from trainings.models import StudySession

URL = "/dashboard/"


@pytest.fixture(autouse=True)
def plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


def test_default_is_the_previous_year_until_its_report_is_published(client, leadership_user):
    client.force_login(leadership_user)
    previous = timezone.localdate().year - 1
    response = client.get(URL)
    assert response.context["data"].year == previous
    page = response.content.decode()
    assert f"{previous}年度报告尚未发布，默认显示正在报告的{previous}年" in page


def test_default_is_the_current_year_once_the_previous_report_is_published(
    client, leadership_user, seed_disclosure
):
    today = timezone.localdate()
    AnnualReport.objects.create(
        organization=seed_disclosure.organization,
        disclosure=seed_disclosure,
        year=today.year - 1,
        title="法治政府建设情况报告",
        status=AnnualReport.Status.PUBLISHED,
        approved_on=today,
        published_on=today,
        pdf_sha256="0" * 64,
    )
    client.force_login(leadership_user)
    response = client.get(URL)
    assert response.context["data"].year == today.year
    assert f"{today.year - 1}年度报告已发布" in response.content.decode()


def test_an_empty_year_says_so_and_links_the_latest_year_with_records(client, leadership_user):
    StudySession.objects.create(
        date=datetime.date(2021, 6, 1), title="宪法学习", kind=StudySession.Kind.LECTURE
    )
    client.force_login(leadership_user)
    page = client.get(URL, {"year": 2024}).content.decode()
    assert "2024年尚无任何记录" in page
    assert 'href="?year=2021"' in page
    # A chosen year is not explained as a default.
    assert "默认显示" not in page
    assert "尚无任何记录" not in client.get(URL, {"year": 2021}).content.decode()
