"""Metadata stripped at publication: the published copy names no author, editor, company or
camera; a Word file with tracked changes or comments is refused with a clear message."""

import io
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from publication.metadata import publication_problems, strip_metadata
from publication.scan import scan
from tests.publication_files import (
    docx_bytes,
    jpeg_with_exif,
    pdf_bytes,
    png_with_text,
    resident_id,
    xlsx_bytes,
)

AUTHOR = "王小明"


def test_the_published_pdf_carries_no_author_and_no_xmp():
    original = pdf_bytes(
        ["名单"], table_rows=[("张三", resident_id())], author=AUTHOR, creator="WPS Office"
    )
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == AUTHOR
        assert "/Metadata" in pdf.Root
    cleaned = strip_metadata(original, "名单.pdf")
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 1
    assert AUTHOR.encode("utf-16-be") not in cleaned
    assert b"WPS Office" not in cleaned
    # The text (and so what the scan finds) is unchanged.
    assert [f.masked for f in scan(cleaned, allow=(), name="名单.pdf").findings] == [
        "3204**********1239"
    ]


def test_the_same_pdf_is_stripped_to_the_same_bytes():
    original = pdf_bytes(["报告"], author=AUTHOR)
    assert strip_metadata(original, "a.pdf") == strip_metadata(original, "a.pdf")


def test_a_word_file_with_tracked_changes_is_refused():
    data = docx_bytes(["正文"], tracked_insert="新增的一句", tracked_delete="删除的一句")
    with pytest.raises(ValidationError) as refused:
        strip_metadata(data, "公示.docx")
    assert [e.code for e in refused.value.error_list] == ["tracked_changes"]
    assert refused.value.messages == [
        "Word 文件“公示.docx”仍有修订痕迹（插入、删除或格式修订）。"
        "请在 Word 中“接受所有修订”或“拒绝所有修订”并关闭修订后重新上传。"
    ]


def test_a_word_file_with_comments_is_refused():
    with pytest.raises(ValidationError) as refused:
        strip_metadata(docx_bytes(["正文"], comment=True), "公示.docx")
    assert [e.code for e in refused.value.error_list] == ["comments"]
    assert "仍有批注" in refused.value.messages[0]


def test_problems_are_listed_without_raising():
    data = docx_bytes(["正文"], tracked_insert="新增", comment=True)
    assert [p.code for p in publication_problems(data, "a.docx")] == [
        "tracked_changes",
        "comments",
    ]
    assert publication_problems(docx_bytes(["正文"]), "a.docx") == []


def _read(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(part).decode()


def test_a_clean_word_file_loses_author_editor_and_company():
    original = docx_bytes(["2021年工作总结"])
    assert AUTHOR in _read(original, "docProps/core.xml")
    cleaned = strip_metadata(original, "总结.docx")
    core, app = _read(cleaned, "docProps/core.xml"), _read(cleaned, "docProps/app.xml")
    assert AUTHOR not in core and "creator" not in core and "lastModifiedBy" not in core
    assert "Company" not in app and "某某科技" not in app and AUTHOR not in app
    # The text is untouched and the package still opens.
    assert _read(cleaned, "word/document.xml") == _read(original, "word/document.xml")
    assert scan(cleaned, allow=(), name="总结.docx").clean


def test_an_excel_file_loses_its_properties_and_still_opens():
    import openpyxl

    original = xlsx_bytes([["姓名", "单位"], ["张三", "某公司"]])
    cleaned = strip_metadata(original, "名单.xlsx")
    assert AUTHOR not in _read(cleaned, "docProps/core.xml")
    workbook = openpyxl.load_workbook(io.BytesIO(cleaned))
    # openpyxl reports "openpyxl" for a missing creator.
    assert workbook.properties.creator != AUTHOR
    assert workbook.properties.lastModifiedBy is None
    assert workbook.active["B2"].value == "某公司"


def test_an_excel_file_with_comments_is_refused():
    import openpyxl
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "名单"
    workbook.active["A1"].comment = Comment("请核对", AUTHOR)
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ValidationError) as refused:
        strip_metadata(out.getvalue(), "名单.xlsx")
    assert [e.code for e in refused.value.error_list] == ["comments"]


def test_jpeg_loses_exif_and_comment_but_keeps_its_orientation_and_pixels():
    original = jpeg_with_exif(artist="Wang Xiaoming", orientation=6)
    cleaned = strip_metadata(original, "照片.jpg")
    with Image.open(io.BytesIO(cleaned)) as image:
        exif = image.getexif()
        assert dict(exif) == {0x0112: 6}
        assert "comment" not in image.info
        pixels = image.tobytes()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()[0x013B] == "Wang Xiaoming"
        assert image.tobytes() == pixels  # not re-encoded
    assert b"Camera Maker" not in cleaned


def test_png_loses_its_text_chunks():
    original = png_with_text()
    cleaned = strip_metadata(original, "图.png")
    with Image.open(io.BytesIO(cleaned)) as image:
        image.load()
        assert image.text == {}
        assert image.size == (10, 10)


def test_csv_and_text_have_nothing_to_strip():
    assert strip_metadata(b"a,b\n", "a.csv") == b"a,b\n"


def test_an_unknown_type_is_refused():
    with pytest.raises(ValidationError) as refused:
        strip_metadata(b"{}", "a.json")
    assert refused.value.code == "unsupported"


def _with_member(data: bytes, path: str, body: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as package:
        package.writestr(path, body)
    return out.getvalue()


def test_photos_inside_a_word_file_lose_their_exif():
    photo = jpeg_with_exif(artist="Wang Xiaoming", orientation=1)
    original = _with_member(docx_bytes(["图片说明"]), "word/media/image1.jpeg", photo)
    cleaned = strip_metadata(original, "图文.docx")
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        inner = package.read("word/media/image1.jpeg")
    assert b"Wang Xiaoming" not in inner
    with Image.open(io.BytesIO(inner)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (40, 20)


def test_a_mail_link_hidden_behind_text_is_found():
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
        'Target="mailto:zhang.san@example.com" TargetMode="External"/></Relationships>'
    )
    data = _with_member(docx_bytes(["联系我们"]), "word/_rels/document.xml.rels", rels.encode())
    result = scan(data, allow=(), name="通知.docx")
    assert [str(f) for f in result.findings] == ["通知.docx 超链接地址：电子邮箱 z***@example.com"]


def test_pdf_comment_authors_are_removed_but_form_field_names_kept():
    original = pdf_bytes(["报告"])
    with pikepdf.open(io.BytesIO(original)) as pdf:
        page = pdf.pages[0]
        note = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[10, 10, 30, 30],
                T=pikepdf.String("Wang Xiaoming"),
                Contents=pikepdf.String("check"),
            )
        )
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                Rect=[40, 10, 90, 30],
                T=pikepdf.String("applicant_name"),
            )
        )
        page.obj["/Annots"] = pdf.make_indirect(pikepdf.Array([note, field]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
        out = io.BytesIO()
        pdf.save(out)
    cleaned = strip_metadata(out.getvalue(), "报告.pdf")
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        note, field = pdf.pages[0].obj["/Annots"]
        assert "/T" not in note
        assert str(field["/T"]) == "applicant_name"
