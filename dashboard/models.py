"""The dashboard stores nothing; this model only carries its permission."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    # The model exists so that `dashboard.view_dashboard` can be granted to groups like any
    # other permission (roles are groups with permissions). Its table stays empty; it exists
    # so that every model has one (`dumpdata`, backups and inspections read every model).
    class Meta:
        default_permissions = ()
        permissions = [("view_dashboard", _("查看领导驾驶舱"))]
        verbose_name = _("领导驾驶舱")
        verbose_name_plural = _("领导驾驶舱")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
