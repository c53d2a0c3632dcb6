"""Creates the shared cache table (FAO_CACHE_URL=db://…, the default).

Rate limits and lockouts must be shared by every gunicorn worker and every app server, so the
default cache lives in the database; creating its table here means every database that has
been migrated (development, tests, benches, production) can use it.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Idempotent: skips tables that exist and caches that are not database caches.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
