"""Grant the security-log, lockout and authenticator permissions (0002) to administrators."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None

    from accounts.roles import sync_roles

    sync_roles(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security_log")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
