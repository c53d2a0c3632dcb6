"""Sync the roles again once disclosure items, the office and import jobs live in their new
apps, so every group holds the same rights under the new app labels."""

from django.db import migrations

from accounts.migrations import _sync


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sync_roles_all_apps"),
        ("core", "0002_organization_from_lawbuilding"),
        ("dataio", "0001_initial"),
        ("dashboard", "0002_dashboard_table"),
        ("disclosure", "0001_initial"),
        ("lawbuilding", "0006_organization_moved_to_core"),
        ("supervision", "0004_disclosure_moved"),
        ("trainings", "0002_attachment_upload_checks"),
        ("ops", "0001_cache_table"),
    ]

    operations = [migrations.RunPython(_sync.sync, migrations.RunPython.noop)]
