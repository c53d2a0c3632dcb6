"""The office's published supervision hotline starts the allow-list, and the roles get this
app's permissions (reviewers keep the allow-list and record reviews, see accounts/roles.py)."""

from django.db import migrations

HOTLINE = ("85683342", "监督举报电话（市外事办）")


def seed(apps, schema_editor):
    allowed = apps.get_model("publication", "AllowedNumber")
    value, label = HOTLINE
    allowed.objects.using(schema_editor.connection.alias).get_or_create(
        normalized=value, defaults={"value": value, "label": label, "active": True}
    )


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
        ("publication", "0001_initial"),
        ("accounts", "0004_sync_roles_all_apps"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
