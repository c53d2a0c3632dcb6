from django import forms
from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 2000, 2100


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": _("年度应为 2000 至 2100 之间的整数。"),
            "min_value": _("年度应为 2000 至 2100 之间的整数。"),
            "max_value": _("年度应为 2000 至 2100 之间的整数。"),
            "required": _("请选择年度。"),
        },
    )
