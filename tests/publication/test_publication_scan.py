"""The personal-data scan before publication: what it reports, where, masked; what it leaves
alone (wrong check digits, the office's own published numbers); the staff command."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from publication.models import AllowedNumber, default_allow_list
from publication.scan import (
    BANK_CARD,
    EMAIL,
    LANDLINE,
    MOBILE,
    PASSPORT,
    RESIDENT_ID,
    is_resident_id,
    luhn_ok,
    scan,
)
from tests.publication_files import (
    docx_bytes,
    pdf_bytes,
    resident_id,
    wrong_check_id,
    xlsx_bytes,
)

ID = resident_id()  # 320402199001011239
MOBILE_NUMBER = "13800138000"


def kinds(result) -> list[str]:
    return [f.kind for f in result.findings]


def test_a_valid_resident_id_is_reported_masked():
    result = scan(f"申请人身份证号：{ID}。", allow=())
    assert kinds(result) == [RESIDENT_ID]
    finding = result.findings[0]
    assert finding.masked == "3204**********1239"
    assert ID not in str(finding.as_dict())
    assert str(finding.location) == "第 1 段"


def test_a_random_18_digit_number_with_a_wrong_check_digit_is_not_reported():
    wrong = wrong_check_id()
    assert not is_resident_id(wrong)
    assert not luhn_ok(wrong)
    assert scan(f"编号 {wrong} 见附件", allow=()).findings == []


def test_an_impossible_date_of_birth_is_not_an_id_number():
    # Right check character, but born on 30 February.
    first17 = "32040219900230123"
    assert not is_resident_id(resident_id(first17))
    assert scan(resident_id(first17), allow=()).findings == []


def test_an_id_number_inside_a_longer_digit_run_is_not_reported():
    assert scan(f"9{ID}9", allow=()).findings == []


def test_each_kind_is_found_with_its_mask():
    text = (
        "联系人手机 138-0013-8000，邮箱 zhang.san@example.com，护照 E12345678，"
        "银行卡 6222 0212 3456 7890 128，传真：0519-86661234"
    )
    found = {f.kind: f.masked for f in scan(text, allow=()).findings}
    assert found == {
        MOBILE: "138****8000",
        EMAIL: "z***@example.com",
        PASSPORT: "E******78",
        BANK_CARD: "6222***********0128",
        LANDLINE: "0519******34",
    }


def test_a_card_number_failing_luhn_is_not_reported():
    assert scan("卡号 6222021234567890127", allow=()).findings == []


def test_mobile_numbers_need_boundaries_and_a_valid_prefix():
    assert kinds(scan("订单号 2138001380001", allow=())) == []
    assert kinds(scan("号码 12800138000", allow=())) == []
    assert kinds(scan("+86 13800138000", allow=())) == [MOBILE]
    assert kinds(scan("手机１３８００１３８０００", allow=())) == [MOBILE]  # full-width digits


def test_a_bare_eight_digit_number_is_not_a_phone_number():
    assert scan("2021年投入经费 85683342 元", allow=()).findings == []


@pytest.mark.django_db
def test_the_allow_listed_hotline_is_not_reported():
    # Seeded by the app's migration: the supervision hotline published in the 2021 report.
    assert AllowedNumber.objects.filter(value="85683342", active=True).exists()
    text = "监督举报电话：85683342；监督举报电话：0519-85683342；联系电话：85683343"
    result = scan(text, allow=default_allow_list())
    assert [f.masked for f in result.findings] == ["******43"]


@pytest.mark.django_db
def test_an_allow_list_entry_added_by_an_administrator_takes_effect():
    text = "外事办公开邮箱 fao@changzhou.gov.cn，值班手机 13912345678"
    assert kinds(scan(text, allow=default_allow_list())) == [EMAIL, MOBILE]
    AllowedNumber.objects.create(value="FAO@changzhou.gov.cn", label="公开邮箱")
    AllowedNumber.objects.create(value="139 1234 5678", label="值班手机", active=False)
    assert kinds(scan(text, allow=default_allow_list())) == [MOBILE]


def test_the_same_value_has_the_same_fingerprint_wherever_it_is():
    first = scan(f"甲 {MOBILE_NUMBER}\n乙 138 0013 8000", allow=()).findings
    assert [str(f.location) for f in first] == ["第 1 段", "第 2 段"]
    assert first[0].fingerprint == first[1].fingerprint
    assert MOBILE_NUMBER not in first[0].fingerprint


# ------------------------------------------------------------------------------ files


def test_pdf_findings_carry_their_page():
    data = pdf_bytes(
        ["第一页：名单如下。", f"第二页：联系人 {MOBILE_NUMBER}"],
        table_rows=[("张三", ID)],
        author="王小明",
    )
    result = scan(data, allow=(), name="名单.pdf")
    assert [(str(f.location), f.kind) for f in result.findings] == [
        ("第 1 页", RESIDENT_ID),
        ("第 2 页", MOBILE),
    ]
    assert result.findings[0].masked == "3204**********1239"


def test_a_pdf_page_without_text_is_a_warning():
    from weasyprint import HTML

    data = HTML(string="<div style='height:10cm;background:#ccc'></div>").write_pdf()
    result = scan(data, allow=(), name="扫描件.pdf")
    assert result.clean
    assert result.warnings == ["第 1 页没有文字层（可能是扫描件），请人工核对。"]


def test_word_findings_carry_paragraph_and_table_cell():
    data = docx_bytes(
        ["关于荣誉市民的公示", f"联系人手机 {MOBILE_NUMBER}"],
        table=[["姓名", "身份证号"], ["张三", ID]],
        tracked_delete="zhang@example.com",
    )
    result = scan(data, allow=(), name="公示.docx")
    assert [(str(f.location), f.kind) for f in result.findings] == [
        ("第 2 段", MOBILE),
        ("表格 1 第 2 行 第 2 列", RESIDENT_ID),
        ("第 3 段", EMAIL),  # deleted text is still in the file
    ]


def test_excel_finding_carries_sheet_and_cell():
    rows = [
        ["姓名", "单位", "电话"],
        ["张三", "某公司", "0519-00000000"],
        ["李四", "某大学", 13800138000],
    ]
    result = scan(xlsx_bytes(rows), allow=(), name="名单.xlsx")
    assert [(str(f.location), f.kind, f.masked) for f in result.findings] == [
        ("工作表“名单” 单元格 C3", MOBILE, "138****8000"),
    ]


def test_csv_findings_carry_row_and_column():
    data = f"姓名,证件号\n张三,{ID}\n".encode("gb18030")
    result = scan(data, allow=(), name="名单.csv")
    assert [(str(f.location), f.kind) for f in result.findings] == [
        ("第 2 行 第 2 列", RESIDENT_ID)
    ]


def test_a_clean_file_has_no_findings():
    data = docx_bytes(["2021年，市外事办坚持依法行政。", "监督举报电话：85683342"])
    assert scan(data, allow=("85683342",), name="报告.docx").clean
    assert scan(pdf_bytes(["2021年度法治政府建设情况报告"]), allow=(), name="报告.pdf").clean


def test_unknown_and_damaged_files_are_refused_in_chinese():
    with pytest.raises(ValidationError) as unknown:
        scan(b"\xd0\xcf\x11\xe0", allow=(), name="旧格式.doc")
    assert unknown.value.code == "unsupported"
    with pytest.raises(ValidationError) as damaged:
        scan(b"PK\x03\x04 not a zip", allow=(), name="坏.xlsx")
    assert damaged.value.code == "unreadable"
    assert "已损坏" in damaged.value.messages[0]


# --------------------------------------------------------------------------- command


def _run(*paths) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_publication", *map(str, paths), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_check_publication_prints_findings_and_exits_1(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx_bytes([["姓名", "手机"], ["张三", MOBILE_NUMBER]]))
    status, out, _err = _run(path)
    assert status == 1
    assert "工作表“名单” 单元格 B2：手机号码 138****8000" in out
    assert MOBILE_NUMBER not in out


@pytest.mark.django_db
def test_check_publication_reports_tracked_changes(tmp_path):
    path = tmp_path / "公示.docx"
    path.write_bytes(docx_bytes(["正文"], tracked_insert="新增一句"))
    status, out, _err = _run(path)
    assert status == 1
    assert "仍有修订痕迹" in out


@pytest.mark.django_db
def test_check_publication_exits_0_for_a_clean_file(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_text("监督举报电话：85683342\n2021年工作总结。\n", encoding="utf-8")
    status, out, _err = _run(path)
    assert status == 0
    assert "未发现个人信息" in out


@pytest.mark.django_db
def test_check_publication_names_unreadable_and_unknown_files(tmp_path):
    odd = tmp_path / "旧格式.doc"
    odd.write_bytes(b"\xd0\xcf\x11\xe0")
    status, _out, err = _run(odd, tmp_path / "不存在.pdf")
    assert status == 2
    assert "不支持的文件类型“旧格式.doc”" in err
    assert "无法读取文件" in err
