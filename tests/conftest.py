"""Personas that match the office's roles, built once per test that asks for them."""

import pytest
from django.contrib.auth.models import User


@pytest.fixture
def administrator(db) -> User:
    return User.objects.create_superuser("admin_wang", "wang@example.invalid", "Adm1n-Passw0rd!")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client
