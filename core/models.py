from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoFlagged(models.Model):
    """Records the demo loader invented where the seed report is vague are marked as such."""

    is_demo = models.BooleanField(
        _("演示数据"),
        default=False,
        help_text=_("由演示数据加载器补充的推定记录（原报告未写明的细节）。"),
    )

    class Meta:
        abstract = True
