"""The public application form (《政府信息公开条例》第二十九条) and the status look-up.

The form asks for what article 29 lists and nothing more: no purpose may be demanded. Size
limits on every box; a honeypot field catches automated spam.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import InformationRequest

DESCRIPTION_MAX_LENGTH = 2000
CODE_MAX_LENGTH = 20


class NormalisedTextField(forms.CharField):
    """Line breaks counted as one character on both sides of the limit."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


def _limits(label: str) -> dict:
    return {
        "required": _("请填写%(label)s。") % {"label": label},
        "max_length": _("不能超过 %(limit_value)d 个字（现为 %(show_value)d 个字）。"),
        "null_characters_not_allowed": _("含有无效字符。"),
    }


class InformationRequestForm(forms.ModelForm):
    description = NormalisedTextField(
        label=_("所需政府信息的名称、文号或便于查询的其他特征性描述"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX_LENGTH}),
        help_text=_("必填，不超过 2000 字。无需说明申请用途。"),
        error_messages=_limits(_("所需信息的描述")),
    )
    # Never shown to people; automated spam fills every box it finds.
    website = forms.CharField(label=_("网址（请勿填写）"), required=False, max_length=200)

    class Meta:
        model = InformationRequest
        fields = [
            "applicant_type",
            "applicant_name",
            "id_document",
            "contact_person",
            "phone",
            "email",
            "address",
            "description",
            "delivery_form",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in ("description", "website"):
                continue
            field.error_messages.update(_limits(field.label))
            max_length = getattr(field, "max_length", None)
            if max_length:
                field.widget.attrs["maxlength"] = max_length
        self.fields["applicant_type"].error_messages["invalid_choice"] = _("请选择申请人类型。")
        self.fields["delivery_form"].error_messages["invalid_choice"] = _("请选择获取信息的方式。")
        self.fields["email"].error_messages["invalid"] = _("请填写有效的电子邮箱地址。")
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("提交申请后页面显示的查询码，如 YSQ-ABCDE23456。"),
        error_messages={
            "required": _("请填写查询码。"),
            "max_length": _("查询码不超过 %(limit_value)d 个字符。"),
            "null_characters_not_allowed": _("查询码含有无效字符。"),
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()
