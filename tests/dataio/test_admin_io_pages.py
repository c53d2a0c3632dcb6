"""The admin's import and export pages in Chinese: unchanged rows marked 无变化, export files
named in Chinese with the date, history values as the form shows them."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dataio.importing import export_bytes
from trainings.models import StudySession


@pytest.fixture(autouse=True)
def plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def sessions(db):
    return [
        StudySession.objects.create(
            date=datetime.date(2021, 5, day), title=f"学习{day}", kind=StudySession.Kind.LECTURE
        )
        for day in (1, 2)
    ]


def test_reimporting_an_export_marks_unchanged_rows_and_a_changed_one(admin_client, sessions):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(StudySession, "xlsx")))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("参加人数") + 1, value=30)
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("学法活动.xlsx", out.getvalue())
    url = reverse("admin:trainings_studysession_import")
    page = admin_client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    html = page.content.decode()
    kinds = re.findall(r'<td class="import-type">\s*(\S+)', html)
    assert sorted(kinds) == sorted(["无变化", "修改"])
    assert "Update" not in html


def test_export_file_is_named_in_chinese_with_the_date(admin_client, sessions):
    url = reverse("admin:trainings_studysession_export")
    response = admin_client.post(
        url, {"format": "0", "resource": "0", "studysessionresource_date": "on"}
    )
    today = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E5%AD%A6%E6%B3%95%E6%B4%BB%E5%8A%A8-" + today + ".xlsx" in disposition


def test_export_page_offers_chinese_column_names_only(admin_client, sessions):
    html = admin_client.get(reverse("admin:trainings_studysession_export")).content.decode()
    assert "全选" in html and "Select all" not in html
    assert "Id (ID)" not in html and "Is Demo" not in html and "Speaker Name" not in html
    assert "主讲人" in html
    assert '<option value="0" selected>xlsx</option>' in html


def test_history_values_read_as_on_the_form():
    from django.contrib.auth.models import User
    from simple_history.models import DeletedObject

    from core.admin_history import readable_value

    kind = StudySession._meta.get_field("kind")
    assert readable_value(kind, "lecture") == "专题讲座"
    assert readable_value(None, DeletedObject(model=User, pk=None)) == "—"
    assert readable_value(None, None) == "—"
    assert readable_value(None, []) == "—"
    assert readable_value(None, True) == "是"
    assert readable_value(None, datetime.date(2026, 11, 29)) == "2026-11-29"
    utc = datetime.datetime(2026, 11, 29, 5, 28, 25, 188453, tzinfo=datetime.UTC)
    assert readable_value(None, utc) == "2026-11-29 13:28"  # Asia/Shanghai
