from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteSettingsConfig(AppConfig):
    """The public site's own particulars (footer: site identifier, filing numbers, contact),
    edited by administrators in the admin."""

    name = "sitesettings"
    verbose_name = _("网站设置")
    default_auto_field = "django.db.models.BigAutoField"
