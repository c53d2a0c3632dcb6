"""The dashboard as a one-page PDF for a leadership meeting, through the report's pipeline."""

import shutil
import subprocess

import pytest

from dashboard.volume import build_year

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
    reason="poppler-utils (pdftotext, pdfinfo) is installed by `make`",
)


@pytest.fixture(autouse=True)
def plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def leader_client(client, leadership_user):
    client.force_login(leadership_user)
    return client


def _poppler(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


@pytest.mark.parametrize("scale", [1, 10])
def test_pdf_export_is_one_page_with_the_figures_and_the_charts(leader_client, tmp_path, scale):
    for year in (2021, 2020):
        build_year(year, scale=scale)
    response = leader_client.get("/dashboard/pdf/", {"year": 2021})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="dashboard-2021.pdf"' in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")

    info = dict(line.split(":", 1) for line in _poppler("pdfinfo", pdf, tmp_path).splitlines())
    assert info["Pages"].strip() == "1"
    assert info["Title"].strip() == "2021年法治政府建设工作概览"

    text = _poppler("pdftotext", pdf, tmp_path, "-layout")
    assert "2021年法治政府建设工作概览" in text
    assert "党组理论学习中心组学法" in text
    assert f"{12 * scale}次" in text  # study sessions of the year
    # Text drawn inside the SVG charts (month axis, legend) made it into the PDF.
    assert "12月" in text
    assert "2020年" in text
    assert "报送法治政府建设年度报告" in text


def test_pdf_fonts_are_all_embedded(leader_client, tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts comes with poppler-utils")
    build_year(2021)
    pdf = leader_client.get("/dashboard/pdf/", {"year": 2021}).content
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert " yes " in line, line  # emb column


def test_pdf_is_refused_to_anonymous_visitors(client, db):
    response = client.get("/dashboard/pdf/?year=2021")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
