from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, using, **kwargs):
    # Permissions of every app are created by Django's own post_migrate handler; the roles
    # can only pick them up after that, so a fresh `migrate` ends with complete groups
    # (the data migration alone runs before later apps' permissions exist).
    if sender.name != "accounts":
        return
    from accounts.roles import sync_roles

    sync_roles(using=using)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与安全")

    def ready(self):
        from accounts import audit, checks  # noqa: F401  (checks register themselves)

        audit.connect_receivers()
        # Registered after django.contrib.auth's handler (INSTALLED_APPS order), so the
        # permissions exist when the roles are synced.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="fao_sync_roles")
