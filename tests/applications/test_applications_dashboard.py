"""Open applications due within 5 working days and overdue ones, on the dashboard of the
staff who handle them and as a filter of the admin list (《政府信息公开条例》第三十三条)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import InformationRequest
from tests.admin_factories import information_request


def test_due_soon_and_overdue(client, local_admin, data_entry_user, leadership_user):
    today = timezone.localdate()
    soon, late, far, answered = (information_request(n) for n in range(4))
    InformationRequest.objects.filter(pk=soon.pk).update(due_on=today)
    InformationRequest.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=1))
    InformationRequest.objects.filter(pk=far.pk).update(due_on=today + datetime.timedelta(days=60))
    InformationRequest.objects.filter(pk=answered.pk).update(
        due_on=today - datetime.timedelta(days=3), status=InformationRequest.Status.DECIDED
    )
    assert list(services.due_soon(today)) == [soon]
    assert list(services.overdue(today)) == [late]

    client.force_login(data_entry_user)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "5 个工作日内到期的政府信息公开申请" in page
    assert "已逾期的政府信息公开申请" in page
    listing = client.get(
        reverse("admin:applications_informationrequest_changelist"), {"deadline": "overdue"}
    )
    assert listing.status_code == 200
    assert late.tracking_code in listing.content.decode()
    assert soon.tracking_code not in listing.content.decode()

    client.force_login(leadership_user)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "政府信息公开申请" not in page
