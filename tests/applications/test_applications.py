"""Applications for disclosure (依申请公开) walked through every path, with deadlines checked
against the State Council calendar across 2024 National Day (1–7 October off; Sunday
29 September and Saturday 12 October worked): 《政府信息公开条例》第三十条至第三十三条."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications import services
from applications.models import (
    ApplicantType,
    Consultation,
    InformationRequest,
    Outcome,
    Remedy,
    RequestEvent,
)
from tests.publication_gate import review_reply
from workdays.models import CalendarYear, SpecialDay

D = datetime.date
Status = InformationRequest.Status
Action = RequestEvent.Action

APPLICANT = {
    "applicant_type": ApplicantType.NATURAL_PERSON,
    "applicant_name": "张小明",
    "id_document": "居民身份证 320400199001011234",
    "phone": "13900000000",
    "email": "zhang@example.invalid",
    "address": "常州市新北区某路1号",
    "description": "2024年因公出国（境）团组审批情况",
    "delivery_form": InformationRequest.DeliveryForm.EMAIL,
}


NATIONAL_DAY_FRIDAY = D(2024, 9, 27)


def registered(user, received_on=NATIONAL_DAY_FRIDAY, **extra) -> InformationRequest:
    return services.register(
        user=user,
        data={**APPLICANT, **extra},
        channel=InformationRequest.Channel.IN_PERSON,
        received_on=received_on,
    )


def actions(req) -> list[str]:
    return list(req.events.values_list("action", flat=True))


def test_answered_in_time(data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    assert req.due_on == D(2024, 10, 30)  # weekends-only counting would say 2024-10-25
    assert not req.is_overdue(D(2024, 10, 30))
    assert req.is_overdue(D(2024, 10, 31))
    services.decide(
        req,
        user=reviewer_user,
        outcome=Outcome.DISCLOSED,
        basis="《政府信息公开条例》第三十六条第二项",
        on=D(2024, 10, 29),
    )
    services.record_reply_letter(req, user=data_entry_user, on=D(2024, 10, 29))
    review_reply(req, reviewer_user)
    services.deliver(req, user=data_entry_user, on=D(2024, 10, 30))
    services.close(req, user=data_entry_user, on=D(2024, 10, 30))
    req.refresh_from_db()
    assert req.status == Status.CLOSED
    assert not req.is_overdue(D(2025, 1, 1))
    assert actions(req) == [
        Action.REGISTER,
        Action.DECIDE,
        Action.REPLY_LETTER,
        Action.DELIVER,
        Action.CLOSE,
    ]
    # Every step is in the history, with the user who did it.
    users = {h.history_user for h in req.history.all()}
    assert users == {data_entry_user, reviewer_user}


def test_correction_restarts_the_clock(data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    services.request_correction(
        req,
        user=data_entry_user,
        on=D(2024, 9, 29),
        items="请写明所需信息的年份和文号。",
        due_on=D(2024, 10, 15),
    )
    assert req.status == Status.CORRECTION
    assert req.due_on is None
    with pytest.raises(ValidationError, match="只能发出一次"):
        services.request_correction(req, user=data_entry_user, on=D(2024, 9, 30), items="又一项")
    services.receive_correction(req, user=data_entry_user, on=D(2024, 10, 8))
    # 20 working days from the day after the completed application arrived (第三十条).
    assert req.due_on == D(2024, 11, 4)
    deadline = services.deadline_of(req)
    assert [s.label for s in deadline.steps] == [
        "收到申请",
        "发出补正通知",
        "收到补正申请",
        "答复期限",
    ]
    services.decide(
        req, user=reviewer_user, outcome=Outcome.PARTIAL, basis="第三十七条", on=D(2024, 11, 4)
    )
    assert req.status == Status.DECIDED


def test_correction_never_received_is_other_handling(data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    services.request_correction(req, user=data_entry_user, on=D(2024, 9, 30), items="请补充描述")
    with pytest.raises(ValidationError):
        services.decide(
            req, user=reviewer_user, outcome=Outcome.DISCLOSED, basis="x", on=D(2024, 10, 30)
        )
    services.decide(
        req,
        user=reviewer_user,
        outcome=Outcome.OTHER_NO_CORRECTION,
        basis="第三十条：逾期未补正，视为放弃申请",
        on=D(2024, 10, 30),
    )
    assert req.outcome_category == "other"


def test_extension_needs_another_reviewer(data_entry_user, reviewer_user, make_role_user):
    req = registered(data_entry_user)
    with pytest.raises(ValidationError, match="20"):
        services.request_extension(
            req, user=data_entry_user, days=21, reason="涉及多个部门", on=D(2024, 10, 21)
        )
    with pytest.raises(ValidationError, match="理由"):
        services.request_extension(
            req, user=data_entry_user, days=20, reason=" ", on=D(2024, 10, 21)
        )
    services.request_extension(
        req, user=data_entry_user, days=20, reason="需检索多年档案", on=D(2024, 10, 21)
    )
    assert req.due_on == D(2024, 10, 30)  # not yet approved
    with pytest.raises(PermissionDenied):
        services.approve_extension(req, user=data_entry_user, on=D(2024, 10, 22))
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.request_extension(
            req, user=data_entry_user, days=5, reason="再延", on=D(2024, 10, 22)
        )
    services.approve_extension(
        req, user=reviewer_user, on=D(2024, 10, 22), notified_on=D(2024, 10, 22)
    )
    assert req.due_on == D(2024, 11, 27)
    assert not req.is_overdue(D(2024, 11, 1))  # extended applications are not overdue
    assert req.extension_approved_by == reviewer_user
    # A reviewer who asked for the extension may not approve it himself.
    other = registered(data_entry_user)
    services.request_extension(
        other, user=reviewer_user, days=10, reason="理由", on=D(2024, 10, 21)
    )
    with pytest.raises(PermissionDenied, match="以外"):
        services.approve_extension(other, user=reviewer_user, on=D(2024, 10, 22))
    second_reviewer = make_role_user("审核人", "shenhe_wu")
    services.approve_extension(other, user=second_reviewer, on=D(2024, 10, 22))
    assert other.due_on == D(2024, 11, 13)


def test_extension_refused_after_the_deadline(data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    services.request_extension(
        req, user=data_entry_user, days=20, reason="理由", on=D(2024, 10, 30)
    )
    with pytest.raises(ValidationError, match="届满"):
        services.approve_extension(req, user=reviewer_user, on=D(2024, 10, 31))


def test_third_party_consultation_is_not_counted(data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    consultation = services.start_consultation(
        req,
        user=data_entry_user,
        kind=Consultation.Kind.THIRD_PARTY,
        party="某外资企业",
        on=D(2024, 10, 8),
    )
    assert consultation.reply_due_on == D(2024, 10, 28)  # 15 working days (第三十二条)
    assert req.status == Status.CONSULTATION
    assert req.due_on is None  # suspended while the third party considers
    with pytest.raises(ValidationError):
        services.decide(
            req, user=reviewer_user, outcome=Outcome.DISCLOSED, basis="x", on=D(2024, 10, 9)
        )
    services.end_consultation(
        consultation, user=data_entry_user, on=D(2024, 10, 14), opinion="不同意公开"
    )
    # 9, 10, 11, 12 (make-up Saturday) and 14 October are not counted: 20 + 5 working days.
    assert req.due_on == D(2024, 11, 6)
    assert services.deadline_of(req).paused_working_days == 5
    services.decide(
        req,
        user=reviewer_user,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        basis="第十五条、第三十二条",
        on=D(2024, 11, 6),
    )
    assert req.outcome_category == "withhold"


@pytest.mark.parametrize("outcome", [o for o in Outcome.values if o != Outcome.OTHER_NO_CORRECTION])
def test_every_outcome_category(outcome, data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    services.decide(req, user=reviewer_user, outcome=outcome, basis="依据", on=D(2024, 10, 30))
    req.refresh_from_db()
    assert req.outcome == outcome and req.decided_by == reviewer_user


def test_outcome_categories_match_the_national_table():
    counts = {}
    for code in Outcome.values:
        category = code.split(".")[0]
        counts[category] = counts.get(category, 0) + 1
    assert counts == {
        "disclose": 1,
        "partial": 1,
        "withhold": 8,
        "unavailable": 3,
        "not_processed": 5,
        "other": 3,
    }


def test_only_reviewers_decide(data_entry_user, reviewer_user, leadership_user):
    req = registered(data_entry_user)
    for user in (data_entry_user, leadership_user):
        with pytest.raises(PermissionDenied):
            services.decide(req, user=user, outcome=Outcome.DISCLOSED, basis="x", on=D(2024, 10, 8))
    with pytest.raises(PermissionDenied):
        registered(leadership_user)
    with pytest.raises(ValidationError):
        services.decide(req, user=reviewer_user, outcome="nonsense", basis="x", on=D(2024, 10, 8))


def test_remedies_recorded_with_outcomes(data_entry_user, reviewer_user):
    req = registered(data_entry_user)
    with pytest.raises(ValidationError):
        services.record_remedy(
            req, user=data_entry_user, kind=Remedy.Kind.REVIEW, filed_on=D(2024, 11, 1), body="x"
        )
    services.decide(
        req,
        user=reviewer_user,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        basis="第三十六条",
        on=D(2024, 10, 9),
    )
    remedy = services.record_remedy(
        req,
        user=data_entry_user,
        kind=Remedy.Kind.REVIEW,
        filed_on=D(2024, 11, 20),
        body="常州市人民政府",
        result=Remedy.Result.UPHELD,
        concluded_on=D(2025, 1, 10),
    )
    assert remedy.history.first().history_user == data_entry_user
    assert Action.REMEDY in actions(req)


def test_online_application_counts_from_confirmation(data_entry_user):
    req = services.submit_online(data=APPLICANT, source="abc")
    assert req.status == Status.SUBMITTED and req.due_on is None
    InformationRequest.objects.filter(pk=req.pk).update(
        submitted_at=datetime.datetime(2024, 9, 26, 22, 0, tzinfo=datetime.UTC)
    )
    req.refresh_from_db()
    with pytest.raises(ValidationError, match="在线提交日期"):
        services.confirm_receipt(req, user=data_entry_user, received_on=D(2024, 9, 25))
    services.confirm_receipt(req, user=data_entry_user, received_on=D(2024, 9, 27))
    assert req.due_on == D(2024, 10, 30)


def test_calendar_edit_in_the_admin_moves_open_deadlines(
    administrator_user, data_entry_user, reviewer_user, client, local_admin
):
    open_req = registered(data_entry_user)
    answered = registered(data_entry_user)
    services.decide(
        answered, user=reviewer_user, outcome=Outcome.DISCLOSED, basis="x", on=D(2024, 10, 9)
    )
    year = CalendarYear.objects.get(year=2024)
    days = list(year.days.order_by("pk"))
    data = {
        "year": "2024",
        "source": year.source,
        "announcement": "国务院办公厅关于2024年部分节假日安排的通知（测试修改）",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(len(days)),
    }
    for i, day in enumerate(days):
        data.update(
            {
                f"days-{i}-id": str(day.pk),
                f"days-{i}-calendar_year": str(year.pk),
                f"days-{i}-date": day.date.isoformat(),
                f"days-{i}-kind": day.kind,
                f"days-{i}-name": day.name,
            }
        )
        if day.date == D(2024, 10, 12):
            data[f"days-{i}-DELETE"] = "on"
    client.force_login(administrator_user)
    response = client.post(reverse("admin:workdays_calendaryear_change", args=[year.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not SpecialDay.objects.filter(date=D(2024, 10, 12)).exists()
    open_req.refresh_from_db()
    assert open_req.due_on == D(2024, 10, 31)
    event = open_req.events.get(action=Action.RECALCULATE)
    assert (event.due_before, event.due_after, event.user) == (
        D(2024, 10, 30),
        D(2024, 10, 31),
        administrator_user,
    )
    answered.refresh_from_db()
    assert not answered.events.filter(action=Action.RECALCULATE).exists()


def test_unknown_year_leaves_no_deadline_but_says_why(data_entry_user):
    CalendarYear.objects.filter(year=2026).delete()
    req = registered(data_entry_user, received_on=D(2025, 12, 20))
    assert req.due_on is None
    assert "2026" in req.events.get().note
    deadline, problem = services.explain_deadline(req)
    assert deadline is None and "2026" in problem


def test_late_correction_notice_is_recorded_with_a_warning(data_entry_user):
    req = registered(data_entry_user)
    # 7 working days after 27 September 2024 end on Saturday 12 October (a make-up day).
    services.request_correction(req, user=data_entry_user, on=D(2024, 10, 14), items="请补充")
    event = req.events.get(action=Action.CORRECTION_REQUEST)
    assert "7 个工作日" in event.note and "2024-10-12" in event.note
    on_time = registered(data_entry_user)
    services.request_correction(on_time, user=data_entry_user, on=D(2024, 10, 12), items="请补充")
    assert on_time.events.get(action=Action.CORRECTION_REQUEST).note == "请补充"
