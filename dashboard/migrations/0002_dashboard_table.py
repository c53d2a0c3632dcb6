"""Give the permission-carrying model an (empty) table: `dumpdata` and backups read every
model, and an unmanaged model without a table made them fail."""

from django.db import migrations


def create_table(apps, schema_editor):
    schema_editor.create_model(apps.get_model("dashboard", "Dashboard"))


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("dashboard", "Dashboard"))


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="dashboard",
            options={
                "default_permissions": (),
                "permissions": [("view_dashboard", "查看领导驾驶舱")],
                "verbose_name": "领导驾驶舱",
                "verbose_name_plural": "领导驾驶舱",
            },
        ),
        migrations.RunPython(create_table, drop_table),
    ]
