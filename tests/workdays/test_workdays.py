"""The working-day calendar: the State Council schedule, seeded from chinese_calendar, counted
without the day of receipt (《政府信息公开条例》第三十三条)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from workdays.calendar import (
    Pause,
    UnknownYear,
    WorkingCalendar,
    add_working_days,
    compute_deadline,
)
from workdays.models import CalendarYear, SpecialDay
from workdays.services import working_calendar

D = datetime.date


def run(*args) -> str:
    out = StringIO()
    call_command("working_days", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_pure_function_follows_make_up_days():
    # 2024 National Day: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
    calendar = WorkingCalendar.build(
        [2024],
        holidays=[D(2024, 10, d) for d in (1, 2, 3, 4, 7)],
        workdays=[D(2024, 9, 29), D(2024, 10, 12)],
    )
    assert add_working_days(D(2024, 9, 27), 1, calendar) == D(2024, 9, 29)
    assert add_working_days(D(2024, 9, 27), 20, calendar) == D(2024, 10, 30)
    assert add_working_days(D(2024, 9, 27), 0, calendar) == D(2024, 9, 27)
    weekends_only = WorkingCalendar.build([2024])
    assert add_working_days(D(2024, 9, 27), 20, weekends_only) == D(2024, 10, 25)


def test_unknown_year_is_refused_not_guessed():
    calendar = WorkingCalendar.build([2024])
    with pytest.raises(UnknownYear, match="2025"):
        add_working_days(D(2024, 12, 20), 20, calendar)


@pytest.mark.django_db
def test_table_is_seeded_from_the_package():
    calendar = working_calendar()
    assert {2004, 2024, 2026} <= calendar.years
    assert SpecialDay.objects.get(date=D(2024, 10, 12)).kind == SpecialDay.Kind.WORKDAY
    assert SpecialDay.objects.get(date=D(2024, 10, 1)).name == "国庆节"
    assert not SpecialDay.objects.filter(date=D(2024, 10, 5)).exists()  # a Saturday anyway


@pytest.mark.django_db
def test_command_prints_the_date():
    assert run("--from", "2024-09-27", "--add", "20") == "2024-10-30"
    assert run("--from", "2024-10-30", "--add", "20") == "2024-11-27"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "message"),
    [
        ("2024-13-01", "20", "起算日期"),
        ("yesterday", "20", "起算日期"),
        ("2024-09-27", "abc", "工作日数"),
        ("2024-09-27", "-3", "工作日数"),
        ("2024-09-27", "100000", "工作日数"),
        ("2099-01-04", "1", "2099"),
        ("2026-12-20", "20", "2027"),
    ],
)
def test_command_bad_input_is_a_chinese_error(start, days, message):
    with pytest.raises(CommandError, match=message):
        run("--from", start, "--add", days)


@pytest.mark.django_db
def test_deadline_explains_each_step():
    calendar = working_calendar()
    deadline = compute_deadline(
        calendar,
        received_on=D(2024, 9, 27),
        pauses=[Pause("征求第三方意见", D(2024, 10, 8), D(2024, 10, 14))],
        extension_days=20,
    )
    # 8 Oct consultation starts; 9–14 Oct: 9, 10, 11, 12 (make-up), 14 = 5 working days out.
    assert deadline.paused_working_days == 5
    assert deadline.due_on == add_working_days(D(2024, 9, 27), 45, calendar)
    assert [s.label for s in deadline.steps] == [
        "收到申请",
        "征求第三方意见",
        "答复期限",
        "延长答复期限",
    ]
    assert "2024-09-27" in deadline.text and "第三十二条" in deadline.text


@pytest.mark.django_db
def test_seed_command_keeps_edited_years(tmp_path):
    SpecialDay.objects.filter(date=D(2024, 10, 12)).delete()
    out = StringIO()
    call_command("seed_working_days", "--year", "2024", stdout=out)
    assert "未改动" in out.getvalue()
    assert not SpecialDay.objects.filter(date=D(2024, 10, 12)).exists()
    call_command("seed_working_days", "--year", "2024", "--replace", stdout=out)
    assert SpecialDay.objects.filter(date=D(2024, 10, 12)).exists()
    with pytest.raises(CommandError, match="数据包中没有"):
        call_command("seed_working_days", "--year", "2090", stdout=out)


@pytest.mark.django_db
def test_day_rules_are_validated():
    year = CalendarYear.objects.get(year=2024)
    bad = SpecialDay(
        calendar_year=year, date=D(2024, 10, 5), kind=SpecialDay.Kind.HOLIDAY, name="x"
    )
    with pytest.raises(Exception, match="周末"):
        bad.full_clean()
    bad = SpecialDay(calendar_year=year, date=D(2025, 1, 6), kind=SpecialDay.Kind.HOLIDAY, name="x")
    with pytest.raises(Exception, match="2024"):
        bad.full_clean()


def test_administrator_adds_next_year_in_the_admin(administrator_user, client, local_admin):
    client.force_login(administrator_user)
    url = reverse("admin:workdays_calendaryear_add")
    response = client.post(
        url,
        {
            "year": "2027",
            "source": "manual",
            "announcement": "国务院办公厅关于2027年部分节假日安排的通知",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-0-date": "2027-01-01",
            "days-0-kind": "holiday",
            "days-0-name": "元旦",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert 2027 in working_calendar().years
    year = CalendarYear.objects.get(year=2027)
    assert year.history.first().history_user == administrator_user


def test_other_roles_cannot_edit_the_calendar(data_entry_user, reviewer_user, leadership_user):
    for user in (data_entry_user, reviewer_user, leadership_user):
        assert not user.has_perm("workdays.change_specialday")
        assert not user.has_perm("workdays.add_calendaryear")


@pytest.mark.django_db
def test_command_explains_each_counted_day():
    out = StringIO()
    call_command("working_days", "--from", "2024-09-27", "--add", "3", "--explain", stdout=out)
    lines = [line.split() for line in out.getvalue().strip().splitlines()]
    # Sunday 29 September is a make-up working day; 1–7 October are not counted.
    assert lines == [["1", "2024-09-29"], ["2", "2024-09-30"], ["3", "2024-10-08"], ["2024-10-08"]]
