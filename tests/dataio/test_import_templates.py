"""Import templates explain themselves and keep what the office writes: a code such as
proposal 编号 "0117" stays "0117", a batch typed 第十九批 is batch 19 and is exported as
第十九批."""

import io

import openpyxl
import pytest

from dataio.importing import export_bytes, load_upload, run_import, template_bytes
from supervision.models import HonoraryCitizenNotice, Proposal


def _fill(model, values: dict[str, str]) -> bytes:
    """The model's template with one row typed into its first sheet."""
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(model, "xlsx")))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for column, value in values.items():
        cell = sheet.cell(row=2, column=headers.index(column) + 1, value=value)
        # What Excel does with a cell typed into a column formatted as text.
        cell.number_format = sheet.column_dimensions[cell.column_letter].number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(model, data: bytes):
    _info, dataset = load_upload(data, "模板.xlsx", model)
    outcome = run_import(model=model, dataset=dataset, file_name="模板.xlsx")
    assert outcome.ok, outcome.report_lines()
    return outcome


@pytest.mark.django_db
def test_template_explains_itself():
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(Proposal, "xlsx")))
    data, guide, example = book.worksheets
    headers = [cell.value for cell in data[1]]
    assert "演示数据" not in headers
    assert [s.title for s in (guide, example)] == ["填写说明", "示例"]
    number = data.cell(row=1, column=headers.index("编号") + 1)
    assert number.font.color.rgb.endswith("C00000")  # required: red
    assert data.column_dimensions[number.column_letter].number_format == "@"
    rows = {row[0]: row for row in guide.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["编号"][1] == "必填"
    assert "0117" in rows["编号"][2]
    assert "政协提案" in rows["类别"][3]
    assert "YYYY-MM-DD" in rows["交办日期"][2]
    assert [cell.value for cell in example[1]] == headers


@pytest.mark.django_db
def test_a_filled_template_keeps_the_code_and_reads_the_batch():
    _import(
        Proposal,
        _fill(
            Proposal,
            {
                "类别": "政协提案",
                "年度": "2026",
                "编号": "0117",
                "标题": "关于深化国际友城交流的提案",
                "交办日期": "2026-03-10",
            },
        ),
    )
    assert Proposal.objects.get(year=2026).number == "0117"

    _import(
        HonoraryCitizenNotice,
        _fill(
            HonoraryCitizenNotice,
            {
                "批次": "第十九批",
                "公示标题": "拟授予第十九批“常州市荣誉市民”称号人选公示",
                "公示开始日期": "2026-09-13",
                "公示结束日期": "2026-09-22",
            },
        ),
    )
    assert HonoraryCitizenNotice.objects.get().batch == 19
    exported = export_bytes(HonoraryCitizenNotice, "csv").decode("utf-8-sig")
    assert "第十九批" in exported


@pytest.mark.parametrize("typed", ["19", "第19批", "第十九批", "十九"])
def test_batch_is_read_in_every_way_it_is_written(typed):
    from dataio.import_widgets import BatchWidget

    assert BatchWidget().clean(typed) == 19


def test_a_batch_that_is_not_one_is_refused_in_chinese():
    from dataio.import_widgets import BatchWidget

    with pytest.raises(ValueError, match="不是有效的批次"):
        BatchWidget().clean("十九号")


def test_a_wrong_model_name_lists_the_valid_ones(db, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as raised:
        call_command("import_records", "trainings.Study", str(tmp_path / "x.xlsx"))
    message = str(raised.value)
    assert "可用的数据类型" in message
    assert "trainings.StudySession（学法活动）" in message
    assert "supervision.Proposal（提案与建议）" in message
