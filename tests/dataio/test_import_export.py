"""Spreadsheet export and import : the file format,
round trips for every model, formula escaping, and the admin's import and export views."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dataio.importing import export_bytes, export_dataset, load_upload, run_import
from dataio.resources import FORMULA_TRIGGERS, escape_formula, resource_for, unescape_formula
from dataio.spreadsheets import read_dataset
from supervision.models import NoticeComment
from tests.io_records import FORMULA_TEXTS, IMPORT_ORDER, make_records
from trainings.models import Law, StudySession

pytestmark = pytest.mark.django_db


def snapshot(model) -> list[dict]:
    """An export without the ID column: what a record *is*, independent of its key."""
    data = export_dataset(model, native=False).dict
    return [{k: v for k, v in row.items() if k != "ID"} for row in data]


def wipe() -> None:
    for model in reversed(IMPORT_ORDER):
        for obj in model.objects.all():
            obj.delete()


@pytest.mark.parametrize(("kind", "bulk"), [("xlsx", True), ("csv", False), ("xlsx", False)])
def test_export_then_import_into_an_empty_database_reproduces_every_record(kind, bulk):
    make_records()
    files = {model: export_bytes(model, kind) for model in IMPORT_ORDER}
    before = {model: snapshot(model) for model in IMPORT_ORDER}
    wipe()
    for model in IMPORT_ORDER:
        _info, dataset = load_upload(files[model], f"export.{kind}", model)
        outcome = run_import(model=model, dataset=dataset, bulk=bulk, file_name="export")
        assert outcome.ok, (model, outcome.report_lines())
        assert outcome.new == len(before[model])
    for model in IMPORT_ORDER:
        assert snapshot(model) == before[model], model.__name__


def test_reimporting_an_unchanged_export_updates_the_same_records_in_place():
    make_records()
    counts = {model: model.objects.count() for model in IMPORT_ORDER}
    before = {model: snapshot(model) for model in IMPORT_ORDER}
    for model in IMPORT_ORDER:
        _info, dataset = load_upload(export_bytes(model, "xlsx"), "x.xlsx", model)
        outcome = run_import(model=model, dataset=dataset)
        assert outcome.ok, outcome.report_lines()
        assert (outcome.new, outcome.updated) == (0, counts[model])
    assert {model: model.objects.count() for model in IMPORT_ORDER} == counts
    assert {model: snapshot(model) for model in IMPORT_ORDER} == before


def test_exported_xlsx_has_chinese_headers_real_dates_numbers_and_no_formula_cells():
    make_records()
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(StudySession, "xlsx")))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["ID", "演示数据", "日期", "名称", "形式"]
    assert "学习内容" in headers and "参加人数" in headers
    rows = {row[3].value: row for row in sheet.iter_rows(min_row=2)}
    center = rows["党组理论学习中心组学法"]
    by_header = dict(zip(headers, center, strict=True))
    assert isinstance(by_header["日期"].value, datetime.datetime)
    assert by_header["日期"].number_format == "yyyy-mm-dd"
    assert by_header["参加人数"].value == 12 and by_header["参加人数"].data_type == "n"
    assert by_header["形式"].value == "党组理论学习中心组学法"
    assert by_header["学习内容"].value == "中华人民共和国宪法、中华人民共和国档案法"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value[:1] in FORMULA_TRIGGERS:
                pytest.fail(f"unescaped formula-looking cell {cell.coordinate}: {cell.value!r}")


def test_exported_csv_escapes_formula_cells_and_writes_dates_as_yyyy_mm_dd():
    make_records()
    data = export_bytes(StudySession, "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    values = [v for row in rows for v in row.values()]
    assert all(not v or v[:1] not in FORMULA_TRIGGERS for v in values)
    assert "'@SUM(A1:A2)" in values and "'+86 519 8568 3342" in values
    assert {row["日期"] for row in rows} == {"2021-04-12", "2021-09-03"}
    assert {row["方式"] for row in rows} == {"线下", "线上"}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_formula_looking_text_comes_back_unchanged_after_export_and_import(kind):
    make_records()
    data = export_bytes(StudySession, kind)
    StudySession.objects.all().delete()
    _info, dataset = load_upload(data, f"s.{kind}", StudySession)
    assert run_import(model=StudySession, dataset=dataset).ok
    session = StudySession.objects.get(title="《档案法》专题讲座")
    assert session.summary == FORMULA_TEXTS[4]
    assert session.location == FORMULA_TEXTS[5]
    assert session.audience == FORMULA_TEXTS[6]
    other = StudySession.objects.get(title="党组理论学习中心组学法")
    assert (other.summary, other.organiser) == (FORMULA_TEXTS[3], FORMULA_TEXTS[1])


@given(st.text(max_size=30))
def test_escaping_is_reversible_and_never_leaves_a_formula_trigger_first(text):
    escaped = escape_formula(text)
    assert unescape_formula(escaped) == text
    assert escaped[:1] not in FORMULA_TRIGGERS


def test_choices_accept_the_chinese_label_the_stored_code_or_the_english_label():
    with translation.override("en"):
        english = str(StudySession.Mode.ONLINE.label)
    rows = [
        ["2021-05-01", "讲座一", "专题讲座", "线下"],
        ["2021-05-02", "讲座二", "lecture", english],
        ["2021-05-03", "讲座三", " 专题讲座 ", "mixed"],
    ]
    dataset = _dataset(["日期", "名称", "形式", "方式"], rows)
    outcome = run_import(model=StudySession, dataset=dataset)
    assert outcome.ok, outcome.report_lines()
    assert list(StudySession.objects.order_by("date").values_list("kind", "mode")) == [
        ("lecture", "on_site"),
        ("lecture", "online"),
        ("lecture", "mixed"),
    ]


def test_an_unknown_choice_is_a_row_error_listing_the_allowed_labels():
    dataset = _dataset(["日期", "名称", "形式"], [["2021-05-01", "讲座一", "讲课"]])
    outcome = run_import(model=StudySession, dataset=dataset)
    assert outcome.row_errors == [
        (
            1,
            [
                "形式：“讲课”不是可选项，可选：党组理论学习中心组学法、专题讲座、培训班、"
                "网络学法与知识竞赛、庭审观摩、普法宣传活动、联合法律服务活动、集中自学。"
            ],
        )
    ]
    assert StudySession.objects.count() == 0


def test_unknown_law_in_the_list_is_a_row_error_naming_the_column_and_nothing_is_saved():
    Law.objects.create(title="中华人民共和国宪法", short_title="宪法", kind="constitution")
    dataset = _dataset(
        ["日期", "名称", "形式", "学习内容"],
        [
            ["2021-05-01", "学宪法", "专题讲座", "《宪法》"],
            ["2021-05-02", "学不存在的法", "专题讲座", "宪法、不存在的法"],
        ],
    )
    for bulk in (True, False):
        outcome = run_import(model=StudySession, dataset=dataset, bulk=bulk)
        assert [n for n, _ in outcome.row_errors] == [2]
        assert "学习内容：找不到法律法规与学习材料“不存在的法”" in outcome.row_errors[0][1][0]
        assert StudySession.objects.count() == 0


def test_import_writes_history_with_the_user_and_the_reason_on_both_paths(administrator):
    law = Law.objects.create(title="中华人民共和国宪法", short_title="宪法", kind="constitution")
    for bulk, day in ((True, 1), (False, 2)):
        dataset = _dataset(
            ["日期", "名称", "形式", "学习内容"],
            [[f"2021-05-0{day}", f"学宪法{day}", "专题讲座", "宪法"]],
        )
        outcome = run_import(
            model=StudySession,
            dataset=dataset,
            bulk=bulk,
            user=administrator,
            change_reason="测试导入：a.xlsx",
        )
        assert outcome.ok
        session = StudySession.objects.get(title=f"学宪法{day}")
        assert list(session.laws.all()) == [law]
        history = session.history.order_by("history_id")
        assert history.count() >= 1
        assert {h.history_user for h in history} == {administrator}
        assert {h.history_change_reason for h in history} == {"测试导入：a.xlsx"}
        latest = history.last()
        assert [m.law for m in latest.laws.all()] == [law]


def test_notice_comment_export_leaves_out_the_citizens_personal_data():
    make_records()
    notice = NoticeComment.objects.model.notice.field.related_model.objects.get()
    NoticeComment.objects.create(
        notice=notice, content="支持", name="市民甲", contact="13800000000", client_hash="abc"
    )
    data = export_bytes(NoticeComment, "csv").decode("utf-8-sig")
    assert "支持" in data
    assert "市民甲" not in data and "13800000000" not in data and "abc" not in data
    assert resource_for(NoticeComment).import_allowed is False


# --- the admin views -------------------------------------------------------------------


def _dataset(headers, rows):
    import tablib

    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset


def _xlsx(headers, rows) -> bytes:
    from dataio.spreadsheets import write_dataset

    return write_dataset(_dataset(headers, rows), "xlsx")


def _admin_registered(model) -> bool:
    from django.contrib import admin

    return model in admin.site._registry


@pytest.fixture
def need_study_session_admin(local_admin):
    assert _admin_registered(StudySession)


def test_admin_export_gives_the_same_file_format_the_importer_reads(
    admin_client, need_study_session_admin
):
    make_records()
    url = reverse("admin:trainings_studysession_export")
    response = admin_client.post(url, {"format": "0", "resource": "0"} | _all_fields())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    dataset = read_dataset(response.content, "xlsx")
    assert dataset.headers[:3] == ["ID", "演示数据", "日期"]
    assert len(dataset) == 2


def _all_fields() -> dict:
    resource = resource_for(StudySession)
    return {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}


def test_admin_import_previews_then_confirms_and_records_the_user(
    admin_client, administrator, need_study_session_admin
):
    url = reverse("admin:trainings_studysession_import")
    upload = SimpleUploadedFile(
        "学法.xlsx", _xlsx(["日期", "名称", "形式"], [["2021-05-01", "学宪法", "专题讲座"]])
    )
    preview = admin_client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    assert preview.status_code == 200
    assert StudySession.objects.count() == 0
    confirm_form = preview.context["confirm_form"]
    confirm = admin_client.post(
        reverse("admin:trainings_studysession_process_import"),
        {k: confirm_form.initial[k] for k in confirm_form.initial},
    )
    assert confirm.status_code == 302
    session = StudySession.objects.get()
    record = session.history.get()
    assert record.history_user == administrator
    assert record.history_change_reason == "后台导入：学法.xlsx"


def test_admin_import_with_a_bad_date_shows_the_row_error_in_chinese_and_saves_nothing(
    admin_client, need_study_session_admin
):
    url = reverse("admin:trainings_studysession_import")
    upload = SimpleUploadedFile(
        "学法.xlsx",
        _xlsx(
            ["日期", "名称", "形式"],
            [["2021-05-01", "甲", "专题讲座"], ["2021-13-45", "乙", "专题讲座"]],
        ),
    )
    response = admin_client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    content = response.content.decode()
    assert "“2021-13-45”不是有效的日期，请按 YYYY-MM-DD 格式填写。" in content
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert StudySession.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.txt", b"hello", "只能导入 xlsx 或 csv 文件"),
        ("a.xlsx", b"not a zip at all", "文件内容不是有效的 xlsx 工作簿"),
        ("a.xlsx", _xlsx(["日期", "标题"], [["2021-01-01", "x"]]), "无法识别的列：标题"),
    ],
)
def test_admin_refuses_bad_files_on_the_form(
    admin_client, need_study_session_admin, name, data, message
):
    url = reverse("admin:trainings_studysession_import")
    upload = SimpleUploadedFile(name, data)
    response = admin_client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StudySession.objects.count() == 0


def test_import_button_is_only_for_users_with_the_import_permission(
    client, need_study_session_admin
):
    viewer = User.objects.create_user("viewer_li", password="Viewer-Passw0rd!", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_studysession"))
    client.force_login(viewer)
    changelist = client.get(reverse("admin:trainings_studysession_changelist"))
    assert changelist.status_code == 200
    assert reverse("admin:trainings_studysession_import") not in changelist.content.decode()
    assert client.get(reverse("admin:trainings_studysession_import")).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="add_studysession"))
    changelist = client.get(reverse("admin:trainings_studysession_changelist"))
    assert reverse("admin:trainings_studysession_import") in changelist.content.decode()


def test_every_model_of_the_three_apps_has_its_own_resource_and_exports_in_both_formats():
    from django.apps import apps

    from dataio.resources import all_resources

    registered = all_resources()
    for app_label in ("lawbuilding", "trainings", "supervision", "disclosure"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            resource = registered.get(model)
            assert resource is not None, f"{app_label}/resources.py lacks {model.__name__}Resource"
            assert resource.__name__ == f"{model.__name__}Resource"
            assert resource_for(model) is resource
            for kind in ("xlsx", "csv"):
                assert read_dataset(export_bytes(model, kind), kind).headers[0] == "ID"
