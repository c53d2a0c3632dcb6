"""Property-based bad input on the application form and the status look-up: the answer is a
page, a redirect or a 4xx, never a 500, and a refused application leaves nothing behind."""

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import InformationRequest
from tests.publicsite.test_fuzz_public import params_for, query

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

CASES = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_document",
    "contact_person",
    "phone",
    "email",
    "address",
    "description",
    "delivery_form",
    "website",
)
addresses = itertools.count(1)


@CASES
@given(
    fields=params_for(*FIELDS),
    description=st.one_of(st.none(), st.text(min_size=1, max_size=2100)),
)
def test_application_form_never_causes_a_server_error(public_site, client, fields, description):
    if description is not None:
        fields = {**fields, "description": description}
    before = InformationRequest.objects.count()
    address = next(addresses)
    response = client.post(
        "/requests/",
        query(fields).encode("ascii"),
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=f"10.{address // 65536 % 256}.{address // 256 % 256}.{address % 256}",
    )
    assert response.status_code in (200, 302, 400, 429), fields
    if response.status_code != 302:
        assert InformationRequest.objects.count() == before


@CASES
@given(params=params_for("code"))
def test_status_lookup_never_causes_a_server_error(public_site, client, params):
    response = client.get("/requests/status/?" + query(params))
    assert response.status_code in (200, 400, 404), params
