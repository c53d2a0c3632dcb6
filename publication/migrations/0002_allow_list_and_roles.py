"""The office's published supervision hotline starts the allow-list, and the roles get this
app's permissions (reviewers keep the allow-list and record reviews, see accounts/roles.py)."""

from django.db import migrations

from accounts.migrations._sync import sync

HOTLINE = ("85683342", "监督举报电话（市外事办）")


def seed(apps, schema_editor):
    allowed = apps.get_model("publication", "AllowedNumber")
    value, label = HOTLINE
    allowed.objects.using(schema_editor.connection.alias).get_or_create(
        normalized=value, defaults={"value": value, "label": label, "active": True}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0001_initial"),
        ("accounts", "0004_sync_roles_all_apps"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
