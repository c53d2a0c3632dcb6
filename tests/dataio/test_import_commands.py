"""`export_template`, `export_records` and `import_records` : Chinese
headers, one transaction, a per-row report, a non-zero exit status and nothing written
on any error."""

import io
import os
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dataio.spreadsheets import write_dataset
from supervision.models import Proposal
from trainings.models import Law, StudySession

pytestmark = pytest.mark.django_db

PROPOSAL_HEADERS = ["类别", "年度", "编号", "标题", "交办日期"]


def _xlsx(path, headers, rows):
    import tablib

    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    path.write_bytes(write_dataset(dataset, path.suffix.lstrip(".")))
    return str(path)


def _history_rows() -> int:
    return Proposal.history.count() + StudySession.history.count()


def _refused(*args, message: str) -> str:
    before = (Proposal.objects.count(), StudySession.objects.count(), _history_rows())
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_records", *args, stderr=err)
    assert message in str(excinfo.value) + err.getvalue()
    assert (Proposal.objects.count(), StudySession.objects.count(), _history_rows()) == before
    return err.getvalue()


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_template_writes_the_chinese_import_headers_and_no_rows(tmp_path, suffix):
    target = tmp_path / f"模板.{suffix}"
    call_command("export_template", "supervision.Proposal", str(target), stdout=io.StringIO())
    if suffix == "xlsx":
        sheet = openpyxl.load_workbook(target).active
        rows = list(sheet.iter_rows(values_only=True))
    else:
        rows = [line.split(",") for line in target.read_text("utf-8-sig").splitlines()]
    assert len(rows) == 1
    assert list(rows[0][:5]) == ["ID", "类别", "年度", "编号", "标题"]
    assert "办理结果分类" in rows[0] and "提案人满意度" in rows[0]


def test_a_filled_template_imports_with_history_naming_the_command_and_the_user(
    tmp_path, administrator
):
    template = tmp_path / "t.xlsx"
    call_command("export_template", "supervision.Proposal", str(template), stdout=io.StringIO())
    headers = [c.value for c in openpyxl.load_workbook(template).active[1]]
    row = dict.fromkeys(headers, "")
    row.update(
        {
            "类别": "政协提案",
            "年度": 2021,
            "编号": "0209",
            "标题": "荣誉市民",
            "交办日期": "2021-04-01",
        }
    )
    path = _xlsx(tmp_path / "提案.xlsx", headers, [[row[h] for h in headers]])
    out = io.StringIO()
    call_command(
        "import_records", "supervision.Proposal", path, "--user", "guanli_zhou", stdout=out
    )
    assert "导入完成：新增 1 条，更新 0 条。" in out.getvalue()
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.number, str(proposal.due_on)) == ("cppcc", "0209", "2021-07-01")
    record = proposal.history.get()
    assert record.history_user == administrator
    assert record.history_change_reason == "命令行导入：提案.xlsx"


def test_export_records_then_import_records_round_trips_through_the_command_line(tmp_path):
    law = Law.objects.create(title="中华人民共和国保密法", short_title="保密法", kind="law")
    session = StudySession.objects.create(
        date="2021-06-01", title="=保密法学习", kind="lecture", summary="+警示教育"
    )
    session.laws.set([law])
    path = tmp_path / "学法.csv"
    call_command("export_records", "trainings.StudySession", str(path), stdout=io.StringIO())
    assert "'=保密法学习" in path.read_text("utf-8-sig")
    StudySession.objects.all().delete()
    call_command("import_records", "trainings.StudySession", str(path), stdout=io.StringIO())
    again = StudySession.objects.get()
    assert (again.title, again.summary, list(again.laws.all())) == (
        "=保密法学习",
        "+警示教育",
        [law],
    )


def test_any_bad_row_writes_nothing_and_reports_every_bad_row_by_number(tmp_path):
    path = _xlsx(
        tmp_path / "p.xlsx",
        PROPOSAL_HEADERS,
        [
            ["政协提案", 2021, "0209", "甲", "2021-04-01"],
            ["政协提案", 2021, "0303", "乙", "2021-02-30"],
            ["人大建议", 2021, "0304", "丙", "2021-04-01"],
            ["政协提案", 2021, "0305", "丁", "2021-04-01"],
        ],
    )
    report = _refused("supervision.Proposal", path, message="导入失败：2 处错误，未写入任何数据。")
    assert "第 2 行：交办日期：“2021-02-30”不是有效的日期，请按 YYYY-MM-DD 格式填写。" in report
    assert "第 3 行：类别：“人大建议”不是可选项" in report
    assert "第 1 行" not in report and "第 4 行" not in report


def test_duplicate_numbers_in_one_file_are_refused_naming_both_rows(tmp_path):
    path = _xlsx(
        tmp_path / "p.xlsx",
        PROPOSAL_HEADERS,
        [
            ["政协提案", 2021, "0209", "甲", "2021-04-01"],
            ["政协提案", 2021, "209", "乙", "2021-04-01"],
            ["政协提案", 2021, "0209", "丙", "2021-04-02"],
        ],
    )
    report = _refused("supervision.Proposal", path, message="导入失败：1 处错误")
    assert "第 3 行：与第 1 行重复（类别、年度、编号 相同）。" in report


