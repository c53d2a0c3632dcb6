"""Published annual reports on the public site, as an HTML page and as the frozen PDF."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile

from lawbuilding.models import AnnualReport, ReportSection

pytestmark = pytest.mark.usefixtures("public_site")

PDF = b"%PDF-1.7 frozen report"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_report(office, disclosure, *, status="published", revision=1, corrects=None, pdf=PDF):
    report = AnnualReport(
        organization=office,
        year=2021,
        revision=revision,
        corrects=corrects,
        title=disclosure.title if disclosure else "草稿报告",
        status=status,
        approved_on=datetime.date(2022, 3, 21) if status != "draft" else None,
        published_on=disclosure.published_on if status == "published" else None,
        disclosure=disclosure if status == "published" else None,
        pdf_sha256=hashlib.sha256(PDF).hexdigest() if status != "draft" else "",
    )
    if status != "draft":
        report.pdf.save(f"report-r{revision}.pdf", ContentFile(pdf), save=False)
    report.save()
    sections = [
        ("opening", "opening", "", "2021年,在办党组的领导下,市外办认真贯彻落实习近平法治思想。"),
        (
            "leadership",
            "achievements",
            "党组重视，引领法治政府建设",
            "（一）加强领导。成立领导小组。",
        ),
        ("next", "next_year", "依法全面履行政府职能", "1.创优营商环境。"),
    ]
    for order, (key, part, heading, body) in enumerate(sections):
        ReportSection.objects.create(
            report=report, key=key, part=part, order=order, heading=heading, body=body
        )
    return report


def test_published_report_is_listed_with_its_html_page_and_pdf(client, media, seed_disclosure):
    make_report(seed_disclosure.organization, seed_disclosure)
    listing = client.get("/reports/").content.decode()
    assert seed_disclosure.title in listing
    assert 'href="/reports/2021/"' in listing and 'href="/reports/2021/pdf/"' in listing
    assert 'href="/reports/2021/"' in client.get("/").content.decode()

    page = client.get("/reports/2021/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<h1 class="article-title" id="report-title">{seed_disclosure.title}</h1>' in html
    assert "<h2>一、党组重视，引领法治政府建设</h2>" in html
    assert "<h2>一、依法全面履行政府职能</h2>" in html
    assert "014109568/2022-00012" in html and 'href="/disclosure/014109568-2022-00012/"' in html

    pdf = client.get("/reports/2021/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == PDF
    assert pdf["Content-Disposition"].startswith("attachment;")


def test_unpublished_reports_are_not_public(client, media, public_office):
    make_report(public_office, None, status="draft")
    assert "暂无已发布的年度报告。" in client.get("/reports/").content.decode()
    assert client.get("/reports/2021/").status_code == 404
    assert client.get("/reports/2021/pdf/").status_code == 404


def test_a_correction_replaces_the_earlier_revision_on_the_public_pages(
    client, media, seed_disclosure, public_office
):
    from disclosure.models import DisclosureItem

    first = make_report(public_office, seed_disclosure)
    corrected_item = DisclosureItem.objects.create(
        organization=public_office,
        title=seed_disclosure.title + "（更正）",
        index_number="014109568/2022-00013",
        category="other",
        publisher="市外事办",
        generated_on=datetime.date(2022, 3, 25),
        published_on=datetime.date(2022, 3, 26),
        status="published",
        summary="更正",
    )
    make_report(public_office, corrected_item, revision=2, corrects=first)
    listing = client.get("/reports/").content.decode()
    assert listing.count('href="/reports/2021/"') == 1
    html = client.get("/reports/2021/").content.decode()
    assert "014109568/2022-00013" in html and "第 2 版（更正版）" in html


def test_a_tampered_pdf_is_never_served(client, media, seed_disclosure):
    report = make_report(seed_disclosure.organization, seed_disclosure)
    with open(report.pdf.path, "wb") as handle:
        handle.write(b"%PDF-1.7 altered")
    assert client.get("/reports/2021/pdf/").status_code == 404


def test_unknown_report_years_are_the_styled_404(client, media, seed_disclosure):
    make_report(seed_disclosure.organization, seed_disclosure)
    for url in ("/reports/2019/", "/reports/99999999999999999999/pdf/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "您访问的页面不存在" in response.content.decode()
