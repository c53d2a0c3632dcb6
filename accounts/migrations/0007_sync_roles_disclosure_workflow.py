"""Sync the roles again once disclosure items have their review workflow, so data entry may
submit items and reviewers may approve and publish them (《政府信息公开条例》第十七条)."""

from django.db import migrations

from accounts.migrations import _sync


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_sync_roles_disclosure_work_report"),
        ("disclosure", "0002_item_workflow"),
    ]

    operations = [migrations.RunPython(_sync.sync, migrations.RunPython.noop)]
