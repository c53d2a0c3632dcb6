"""Every change made through the admin is audited with the user who made it, including rows
saved by inline forms, many-to-many changes and deletions; the history page shows them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from supervision.models import Delegation, DelegationMember, Proposal
from tests.admin_factories import admin_form_data, inline_data, make
from trainings.models import Law, StudySession

pytestmark = pytest.mark.usefixtures("local_admin")


def _proposal_form(proposal: Proposal, **changes) -> dict:
    values = {
        "kind": proposal.kind,
        "year": proposal.year,
        "number": proposal.number,
        "title": proposal.title,
        "role": proposal.role,
        "assigned_on": proposal.assigned_on,
        "due_on": proposal.due_on,
        **changes,
    }
    return admin_form_data(Proposal, values)


def test_admin_add_records_the_administrator_as_author(admin_client, administrator):
    values = {
        "kind": Proposal.Kind.CPPCC,
        "year": 2021,
        "number": "0303",
        "title": "关于将西太湖国际社区打造成标杆性国际社区的建议",
        "role": Proposal.Role.LEAD,
        "assigned_on": datetime.date(2021, 3, 1),
    }
    response = admin_client.post(
        reverse("admin:supervision_proposal_add"), admin_form_data(Proposal, values)
    )
    assert response.status_code == 302
    record = Proposal.objects.get().history.get()
    assert record.history_type == "+"
    assert record.history_user == administrator


def test_data_entry_staff_change_is_recorded_under_their_name(client, data_entry_user):
    proposal = make(Proposal)
    client.force_login(data_entry_user)
    response = client.post(
        reverse("admin:supervision_proposal_change", args=[proposal.pk]),
        _proposal_form(proposal, replied_on=datetime.date(2021, 5, 20), reply_text="已答复。"),
    )
    assert response.status_code == 302
    latest = proposal.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == data_entry_user
    assert latest.replied_on == datetime.date(2021, 5, 20)
    assert proposal.history.earliest().history_user is None  # created outside a request


def test_history_page_shows_who_made_each_change(admin_client, data_entry_user):
    proposal = make(Proposal)
    clerk = Client()
    clerk.force_login(data_entry_user)
    clerk.post(
        reverse("admin:supervision_proposal_change", args=[proposal.pk]),
        _proposal_form(proposal, proposer="政协委员"),
    )
    admin_client.post(
        reverse("admin:supervision_proposal_change", args=[proposal.pk]),
        _proposal_form(proposal, proposer="政协委员", title="新标题"),
    )
    response = admin_client.get(reverse("admin:supervision_proposal_history", args=[proposal.pk]))
    assert response.status_code == 200
    table = response.content.decode().split('id="change-history"')[1].split("</table>")[0]
    assert "修改人" in table
    assert "luru_chen" in table
    assert "guanli_zhou" in table
    assert "新标题" in table  # the change itself is listed


def test_inline_rows_record_the_acting_user(admin_client, administrator):
    trip = make(Delegation)
    member, stop = trip.members.get(), trip.stops.get()
    values = {
        "name": trip.name,
        "unit": trip.unit,
        "leader": trip.leader,
        "departure_on": trip.departure_on,
        "return_on": trip.return_on,
    }
    data = admin_form_data(Delegation, values)
    data.update(
        inline_data(
            "members",
            [
                {"id": member.pk, "delegation": trip, "name": member.name, "unit": member.unit},
                {"name": "翻译小李", "unit": "市外事办", "is_interpreter": True},
            ],
            initial=1,
        )
    )
    data.update(
        inline_data(
            "stops",
            [{"id": stop.pk, "delegation": trip, "order": 1, "country": stop.country}],
            initial=1,
        )
    )
    response = admin_client.post(
        reverse("admin:supervision_delegation_change", args=[trip.pk]), data
    )
    assert response.status_code == 302
    added = DelegationMember.objects.get(name="翻译小李")
    assert added.history.get().history_user == administrator


def test_many_to_many_change_records_the_acting_user(admin_client, administrator):
    session = make(StudySession)
    archives_law = session.laws.get()
    security_law = Law.objects.create(title="中华人民共和国国家安全法", kind=Law.Kind.LAW)
    values = {
        "date": session.date,
        "title": session.title,
        "kind": session.kind,
        "mode": session.mode,
        "laws": [archives_law, security_law],
    }
    response = admin_client.post(
        reverse("admin:trainings_studysession_change", args=[session.pk]),
        admin_form_data(StudySession, values),
    )
    assert response.status_code == 302
    latest = session.history.latest()
    assert latest.history_user == administrator
    assert {row.law_id for row in latest.laws.all()} == {archives_law.pk, security_law.pk}


def test_deletion_records_the_acting_user(admin_client, administrator):
    proposal = make(Proposal)
    response = admin_client.post(
        reverse("admin:supervision_proposal_delete", args=[proposal.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Proposal.objects.exists()
    deleted = Proposal.history.filter(id=proposal.pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == administrator


def test_reverting_a_proposal_through_its_history_page_is_refused(admin_client):
    """History pages only display old versions; a correction goes through the change page."""
    proposal = make(Proposal)
    first = proposal.history.get()
    proposal.title = "改错的标题"
    proposal.save()
    response = admin_client.post(
        reverse("admin:supervision_proposal_simple_history", args=[proposal.pk, first.pk]),
        _proposal_form(first.instance),
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "改错的标题"


def test_delegation_cannot_be_reverted_around_its_rules(admin_client):
    """A revert saves the trip's dates without re-checking its stops, so it is refused."""
    trip = make(Delegation)
    first = trip.history.get()
    trip.return_on = trip.departure_on
    trip.save()
    url = reverse("admin:supervision_delegation_simple_history", args=[trip.pk, first.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = admin_client.post(url, {"name": trip.name})
    assert response.status_code == 403
    trip.refresh_from_db()
    assert trip.days_abroad == 1


def test_deleting_from_the_list_records_the_acting_user(admin_client, administrator):
    """The delete action on a list (here one with counted columns) audits every row."""
    trips = [make(Delegation, 0), make(Delegation, 1)]
    response = admin_client.post(
        reverse("admin:supervision_delegation_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [trip.pk for trip in trips],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Delegation.objects.exists()
    for trip in trips:
        deleted = Delegation.history.filter(id=trip.pk).latest()
        assert deleted.history_type == "-"
        assert deleted.history_user == administrator
