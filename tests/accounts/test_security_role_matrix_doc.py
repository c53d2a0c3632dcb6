"""docs/security.md states the role matrix as enforced: every permission named in its table
is held by exactly the groups the table marks ✓ (an office's published access rules must
match what the system does, GB/T 22239-2019 8.1.4.2 access control)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLE_NAMES, sync_roles

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def role_table() -> tuple[list[str], list[tuple[str, list[str], list[str]]]]:
    """(role columns, [(what, permissions, marks per role)]) from the table under ## Roles."""
    section = DOC.read_text(encoding="utf-8").split("## Roles", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for line in section.splitlines() if line.strip().startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = header[2:]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        permissions = re.findall(r"`([a-z_]+\.[a-z_]+)`", cells[1])
        rows.append((cells[0], permissions, cells[2:]))
    return roles, rows


def test_the_table_names_every_role_and_only_marks():
    roles, rows = role_table()
    assert sorted(roles) == sorted(ROLE_NAMES)
    assert rows
    for what, permissions, marks in rows:
        assert permissions, what
        assert set(marks) <= {"✓", "✗"}, what
        assert len(marks) == len(roles), what


def test_every_group_holds_exactly_what_the_documented_matrix_says():
    sync_roles()
    roles, rows = role_table()
    held = {
        role: {
            f"{app}.{code}"
            for app, code in Group.objects.get(name=role).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        for role in roles
    }
    wrong = []
    for what, permissions, marks in rows:
        for role, mark in zip(roles, marks, strict=True):
            for permission in permissions:
                if (permission in held[role]) != (mark == "✓"):
                    wrong.append(f"{role} / {what} / {permission}: documented {mark}")
    assert not wrong, "\n".join(wrong)
