"""The public application form and status look-up, and who sees applicants' personal data:
only staff who handle applications; never a public page, nor an export for other roles."""

import datetime

import pytest
from django.urls import reverse

from applications import services
from applications.models import InformationRequest, Outcome

NAME = "王测试申请人"
ID_DOCUMENT = "居民身份证 320400198812120000"
PHONE = "13812345678"
EMAIL = "wang.applicant@example.invalid"

FORM = {
    "applicant_type": "natural",
    "applicant_name": NAME,
    "id_document": ID_DOCUMENT,
    "contact_person": "",
    "phone": PHONE,
    "email": EMAIL,
    "address": "常州市天宁区测试路8号",
    "description": "本机关2023年外国人来华邀请函审核办理数量",
    "delivery_form": "email",
    "website": "",
}

PERSONAL = (NAME, ID_DOCUMENT, PHONE, EMAIL, "测试路8号")


def submit(client, **changes):
    return client.post(reverse("applications:form"), {**FORM, **changes})


def assert_no_personal_data(content: str):
    for value in PERSONAL:
        assert value not in content


def test_citizen_applies_and_looks_up_the_status(client, public_site):
    page = client.get(reverse("applications:form"))
    assert page.status_code == 200
    assert "政府信息公开申请" in page.content.decode()
    response = submit(client)
    assert response.status_code == 302
    received = client.get(response["Location"])
    req = InformationRequest.objects.get()
    body = received.content.decode()
    assert req.tracking_code in body
    assert_no_personal_data(body)
    assert req.channel == InformationRequest.Channel.ONLINE and req.received_on is None
    status = client.get(reverse("applications:status"), {"code": req.tracking_code.lower()})
    assert status.status_code == 200
    text = status.content.decode()
    assert "已在线提交，待确认收到" in text
    assert_no_personal_data(text)


def test_status_shows_dates_but_no_personal_data(
    client, public_site, data_entry_user, reviewer_user
):
    req = services.register(
        user=data_entry_user,
        data=FORM,
        channel=InformationRequest.Channel.POST,
        received_on=datetime.date(2024, 9, 27),
    )
    text = client.get(reverse("applications:status"), {"code": req.tracking_code}).content.decode()
    assert "2024-10-30" in text
    assert_no_personal_data(text)
    services.decide(
        req,
        user=reviewer_user,
        outcome=Outcome.DISCLOSED,
        basis="依据",
        on=datetime.date(2024, 10, 8),
    )
    text = client.get(reverse("applications:status"), {"code": req.tracking_code}).content.decode()
    assert "2024-10-08" in text
    assert_no_personal_data(text)


@pytest.mark.parametrize(
    ("query", "status"),
    [({"code": "YSQ-NOSUCHCODE"}, 404), ({"code": "x" * 50}, 400), ({"code": "a\x00b"}, 400)],
)
def test_status_bad_codes(client, public_site, query, status):
    assert client.get(reverse("applications:status"), query).status_code == status


def test_honeypot_keeps_nothing(client, public_site):
    response = submit(client, website="http://spam.example")
    assert response.status_code == 302
    assert not InformationRequest.objects.exists()


def test_size_limits_and_required_fields(client, public_site):
    response = submit(client, description="字" * 2001)
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    response = submit(client, applicant_name="", applicant_type="nonsense")
    assert response.status_code == 400
    assert not InformationRequest.objects.exists()


def test_rate_limit_per_address(client, public_site, settings):
    settings.FAO_REQUEST_RATE_LIMIT = 2
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    response = submit(client)
    assert response.status_code == 429
    assert "频繁" in response.content.decode()
    assert InformationRequest.objects.count() == 2


def test_english_page(client, public_site):
    client.cookies["django_language"] = "en"
    assert client.get(reverse("applications:form")).status_code == 200


# --- staff -------------------------------------------------------------------------------


@pytest.fixture
def application(data_entry_user):
    return services.register(
        user=data_entry_user,
        data=FORM,
        channel=InformationRequest.Channel.IN_PERSON,
        received_on=datetime.date(2024, 9, 27),
    )


