"""An idle session ends after 30 minutes (FAO_SESSION_IDLE_SECONDS); each request renews it."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.usefixtures("local_admin")

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def test_idle_timeout_defaults_to_thirty_minutes_renewed_by_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_survives_activity_spread_over_more_than_thirty_minutes(data_entry_user):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(data_entry_user)
        for _ in range(3):  # 87 minutes in all, never idle for 30
            clock.shift(29 * MINUTE)
            assert client.get("/admin/").status_code == 200


def test_session_ends_after_thirty_idle_minutes(data_entry_user):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(data_entry_user)
        assert client.get("/admin/").status_code == 200
        clock.shift(31 * MINUTE)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert "_auth_user_id" not in client.session


def test_idle_timeout_also_ends_dashboard_access(leadership_user):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(leadership_user)
        clock.shift(31 * MINUTE)
        response = client.get("/dashboard/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_idle_timeout_is_configurable(settings, data_entry_user):
    settings.SESSION_COOKIE_AGE = 10 * 60  # what FAO_SESSION_IDLE_SECONDS=600 sets
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(data_entry_user)
        clock.shift(9 * MINUTE)
        assert client.get("/admin/").status_code == 200
        clock.shift(11 * MINUTE)
        assert client.get("/admin/").status_code == 302


def test_session_cookie_is_http_only():
    assert settings.SESSION_COOKIE_HTTPONLY is True
