from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督")

    def ready(self) -> None:
        from supervision import publishing

        publishing.connect_signals()