def test_a_number_already_used_by_another_record_is_refused_by_the_database_check(tmp_path):
    Proposal.objects.create(
        kind="cppcc",
        year=2021,
        number="0209",
        title="甲",
        assigned_on="2021-04-01",
        due_on="2021-07-01",
    )
    other = Proposal.objects.create(
        kind="cppcc",
        year=2021,
        number="0303",
        title="乙",
        assigned_on="2021-04-01",
        due_on="2021-07-01",
    )
    # Row 1 keeps 0303's ID but takes 0209's number: the unique constraint must catch it.
    path = _xlsx(
        tmp_path / "p.xlsx",
        ["ID", *PROPOSAL_HEADERS],
        [[other.pk, "政协提案", 2021, "0209", "乙", "2021-04-01"]],
    )
    report = _refused("supervision.Proposal", path, message="导入失败")
    assert "该年度已有相同类别和编号的提案或建议。" in report
    assert Proposal.objects.get(pk=other.pk).number == "0303"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["类别", "年份", "编号", "标题", "交办日期"], "无法识别的列：年份；缺少必需的列：年度"),
        (["Kind", "Year"], "无法识别的列：Kind、Year"),
        (["类别", "年度", "编号", "标题", "交办日期", "编号"], "列名重复：编号"),
    ],
)
def test_wrong_headers_are_refused_before_any_row_is_read(tmp_path, headers, message):
    path = _xlsx(tmp_path / "p.xlsx", headers, [["政协提案"] * len(headers)])
    _refused("supervision.Proposal", path, message=message)


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_unrelated_10_mb_file_is_refused_with_a_clear_message(tmp_path, suffix):
    path = tmp_path / f"photo.{suffix}"
    path.write_bytes(os.urandom(10 * 1024 * 1024))
    expected = "不是有效的 xlsx 工作簿" if suffix == "xlsx" else "不是文本格式的 CSV"
    _refused("trainings.StudySession", str(path), message=expected)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, settings):
    settings.FAO_MAX_UPLOAD_BYTES = 1000
    path = _xlsx(
        tmp_path / "p.xlsx", PROPOSAL_HEADERS, [["政协提案", 2021, "1", "x", "2021-04-01"]]
    )
    _refused("supervision.Proposal", path, message="文件大小超过允许的上限（1000 字节）。")


def test_a_zip_with_no_workbook_inside_is_not_taken_for_an_xlsx(tmp_path):
    path = tmp_path / "p.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused("supervision.Proposal", str(path), message="不是有效的 xlsx 工作簿")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("trainings.Nothing", "x.xlsx"), "未知的数据类型“trainings.Nothing”"),
        (("StudySession", "x.xlsx"), "未知的数据类型“StudySession”"),
        (("auth.User", "x.xlsx"), "“auth.User”不支持表格导入导出。"),
        (("trainings.StudySession", "x.docx"), "只能导入 xlsx 或 csv 文件，“x.docx”不是。"),
        (("trainings.StudySession", "/nonexistent/x.xlsx"), "找不到文件“/nonexistent/x.xlsx”。"),
        (("supervision.NoticeComment", "x.xlsx"), "“公示意见”不支持导入。"),
    ],
)
def test_bad_arguments_give_a_chinese_command_error(tmp_path, args, message):
    if args[1] == "x.xlsx" and args[0] == "supervision.NoticeComment":
        path = _xlsx(tmp_path / "x.xlsx", ["意见内容"], [["x"]])
        args = (args[0], path)
    _refused(*args, message=message)


def test_an_unknown_user_is_refused(tmp_path):
    path = _xlsx(
        tmp_path / "p.xlsx", PROPOSAL_HEADERS, [["政协提案", 2021, "1", "x", "2021-04-01"]]
    )
    _refused("supervision.Proposal", path, "--user", "nobody", message="找不到用户“nobody”。")


# run_from_argv closes the database connections on exit, so no wrapping test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_command_exits_with_status_1_on_a_bad_file(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = _xlsx(tmp_path / "p.xlsx", PROPOSAL_HEADERS, [["政协提案", 2021, "1", "x", "昨天"]])
    utility = ManagementUtility(["manage.py", "import_records", "supervision.Proposal", path])
    with pytest.raises(SystemExit) as excinfo:
        utility.execute()
    assert excinfo.value.code == 1
    assert "第 1 行：交办日期：“昨天”不是有效的日期" in capsys.readouterr().err
    assert Proposal.objects.count() == 0


def test_dry_run_checks_everything_and_writes_nothing(tmp_path):
    path = _xlsx(
        tmp_path / "p.xlsx", PROPOSAL_HEADERS, [["政协提案", 2021, "1", "x", "2021-04-01"]]
    )
    out = io.StringIO()
    call_command("import_records", "supervision.Proposal", path, "--dry-run", stdout=out)
    assert "检查通过：1 行均可导入（未写入）。" in out.getvalue()
    assert Proposal.objects.count() == 0
