from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawbuildingConfig(AppConfig):
    name = "lawbuilding"
    verbose_name = _("法治建设")
