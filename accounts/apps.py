from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与安全")

    def ready(self):
        from accounts import audit, checks  # noqa: F401  (checks register themselves)

        audit.connect_receivers()
