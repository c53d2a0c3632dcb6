"""Uploads are checked by content and size, stored under sanitised unguessable names, and
served only as downloads with safe headers, to the public only when published."""

import io
import re
import zipfile
from urllib.parse import unquote

import openpyxl
import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import (
    UploadTo,
    check_upload,
    content_disposition,
    sanitize_filename,
    upload_to,
    validate_attachment,
    validate_import_file,
)
from disclosure.models import DisclosureAttachment, DisclosureItem

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
WINDOWS_EXE = b"MZ\x90\x00" + b"\x00" * 64

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def ooxml(content_types: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["标题", "日期"])
    workbook.active.append(["学法活动", "2021-06-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def assert_rejected(file, code: str, *, kinds=("pdf", "docx", "xlsx", "png", "jpeg"), **kw):
    with pytest.raises(ValidationError) as caught:
        check_upload(file, kinds=kinds, **kw)
    error = caught.value
    assert error.code == code
    message = error.messages[0]
    assert re.search(r"[\u4e00-\u9fff]", message), message
    return message


# --- content checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("2021年度报告.pdf", PDF, "pdf"),
        ("学习现场.PNG", PNG, "png"),
        ("学习现场.jpg", JPEG, "jpeg"),
        ("制度汇编.docx", ooxml(DOCX_TYPES), "docx"),
        ("学法清单.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_attachment_of_an_allowed_type_is_accepted_by_its_content(name, data, kind):
    file = upload(name, data)
    assert check_upload(file, kinds=("pdf", "docx", "xlsx", "png", "jpeg")) == kind
    assert file.tell() == 0, "the file is rewound for whoever saves it next"


def test_utf8_csv_with_byte_order_mark_is_accepted_for_import():
    data = "\ufeff标题,日期\n学法活动,2021-06-01\n".encode()
    assert check_upload(upload("学法活动.csv", data), kinds=("xlsx", "csv")) == "csv"


def test_program_renamed_to_pdf_is_rejected():
    message = assert_rejected(upload("通知.pdf", WINDOWS_EXE), "file_content")
    assert ".pdf" in message


def test_png_named_as_jpeg_is_rejected():
    assert_rejected(upload("照片.jpg", PNG), "file_content")


def test_word_document_named_as_spreadsheet_is_rejected():
    assert_rejected(upload("清单.xlsx", ooxml(DOCX_TYPES)), "file_content")


def test_plain_zip_named_as_docx_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    assert_rejected(upload("制度.docx", buffer.getvalue()), "file_content")


def test_macro_enabled_workbook_named_xlsx_is_rejected():
    types = DOCX_TYPES.replace(
        "wordprocessingml.document.main+xml", "spreadsheetml.sheet.main+xml"
    ).replace("application/vnd.openxmlformats", "application/vnd.ms-excel.sheet.macroEnabled")
    data = ooxml(types, {"xl/vbaProject.bin": b"\x00" * 16})
    assert_rejected(upload("清单.xlsx", data), "file_macro")


def test_compressed_document_that_expands_enormously_is_rejected():
    data = ooxml(DOCX_TYPES, {"word/media/zeros.bin": b"\x00" * (8 * 1024 * 1024)})
    assert len(data) < 100_000
    assert_rejected(upload("制度.docx", data), "file_zip_bomb", max_bytes=200_000)


def test_executable_extension_is_rejected_with_the_allowed_list():
    message = assert_rejected(upload("setup.exe", WINDOWS_EXE), "file_type")
    assert ".pdf" in message and ".docx" in message


def test_file_over_the_size_limit_is_rejected(settings):
    settings.FAO_MAX_UPLOAD_BYTES = 1024
    message = assert_rejected(upload("大文件.pdf", PDF + b"0" * 2048), "file_too_large")
    assert "1.0 KB" in message or "1.0 KB" in message.replace("\xa0", " ")


def test_empty_file_is_rejected():
    assert_rejected(upload("空白.pdf", b""), "file_empty")


def test_csv_saved_in_gbk_is_rejected_with_a_hint_to_save_as_utf8():
    data = "标题,日期\n学法活动,2021-06-01\n".encode("gb18030")
    message = assert_rejected(upload("学法活动.csv", data), "file_encoding", kinds=("xlsx", "csv"))
    assert "UTF-8" in message


def test_binary_file_named_csv_is_rejected():
    assert_rejected(upload("数据.csv", b"a,b\n\x00\x01\x02"), "file_encoding", kinds=("csv",))


def test_import_validator_accepts_spreadsheets_and_refuses_pdf():
    validate_import_file(upload("学法清单.xlsx", xlsx_bytes()))
    with pytest.raises(ValidationError) as caught:
        validate_import_file(upload("学法清单.pdf", PDF))
    assert caught.value.code == "file_type"


class AttachmentForm(forms.ModelForm):
    """How a model form gets the checks once the field carries the validator."""

    file = forms.FileField(validators=[validate_attachment])

    class Meta:
        model = DisclosureAttachment
        fields = ["item", "title", "file"]


def test_rejected_upload_leaves_no_record_and_no_file(seed_disclosure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = AttachmentForm(
        data={"item": seed_disclosure.pk, "title": "通知"},
        files={"file": upload("通知.pdf", WINDOWS_EXE)},
    )
    assert not form.is_valid()
    assert "文件内容与扩展名" in form.errors["file"][0]
    assert not DisclosureAttachment.objects.exists()
    assert not any(tmp_path.rglob("*"))


def test_committed_file_is_not_read_again_on_a_later_validation(
    seed_disclosure, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    attachment = DisclosureAttachment.objects.create(
        item=seed_disclosure, title="报告", file=ContentFile(PDF, name="报告.pdf")
    )
    attachment.file.storage.delete(attachment.file.name)
    stored = DisclosureAttachment.objects.get(pk=attachment.pk).file
    assert not stored.storage.exists(stored.name)  # reading it again would raise
    assert validate_attachment(stored) is None


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2021年法治政府建设情况报告（终稿）.docx", "2021年法治政府建设情况报告（终稿）.docx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\王\\Desktop\\报告.PDF", "报告.pdf"),
        ("\u202egpj.exe", "gpj.exe"),
        ("报\x00告\n.pdf", "报告.pdf"),
        (".htaccess", "htaccess"),
        ("...", "附件"),
        ("CON.txt", "_CON.txt"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("  会议  纪要 .pdf ", "会议 纪要.pdf"),
    ],
)
def test_file_names_are_sanitised_and_keep_chinese(given, expected):
    assert sanitize_filename(given) == expected


def test_long_file_name_is_shortened_and_keeps_its_extension():
    name = sanitize_filename("长" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name) == 120


def test_upload_to_gives_a_random_folder_and_the_sanitised_name():
    first = UploadTo("documents")(None, "../报告.pdf")
    second = UploadTo("documents")(None, "../报告.pdf")
    assert re.fullmatch(r"documents/\d{4}/[0-9a-f]{16}/报告\.pdf", first)
    assert first != second
    assert re.fullmatch(r"uploads/\d{4}/[0-9a-f]{16}/x\.pdf", upload_to(None, "x.pdf"))


def test_content_disposition_has_an_ascii_fallback_and_an_rfc5987_name():
    header = content_disposition("2021年度报告.pdf")
    assert header.startswith("attachment; filename=\"2021.pdf\"; filename*=UTF-8''")
    assert unquote(header.split("UTF-8''", 1)[1]) == "2021年度报告.pdf"


# --- downloads --------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def published_attachment(seed_disclosure, media_root):
    return DisclosureAttachment.objects.create(
        item=seed_disclosure,
        title="2021年度报告",
        file=ContentFile(PDF, name=UploadTo("disclosure")(None, "2021年度报告.pdf")),
    )


@pytest.fixture
def internal_file(media_root):
    from django.core.files.storage import default_storage

    return default_storage.save(UploadTo("documents")(None, "内部制度.pdf"), ContentFile(PDF))


def download(client, name: str):
    return client.get(f"/media/{name}", secure=True)


def assert_safe_download(response, filename: str) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("UTF-8''", 1)[1]) == filename
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Content-Type"] == "application/pdf"


def test_anonymous_citizen_downloads_an_attachment_of_a_published_disclosure(
    client, published_attachment
):
    response = download(client, published_attachment.file.name)
    assert_safe_download(response, "2021年度报告.pdf")
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "change",
    [
        {"published_on": None, "status": DisclosureItem.Status.DRAFT},
        {"status": DisclosureItem.Status.SUBMITTED},
        {"method": DisclosureItem.Method.WITHHELD},
    ],
)
def test_anonymous_citizen_cannot_download_attachments_of_unpublished_disclosures(
    client, published_attachment, change
):
    item = published_attachment.item
    for field, value in change.items():
        setattr(item, field, value)
    item.save()
    assert download(client, published_attachment.file.name).status_code == 404


def test_anonymous_citizen_cannot_download_before_the_publication_date(
    client, published_attachment
):
    import datetime

    from django.utils import timezone

    item = published_attachment.item
    item.published_on = timezone.localdate() + datetime.timedelta(days=3)
    item.generated_on = timezone.localdate()
    item.save()
    assert download(client, published_attachment.file.name).status_code == 404


def test_anonymous_citizen_cannot_download_internal_files(client, internal_file):
    assert download(client, internal_file).status_code == 404


def test_logged_in_non_staff_user_cannot_download_internal_files(client, internal_file):
    client.force_login(User.objects.create_user("citizen_he", password="C1tizen-Passw0rd!"))
    assert download(client, internal_file).status_code == 404


def test_data_entry_staff_download_internal_files_privately(client, data_entry_user, internal_file):
    client.force_login(data_entry_user)
    response = download(client, internal_file)
    assert_safe_download(response, "内部制度.pdf")
    assert response["Cache-Control"] == "private, no-store"


def test_administrator_downloads_internal_files(admin_client, internal_file):
    assert_safe_download(download(admin_client, internal_file), "内部制度.pdf")


def test_referenced_file_missing_from_disk_is_not_found(admin_client, published_attachment):
    published_attachment.file.storage.delete(published_attachment.file.name)
    assert download(admin_client, published_attachment.file.name).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["../settings.py", "disclosure/../../manage.py", "%2e%2e/manage.py", "./x.pdf", "a//b.pdf"],
)
def test_paths_leaving_the_media_folder_are_not_found(admin_client, media_root, name):
    assert admin_client.get(f"/media/{name}", secure=True).status_code == 404
