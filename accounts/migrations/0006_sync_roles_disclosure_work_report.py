"""Sync the roles again once the annual disclosure work report exists, so data entry may
submit it and reviewers may approve and publish it (《政府信息公开条例》第五十条)."""

from django.db import migrations

from accounts.migrations import _sync


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_sync_roles_after_moves"),
        ("applications", "0002_disclosure_work_report"),
    ]

    operations = [migrations.RunPython(_sync.sync, migrations.RunPython.noop)]