def export(client) -> str:
    """The change list's export as CSV, every column ticked (for whichever resource the
    user gets)."""
    from applications.admin import (
        AnonymisedInformationRequestResource,
        InformationRequestResource,
    )

    fields = {}
    for resource in (InformationRequestResource, AnonymisedInformationRequestResource):
        fields |= {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}
    url = reverse("admin:applications_informationrequest_export")
    response = client.post(url, {"format": "1", "resource": "0"} | fields)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    assert "查询码" in content
    return content


def test_leadership_sees_no_personal_data(client, local_admin, application, leadership_user):
    client.force_login(leadership_user)
    change = client.get(
        reverse("admin:applications_informationrequest_change", args=[application.pk])
    )
    assert change.status_code == 200
    assert_no_personal_data(change.content.decode())
    listing = client.get(reverse("admin:applications_informationrequest_changelist"))
    assert listing.status_code == 200
    assert_no_personal_data(listing.content.decode())
    history = client.get(
        reverse("admin:applications_informationrequest_history", args=[application.pk])
    )
    assert history.status_code == 403
    handle = client.get(
        reverse("admin:applications_informationrequest_handle", args=[application.pk])
    )
    assert handle.status_code == 403
    assert_no_personal_data(export(client))


def test_handlers_see_and_export_personal_data(client, local_admin, application, data_entry_user):
    client.force_login(data_entry_user)
    change = client.get(
        reverse("admin:applications_informationrequest_change", args=[application.pk])
    )
    assert NAME in change.content.decode()
    assert "2024-10-30" in change.content.decode() or "2024年10月30日" in change.content.decode()
    assert NAME in export(client)


def test_handling_page_runs_a_step(client, local_admin, application, data_entry_user):
    client.force_login(data_entry_user)
    url = reverse("admin:applications_informationrequest_handle", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "第三十三条" in page.content.decode()
    response = client.post(
        url, {"step": "request_correction", "on": "2024-09-30", "text": "请写明年份"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == InformationRequest.Status.CORRECTION
    response = client.post(
        url, {"step": "decide", "on": "2024-10-08", "outcome": "disclose", "text": "x"}
    )
    assert response.status_code == 200
    assert "权限" in response.content.decode()


def test_staff_register_in_the_admin(client, local_admin, data_entry_user):
    client.force_login(data_entry_user)
    response = client.post(
        reverse("admin:applications_informationrequest_add"),
        {
            **{k: v for k, v in FORM.items() if k != "website"},
            "channel": "post",
            "received_on": "2024-09-27",
            "consultations-TOTAL_FORMS": "0",
            "consultations-INITIAL_FORMS": "0",
            "remedies-TOTAL_FORMS": "0",
            "remedies-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    req = InformationRequest.objects.get()
    assert req.due_on == datetime.date(2024, 10, 30)
    assert req.tracking_code.startswith("YSQ-")
    assert req.history.first().history_user == data_entry_user


def test_reply_letter_pdf_names_decision_basis_and_remedies(
    client, local_admin, application, data_entry_user, reviewer_user, leadership_user, tmp_path
):
    import subprocess

    url = reverse("admin:applications_informationrequest_letter", args=[application.pk])
    client.force_login(data_entry_user)
    assert client.get(url).status_code == 404  # no decision yet
    services.decide(
        application,
        user=reviewer_user,
        outcome=Outcome.WITHHELD_PROCESS,
        basis="《政府信息公开条例》第十六条第二款",
        on=datetime.date(2024, 10, 29),
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    text = (
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
        .stdout.replace("\n", "")
        .replace(" ", "")
    )
    for expected in (
        "政府信息公开申请答复告知书",
        "属于四类过程性信息",
        "第十六条第二款",
        "六十日内",
        "六个月内",
        "2024年10月29日",
        NAME,
    ):
        assert expected in text
    client.force_login(leadership_user)
    assert client.get(url).status_code == 403


def test_reviewer_decides_on_the_handling_page(client, local_admin, application, reviewer_user):
    client.force_login(reviewer_user)
    url = reverse("admin:applications_informationrequest_handle", args=[application.pk])
    response = client.post(
        url,
        {"step": "decide", "on": "2024-10-29", "outcome": "unavailable.2", "text": "第三十八条"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.outcome == Outcome.UNAVAILABLE_NEEDS_CREATION
    assert application.decided_by == reviewer_user
    change = client.get(
        reverse("admin:applications_informationrequest_change", args=[application.pk])
    )
    assert change.status_code == 200
    assert NAME in change.content.decode()  # reviewers handle applications too
