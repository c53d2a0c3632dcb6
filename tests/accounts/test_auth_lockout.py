"""Five failed sign-ins for one account from one address lock that pair out for 15 minutes
(django-axes); other accounts and other addresses are not affected."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from accounts.models import LoginEvent

pytestmark = pytest.mark.usefixtures("fast_password_hashing", "local_admin")

PASSWORD = "R0le-Passw0rd!"  # conftest's make_role_user
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_times(client: Client, username: str, times: int, address: str = "10.0.0.1"):
    responses = [sign_in(client, username, "wrong-Passw0rd!", address) for _ in range(times)]
    return responses[-1]


def test_lockout_is_configured_as_five_failures_for_fifteen_minutes_per_account_and_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username"]
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.backends.")


def test_four_failures_still_let_the_right_password_in(client, data_entry_user):
    response = fail_times(client, data_entry_user.username, 4)
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's own Chinese message
    response = sign_in(client, data_entry_user.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_fifth_failure_locks_the_account_with_a_chinese_page(client, data_entry_user):
    response = fail_times(client, data_entry_user.username, 5)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续 5 次登录失败" in page
    assert "请在 15 分钟后再试" in page
    assert not signed_in(client)


def test_locked_account_is_refused_even_with_the_right_password(client, data_entry_user):
    fail_times(client, data_entry_user.username, 5)
    response = sign_in(client, data_entry_user.username, PASSWORD)
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_lockout_is_per_address_the_same_account_signs_in_from_elsewhere(client, data_entry_user):
    fail_times(client, data_entry_user.username, 5, address="10.0.0.1")
    other = Client()
    response = sign_in(other, data_entry_user.username, PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert signed_in(other)


def test_lockout_is_per_account_another_account_signs_in_from_the_same_address(
    client, data_entry_user, reviewer_user
):
    fail_times(client, data_entry_user.username, 5)
    response = sign_in(Client(), reviewer_user.username, PASSWORD)
    assert response.status_code == 302


def test_lockout_ends_after_fifteen_minutes(data_entry_user):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        fail_times(client, data_entry_user.username, 5)
        clock.shift(datetime.timedelta(minutes=14))
        assert sign_in(client, data_entry_user.username, PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=2))
        response = sign_in(client, data_entry_user.username, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_attempts_during_the_lockout_do_not_extend_it(data_entry_user):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        fail_times(client, data_entry_user.username, 5)
        for _ in range(3):
            clock.shift(datetime.timedelta(minutes=4))
            fail_times(client, data_entry_user.username, 1)
        clock.shift(datetime.timedelta(minutes=4))  # 16 minutes after the fifth failure
        response = sign_in(client, data_entry_user.username, PASSWORD)
    assert response.status_code == 302


def test_successful_sign_in_resets_the_failure_count(client, data_entry_user):
    fail_times(client, data_entry_user.username, 4)
    sign_in(client, data_entry_user.username, PASSWORD)
    client.post("/admin/logout/")
    response = fail_times(client, data_entry_user.username, 4)
    assert response.status_code == 200
    assert sign_in(client, data_entry_user.username, PASSWORD).status_code == 302


def test_unknown_usernames_are_locked_out_too(client, db):
    response = fail_times(client, "nobody_here", 5)
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="nobody_here").exists()


def test_lockout_is_recorded_in_the_security_log(client, data_entry_user):
    fail_times(client, data_entry_user.username, 5)
    outcomes = list(
        LoginEvent.objects.filter(username=data_entry_user.username).values_list(
            "outcome", flat=True
        )
    )
    assert outcomes.count(LoginEvent.Outcome.FAILED) == 5
    assert LoginEvent.Outcome.LOCKED in outcomes


def test_administrator_lifts_a_lockout_in_the_admin(client, data_entry_user, administrator_user):
    fail_times(client, data_entry_user.username, 5)
    lockout = AccessAttempt.objects.get(username=data_entry_user.username)
    admin = Client()
    admin.force_login(administrator_user)
    changelist = admin.get("/admin/accounts/loginlockout/")
    assert changelist.status_code == 200
    assert data_entry_user.username in changelist.content.decode()
    response = admin.post(f"/admin/accounts/loginlockout/{lockout.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, data_entry_user.username, PASSWORD).status_code == 302


def test_other_roles_cannot_see_or_lift_lockouts(client, data_entry_user, reviewer_user):
    fail_times(client, data_entry_user.username, 5)
    lockout = AccessAttempt.objects.get(username=data_entry_user.username)
    reviewer = Client()
    reviewer.force_login(reviewer_user)
    assert reviewer.get("/admin/accounts/loginlockout/").status_code == 403
    response = reviewer.post(f"/admin/accounts/loginlockout/{lockout.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=lockout.pk).exists()


def test_force_login_in_tests_bypasses_nothing_but_the_password(client, data_entry_user):
    client.force_login(data_entry_user)
    assert client.get("/admin/").status_code == 200
