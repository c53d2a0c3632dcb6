"""Guessing one account's password from many addresses is stopped too: five failures lock
the account at one address, twenty failures lock it at every address, each for the
15-minute cool-off only, so an attacker cannot keep a real user out for long
(GB/T 22239-2019 8.1.4.1, login failure handling)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.usefixtures("fast_password_hashing", "local_admin")

PASSWORD = "R0le-Passw0rd!"  # conftest's make_role_user
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_account_limit_is_higher_than_the_address_limit():
    assert settings.FAO_ACCOUNT_FAILURE_LIMIT == 20
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)


def test_forty_guesses_from_eight_addresses_lock_the_account_everywhere(data_entry_user):
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(8):
            client = Client()
            for _ in range(5):
                sign_in(client, data_entry_user.username, "wrong-Passw0rd!", f"10.0.1.{n}")
        # The right password from a ninth address, never used before, is refused.
        client = Client()
        response = sign_in(client, data_entry_user.username, PASSWORD, "10.0.2.1")
        assert response.status_code == 429
        assert "该账户从多个地址累计 20 次登录失败，已暂时锁定。" in response.content.decode()
        assert not signed_in(client)
        # After the cool-off the real user signs in.
        traveller.shift(datetime.timedelta(minutes=16))
        client = Client()
        response = sign_in(client, data_entry_user.username, PASSWORD, "10.0.2.1")
        assert response.status_code == 302
        assert signed_in(client)


def test_nineteen_failures_spread_over_addresses_do_not_lock_the_account(data_entry_user):
    with time_machine.travel(START, tick=False):
        for n in range(19):
            sign_in(Client(), data_entry_user.username, "wrong-Passw0rd!", f"10.0.3.{n}")
        client = Client()
        response = sign_in(client, data_entry_user.username, PASSWORD, "10.0.3.200")
        assert response.status_code == 302
        assert signed_in(client)


def test_other_accounts_are_not_affected_by_an_account_lockout(data_entry_user, reviewer_user):
    with time_machine.travel(START, tick=False):
        for n in range(20):
            sign_in(Client(), data_entry_user.username, "wrong-Passw0rd!", f"10.0.4.{n}")
        client = Client()
        response = sign_in(client, reviewer_user.username, PASSWORD, "10.0.4.1")
        assert response.status_code == 302
