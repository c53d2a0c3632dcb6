"""The role sync shared by the accounts migrations that run after other apps' models change.

A migration that adds permissions (a new app or model) adds a migration of its own depending
on it and on the latest accounts migration, calling `sync`."""


def sync(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from accounts.roles import sync_roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    sync_roles(apps=apps, using=schema_editor.connection.alias)
