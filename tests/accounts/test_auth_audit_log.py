"""The security log: every sign-in, sign-out and failure with time, account, address, browser
and outcome; read-only for administrators; kept at least 183 days."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from accounts.checks import security_settings_check
from accounts.models import LoginEvent

pytestmark = pytest.mark.usefixtures("fast_password_hashing", "local_admin")

PASSWORD = "R0le-Passw0rd!"  # conftest's make_role_user
BROWSER = "Mozilla/5.0 (Windows NT 10.0) 测试浏览器"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT=BROWSER,
    )


def test_successful_sign_in_is_logged_with_time_account_address_and_browser(
    client, data_entry_user
):
    at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        sign_in(client, data_entry_user.username)
    event = LoginEvent.objects.get(outcome=LoginEvent.Outcome.LOGIN)
    assert event.at == at
    assert event.username == data_entry_user.username
    assert event.user == data_entry_user
    assert event.address == "192.0.2.10"
    assert event.user_agent == BROWSER


def test_failed_sign_in_is_logged_with_the_name_that_was_typed(client, db):
    sign_in(client, "not_a_user", "whatever-Passw0rd")
    event = LoginEvent.objects.get()
    assert event.outcome == LoginEvent.Outcome.FAILED
    assert event.username == "not_a_user"
    assert event.user is None
    assert event.address == "192.0.2.10"


def test_wrong_password_of_a_real_account_is_linked_to_it(client, data_entry_user):
    sign_in(client, data_entry_user.username, "wrong-Passw0rd")
    event = LoginEvent.objects.get()
    assert (event.outcome, event.user) == (LoginEvent.Outcome.FAILED, data_entry_user)


def test_sign_out_is_logged(client, data_entry_user):
    sign_in(client, data_entry_user.username)
    client.post("/admin/logout/", REMOTE_ADDR="192.0.2.10")
    assert list(LoginEvent.objects.order_by("pk").values_list("outcome", flat=True)) == [
        LoginEvent.Outcome.LOGIN,
        LoginEvent.Outcome.LOGOUT,
    ]


def test_address_comes_from_the_proxy_header_when_configured(settings, client, data_entry_user):
    settings.FAO_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.post(
        "/admin/login/",
        {"username": data_entry_user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert LoginEvent.objects.get().address == "198.51.100.7"


def test_a_forged_address_header_is_ignored(settings, client, data_entry_user):
    settings.FAO_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.post(
        "/admin/login/",
        {"username": data_entry_user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="<script>",
    )
    assert LoginEvent.objects.get().address == "127.0.0.1"


def test_hostile_sign_in_values_never_break_the_log(client, db):
    for username in ["a\x00b", "荣" * 400, "' OR 1=1 --"]:
        response = client.post(
            "/admin/login/",
            {"username": username, "password": "x"},
            HTTP_USER_AGENT="x" * 5000,
        )
        assert response.status_code == 200
    # The NUL byte and the overlong name fail form validation; the third is logged.
    event = LoginEvent.objects.get()
    assert event.username == "' OR 1=1 --"
    assert len(event.user_agent) == 300


def test_overlong_username_is_refused_in_chinese_before_authentication(client, db):
    response = client.post("/admin/login/", {"username": "荣" * 151, "password": "x"})
    assert response.status_code == 200
    assert "用户名不能超过 150 个字符。" in response.content.decode()
    assert not LoginEvent.objects.exists()


def test_database_refuses_an_unknown_outcome(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        LoginEvent.objects.create(username="x", outcome="deleted")


# --- reading the log


def test_administrators_read_the_log_in_the_admin(client, administrator_user, data_entry_user):
    sign_in(Client(), data_entry_user.username)
    client.force_login(administrator_user)
    listing = client.get("/admin/accounts/loginevent/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert data_entry_user.username in page and "登录成功" in page
    event = LoginEvent.objects.filter(username=data_entry_user.username).get()
    assert client.get(f"/admin/accounts/loginevent/{event.pk}/change/").status_code == 200


def test_nobody_adds_changes_or_deletes_log_rows_in_the_admin(
    client, administrator, data_entry_user
):
    sign_in(Client(), data_entry_user.username)
    event = LoginEvent.objects.get()
    client.force_login(administrator)  # a superuser
    assert client.get("/admin/accounts/loginevent/add/").status_code == 403
    assert client.get(f"/admin/accounts/loginevent/{event.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/accounts/loginevent/{event.pk}/change/",
        {"username": "tampered", "outcome": "failed"},
    )
    assert response.status_code == 403
    response = client.post(
        "/admin/accounts/loginevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.username == data_entry_user.username


@pytest.mark.parametrize("persona", ["data_entry_user", "reviewer_user", "leadership_user"])
def test_other_roles_cannot_read_the_log(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/admin/accounts/loginevent/").status_code == 403


# --- retention


def make_event(days_ago: float) -> LoginEvent:
    return LoginEvent.objects.create(
        username=f"old{days_ago}",
        outcome=LoginEvent.Outcome.LOGIN,
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_retention_defaults_to_200_days(settings):
    assert settings.FAO_SECURITY_LOG_DAYS == 200


def test_prune_deletes_only_events_older_than_the_retention_period(db):
    kept = [make_event(1), make_event(199)]
    make_event(201)
    make_event(400)
    out = io.StringIO()
    call_command("prune_login_events", stdout=out)
    assert set(LoginEvent.objects.all()) == set(kept)
    assert "已删除 2 条" in out.getvalue()


def test_prune_dry_run_deletes_nothing(db):
    make_event(300)
    out = io.StringIO()
    call_command("prune_login_events", "--dry-run", stdout=out)
    assert LoginEvent.objects.count() == 1
    assert "将删除 1 条" in out.getvalue()


@pytest.mark.parametrize("days", [0, 30, 182])
def test_prune_refuses_a_period_under_six_months_and_deletes_nothing(db, days):
    make_event(190)
    with pytest.raises(CommandError, match="安全日志至少保存 183 天"):
        call_command("prune_login_events", "--days", str(days))
    assert LoginEvent.objects.count() == 1


def test_prune_refuses_a_configured_period_under_six_months(settings, db):
    settings.FAO_SECURITY_LOG_DAYS = 90
    make_event(100)
    with pytest.raises(CommandError, match="拒绝按 90 天清理"):
        call_command("prune_login_events")
    assert LoginEvent.objects.count() == 1


def test_a_short_retention_setting_fails_the_system_check(settings):
    settings.FAO_SECURITY_LOG_DAYS = 90
    assert [e.id for e in security_settings_check(None)] == ["accounts.E001"]


def test_axes_backend_must_come_first(settings):
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "axes.backends.AxesStandaloneBackend",
    ]
    assert [e.id for e in security_settings_check(None)] == ["accounts.E003"]


def test_security_settings_pass_the_system_check():
    assert security_settings_check(None) == []
