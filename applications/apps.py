from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from applications import services
        from workdays.services import calendar_edited

        calendar_edited.connect(services.on_calendar_edited, dispatch_uid="applications.deadlines")
