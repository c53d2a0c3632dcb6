"""The report's PDF: GB/T 9704 layout with every font embedded, no character lost (the text
pdftotext extracts equals the source text), page numbers "— 1 —", document metadata, and
figures that follow the records."""

import datetime
import os
import re
import subprocess

import pytest

from core import pdf
from lawbuilding import reports
from tests.report_records import (
    HEADINGS_2021,
    TITLE_2021,
    make_office,
    make_year_2021,
    pdf_fonts,
    pdf_text,
    squeeze,
)


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def year_2021(office):
    return make_year_2021(office)


@pytest.fixture
def built(office, year_2021):
    draft = reports.generate(organization=office, year=2021)
    data = reports.render_pdf(
        title=draft.title,
        sections=draft.sections,
        organization=office,
        signed_on=datetime.date(2022, 3, 21),
    )
    return draft, data


def test_extracted_text_equals_the_source_text(built, tmp_path):
    """No character falls back to a missing glyph: every one comes back out of the PDF."""
    draft, data = built
    source = reports.plain_text(draft.title, draft.sections)
    # The text, then the 落款 (office, 成文日期) and the note.
    source += "常州市人民政府外事办公室2022年3月21日（此件公开发布）"
    assert squeeze(pdf_text(data, tmp_path)) == squeeze(source)


def test_pdf_holds_the_title_headings_and_figures(built, tmp_path):
    _draft, data = built
    text = squeeze(pdf_text(data, tmp_path))
    assert text.startswith(TITLE_2021)
    for heading in HEADINGS_2021:
        assert heading in text
    assert "党组理论学习中心组举办4次学法活动" in text
    assert "全年共派遣20批80人次" in text
    for number in range(1, 13):
        assert f"{number}." in text


def test_changing_a_record_changes_the_figure_in_the_pdf(office, year_2021, tmp_path):
    batches = year_2021["batches"]
    batches.value = 23
    batches.save()
    draft = reports.generate(organization=office, year=2021)
    data = reports.render_pdf(title=draft.title, sections=draft.sections, organization=office)
    text = squeeze(pdf_text(data, tmp_path))
    assert "全年共派遣23批80人次" in text
    assert "20批" not in text


def test_every_font_is_embedded(built, tmp_path):
    _draft, data = built
    fonts = pdf_fonts(data, tmp_path)
    assert fonts
    for row in fonts:
        # name, type…, then emb sub uni: all "yes"
        assert row[-5:-2] == ["yes", "yes", "yes"], row


def test_the_official_fonts_come_first_and_free_fonts_follow():
    assert pdf.FONT_STACKS["fangsong"].startswith('"仿宋_GB2312"')
    assert pdf.FONT_STACKS["xiaobiaosong"].startswith('"方正小标宋简体"')
    assert pdf.FONT_STACKS["heiti"].startswith('"黑体"')
    assert pdf.FONT_STACKS["kaiti"].startswith('"楷体_GB2312"')
    for stack in pdf.FONT_STACKS.values():
        assert '"FAO ' in stack and "Noto" in stack


def test_pages_are_numbered_with_dashes(built, tmp_path):
    _draft, data = built
    text = pdf_text(data, tmp_path)
    numbers = [int(n) for n in re.findall(r"—\s*(\d+)\s*—", text)]
    assert numbers[:2] == [1, 2]
    assert numbers == list(range(1, len(numbers) + 1))
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert f"Pages:           {len(numbers)}" in info


def test_odd_page_numbers_sit_right_and_even_ones_left(built, tmp_path):
    _draft, data = built
    path = tmp_path / "layout.pdf"
    path.write_bytes(data)
    for page, side in ((1, "right"), (2, "left")):
        out = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
        ).stdout
        line = next(line for line in out.splitlines() if re.search(rf"—\s*{page}\s*—", line))
        indent = len(line) - len(line.lstrip())
        assert (indent > 20) == (side == "right"), line


def test_document_metadata_title_author_language_and_tags(built, tmp_path):
    draft, data = built
    path = tmp_path / "meta.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert f"Title:           {TITLE_2021}" in info
    assert "Author:          常州市人民政府外事办公室" in info
    assert "Tagged:          yes" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    objects = pdf_objects(data)
    assert b"/Lang (zh-CN)" in objects
    assert b"pdfuaid:part" in objects  # PDF/UA-1 identification in the XMP metadata


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    import zlib

    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_page_has_the_gbt_9704_margins():
    html = reports.render_html(title="标题", sections=[], organization=make_office_stub())
    assert "margin: 37mm 26mm 35mm 28mm" in html
    assert "size: A4" in html
    assert "font-size: 22pt" in html and "font-size: 16pt" in html


def make_office_stub():
    from core.models import Organization

    return Organization(full_name="常州市人民政府外事办公室", short_name="市外事办")


def test_html_to_pdf_serves_any_html_with_the_prepared_fonts(tmp_path):
    """The helper other pages use (the dashboard's one-page summary)."""
    style = f"font-family: {pdf.FONT_STACKS['heiti']}"
    html = (
        '<html lang="zh-CN"><head><title>一页</title></head>'
        f"<body style='{style}'><p>法治政府建设一览</p></body></html>"
    )
    data = pdf.html_to_pdf(html, title="一页纸摘要", author="市外事办")
    assert squeeze(pdf_text(data, tmp_path)) == "法治政府建设一览"
    assert [row[0].split("+")[1] for row in pdf_fonts(data, tmp_path)] == ["FAO-Hei"]


def test_prepared_fonts_are_small_cached_and_keyed_by_source_and_charset():
    paths = pdf.prepare_fonts()
    for face in pdf.FREE_FACES:
        path = paths[face.family]
        assert path is not None, (
            f"{face.source_family} missing: apt-get install {face.debian_package}"
        )
        assert path.stat().st_size < 5 * 1024 * 1024
        assert pdf.CHARSET_NAME in path.name
    assert pdf.prepare_fonts() == paths  # second call: the cache, nothing rebuilt


def test_official_fonts_in_the_fonts_directory_are_used_automatically(
    settings, tmp_path, office, year_2021
):
    """A licensed 仿宋_GB2312 dropped into FAO_OFFICIAL_FONTS_DIR is embedded in the PDF
    without any other setting (a DejaVu file renamed stands in for the licensed face)."""
    from fontTools.ttLib import TTFont

    source = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
    if not os.path.exists(source):
        pytest.skip("DejaVu fonts not installed")
    official = tmp_path / "official"
    official.mkdir()
    font = TTFont(source)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 6, 16):
            names.removeNames(nameID=record.nameID)
    names.setName("仿宋_GB2312", 1, 3, 1, 0x804)
    names.setName("FangSong_GB2312", 1, 3, 1, 0x409)
    names.setName("FangSong_GB2312", 4, 3, 1, 0x409)
    names.setName("FangSong_GB2312", 6, 3, 1, 0x409)
    font.save(str(official / "fangsong_gb2312.ttf"))
    settings.FAO_OFFICIAL_FONTS_DIR = official
    css = pdf.official_font_face_css()
    assert '@font-face { font-family: "仿宋_GB2312"' in css
    assert '@font-face { font-family: "FangSong_GB2312"' in css
    draft = reports.generate(organization=office, year=2021)
    data = reports.render_pdf(title=draft.title, sections=draft.sections, organization=office)
    assert any("FangSong_GB2312" in row[0] for row in pdf_fonts(data, tmp_path))
