"""Table 三 and table 四 of the annual disclosure work report from the applications of a year,
with the check 一 + 二 = 三（七）+ 四 per column (《政府信息公开条例》第五十条)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from applications import services
from applications.models import ApplicantType, InformationRequest, Outcome, Remedy
from applications.statistics import (
    CARRIED_IN,
    CARRIED_OUT,
    COLUMNS,
    NEW,
    RESULT_TOTAL,
    TOTAL,
    remedy_table,
    request_table,
    request_table_for_year,
)

D = datetime.date


def app(kind, received, decided=None, outcome=""):
    return InformationRequest(
        applicant_type=kind,
        received_on=received,
        decided_on=decided,
        outcome=outcome if decided else "",
    )


APPLICATIONS = [
    # carried in from 2021, answered in 2022
    app(ApplicantType.NATURAL_PERSON, D(2021, 12, 20), D(2022, 1, 10), Outcome.DISCLOSED),
    # carried in from 2021, still open at the end of 2022
    app(ApplicantType.BUSINESS, D(2021, 12, 28)),
    # answered in 2021: not in the 2022 table
    app(ApplicantType.NATURAL_PERSON, D(2021, 3, 1), D(2021, 3, 20), Outcome.PARTIAL),
    # new in 2022
    app(ApplicantType.NATURAL_PERSON, D(2022, 3, 1), D(2022, 3, 25), Outcome.WITHHELD_PROCESS),
    app(ApplicantType.RESEARCH, D(2022, 5, 9), D(2022, 6, 1), Outcome.UNAVAILABLE_NOT_HELD),
    app(ApplicantType.LEGAL_SERVICE, D(2022, 7, 1), D(2022, 7, 2), Outcome.NOT_PROCESSED_REPEATED),
    app(ApplicantType.OTHER_ORGANIZATION, D(2022, 12, 26)),  # carried into 2023
    app(ApplicantType.PUBLIC_WELFARE, D(2022, 12, 27), D(2023, 1, 5), Outcome.DISCLOSED),
    # received in 2023: not in the 2022 table
    app(ApplicantType.NATURAL_PERSON, D(2023, 1, 3), D(2023, 1, 9), Outcome.DISCLOSED),
    # online, never confirmed: counts nowhere
    app(ApplicantType.NATURAL_PERSON, None),
]


def test_table_counts_and_check():
    table = request_table(2022, APPLICATIONS)
    assert table.cell(NEW, TOTAL) == 5
    assert table.cell(CARRIED_IN, TOTAL) == 2
    assert table.cell(RESULT_TOTAL, TOTAL) == 4
    assert table.cell(CARRIED_OUT, TOTAL) == 3
    assert table.cell(NEW, ApplicantType.NATURAL_PERSON) == 1
    assert table.cell(CARRIED_IN, ApplicantType.BUSINESS) == 1
    assert table.cell(Outcome.WITHHELD_PROCESS, ApplicantType.NATURAL_PERSON) == 1
    assert table.cell(Outcome.DISCLOSED, ApplicantType.NATURAL_PERSON) == 1
    assert table.category_total("withhold", TOTAL) == 1
    assert table.check() == []
    assert table.check_messages() == []
    table.require_consistent()


def test_a_figure_edited_by_hand_breaks_the_check():
    table = request_table(2022, APPLICATIONS)
    table.rows[CARRIED_OUT][ApplicantType.RESEARCH] += 1
    table.rows[CARRIED_OUT][TOTAL] += 1
    assert table.check() == [ApplicantType.RESEARCH, TOTAL]
    assert "科研机构" in table.check_messages()[0]
    with pytest.raises(ValidationError, match="不能提交"):
        table.require_consistent()
    # A result row that does not add up to （七） fails too.
    table = request_table(2022, APPLICATIONS)
    table.rows[Outcome.DISCLOSED][ApplicantType.NATURAL_PERSON] += 1
    assert ApplicantType.NATURAL_PERSON in table.check()


def test_national_row_labels_in_order():
    labels = [label for label, _figures in request_table(2022, []).labelled_rows()]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert labels[1] == "二、上年结转政府信息公开申请数量"
    assert labels[2] == "三、本年度办理结果"
    assert "（三）不予公开" in labels
    assert "1.属于国家秘密" in labels
    assert "5.要求行政机关确认或重新出具已获取信息" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert len(labels) == 2 + 1 + 2 + 4 * 1 + 8 + 3 + 5 + 3 + 2
    assert len(COLUMNS) == 7


def test_remedy_table():
    remedies = [
        Remedy(
            kind=Remedy.Kind.REVIEW,
            filed_on=D(2022, 2, 1),
            result=Remedy.Result.UPHELD,
            concluded_on=D(2022, 4, 1),
        ),
        Remedy(
            kind=Remedy.Kind.REVIEW,
            filed_on=D(2022, 11, 1),
            result=Remedy.Result.CORRECTED,
            concluded_on=D(2023, 1, 20),
        ),
        Remedy(kind=Remedy.Kind.LAWSUIT_DIRECT, filed_on=D(2022, 6, 1)),
        Remedy(kind=Remedy.Kind.LAWSUIT_DIRECT, filed_on=D(2021, 6, 1)),
    ]
    table = remedy_table(2022, remedies)
    assert table[Remedy.Kind.REVIEW] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 2,
    }
    assert table[Remedy.Kind.LAWSUIT_DIRECT]["pending"] == 1
    assert table[Remedy.Kind.LAWSUIT_AFTER_REVIEW]["total"] == 0


@pytest.mark.django_db
def test_table_from_the_database(data_entry_user, reviewer_user):
    data = {
        "applicant_type": ApplicantType.BUSINESS,
        "applicant_name": "某公司",
        "id_document": "91320400000000000X",
        "phone": "0519-00000000",
        "description": "x",
        "delivery_form": InformationRequest.DeliveryForm.EMAIL,
    }
    answered = services.register(
        user=data_entry_user, data=data, channel="post", received_on=D(2024, 9, 27)
    )
    services.register(user=data_entry_user, data=data, channel="post", received_on=D(2024, 12, 30))
    services.decide(
        answered, user=reviewer_user, outcome=Outcome.DISCLOSED, basis="x", on=D(2024, 10, 8)
    )
    table = request_table_for_year(2024)
    assert table.cell(NEW, ApplicantType.BUSINESS) == 2
    assert table.cell(Outcome.DISCLOSED, ApplicantType.BUSINESS) == 1
    assert table.cell(CARRIED_OUT, ApplicantType.BUSINESS) == 1
    assert table.check() == []


@pytest.mark.django_db
def test_demo_applications_fill_the_2022_tables(data_entry_user, reviewer_user):
    from io import StringIO

    from django.core.management import call_command

    from applications.statistics import remedy_table

    out = StringIO()
    call_command("load_demo_applications", stdout=out)
    assert "通过" in out.getvalue()
    table = request_table_for_year(2022)
    assert table.check() == []
    assert table.cell(NEW, TOTAL) == 8
    assert table.cell(CARRIED_IN, TOTAL) == 1
    assert table.cell(RESULT_TOTAL, TOTAL) == 7
    assert table.cell(CARRIED_OUT, TOTAL) == 2
    for column in (ApplicantType.NATURAL_PERSON, ApplicantType.BUSINESS, ApplicantType.RESEARCH):
        assert table.cell(NEW, column) > 0
    assert remedy_table(2022, Remedy.objects.all())[Remedy.Kind.REVIEW]["upheld"] == 1
    assert InformationRequest.objects.filter(is_demo=False).count() == 0
    call_command("load_demo_applications", stdout=out)
    assert InformationRequest.objects.count() == 9


@pytest.mark.django_db
def test_statistics_command_prints_the_national_tables(data_entry_user, reviewer_user):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo_applications", stdout=StringIO())
    out, err = StringIO(), StringIO()
    call_command("application_statistics", "--year", "2022", stdout=out, stderr=err)
    text = out.getvalue()
    assert "一、本年新收政府信息公开申请数量\t3\t1\t1\t1\t1\t1\t8" in text
    assert "4.保护第三方合法权益\t0\t0\t1\t0\t0\t0\t1" in text
    assert "通过" in err.getvalue()
    html = StringIO()
    call_command("application_statistics", "--year", "2022", "--format", "html", stdout=html)
    assert "法人或其他组织" in html.getvalue() and "复议后起诉" in html.getvalue()
