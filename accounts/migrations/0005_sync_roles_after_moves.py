"""Sync the roles again once disclosure items, the office and import jobs live in their new
apps, and the applications, calendar and publication-review models exist, so every group
holds its rights under the new app labels."""

from django.db import migrations

from accounts.migrations import _sync


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sync_roles_all_apps"),
        ("core", "0002_organization_from_lawbuilding"),
        ("dataio", "0001_initial"),
        ("dashboard", "0002_dashboard_table"),
        ("disclosure", "0001_initial"),
        ("lawbuilding", "0007_report_statutory_parts"),
        ("applications", "0001_initial"),
        ("workdays", "0001_initial"),
        ("publication", "0002_allow_list_and_roles"),
        ("supervision", "0004_disclosure_moved"),
        ("trainings", "0002_attachment_upload_checks"),
        ("ops", "0001_cache_table"),
    ]

    operations = [migrations.RunPython(_sync.sync, migrations.RunPython.noop)]
