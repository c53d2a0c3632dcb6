from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed_empty_calendar(sender, using="default", **kwargs) -> None:
    """Fill an empty calendar from the chinese_calendar package after `migrate` (a new
    database, or one flushed between tests). A calendar with any year in it is left alone:
    from then on the table, as administrators keep it, is the authority."""
    from workdays.models import CalendarYear
    from workdays.services import package_years, seed_years

    if CalendarYear.objects.using(using).exists():
        return
    seed_years(package_years(), using=using)


class WorkdaysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workdays"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        post_migrate.connect(seed_empty_calendar, sender=self, dispatch_uid="workdays.seed")
