"""Sync the roles once more after every app's models exist (the annual report's approve /
publish permissions, the dashboard, import jobs), so a fresh `migrate` ends with complete
groups. A later app that adds permissions adds its migration to these dependencies."""

from django.db import migrations


def sync(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from accounts.roles import sync_roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    sync_roles(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sync_roles_security_log"),
        ("core", "0001_initial"),
        ("dashboard", "0001_initial"),
        ("lawbuilding", "0004_attachment_upload_checks"),
        ("supervision", "0003_attachment_upload_checks"),
        ("trainings", "0002_attachment_upload_checks"),
        ("ops", "0001_cache_table"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
