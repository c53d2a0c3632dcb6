"""Forms of the public disclosure site: the catalogue filter and the notice comment form.

Every value that reaches the public pages comes through one of these forms, so hostile query
strings (page=abc, year=9999999999, a very long q, NUL bytes) end here as a Chinese message
rather than as a database error.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.models import DisclosureItem
from supervision.models import NoticeComment

SEARCH_MAX_LENGTH = 100
COMMENT_MAX_LENGTH = 2000
YEAR_MIN, YEAR_MAX = 1949, 2100


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _("关键词不能超过 %(limit_value)d 个字。"),
            "null_characters_not_allowed": _("关键词含有无效字符。"),
        },
    )
    year = forms.IntegerField(
        label=_("年份"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": _("年份应为四位数字，如 2022。"),
            "min_value": _("年份应为四位数字，如 2022。"),
            "max_value": _("年份应为四位数字，如 2022。"),
        },
    )
    category = forms.ChoiceField(
        label=_("法定主动公开分类"),
        required=False,
        choices=[("", _("全部分类")), *DisclosureItem.Category.choices],
        error_messages={"invalid_choice": _("没有这个公开分类。")},
    )
    # Revised, repealed and expired documents stay listed, marked so (国办发〔2017〕47号).
    validity = forms.ChoiceField(
        label=_("效力"),
        required=False,
        choices=[("", _("全部")), *DisclosureItem.Validity.choices],
        error_messages={"invalid_choice": _("没有这个效力状态。")},
    )

    def __init__(self, *args, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The year box offers the years that have disclosures, but any sane year is accepted.
        self.year_options = years or []


# Zero-width and bidirectional-control characters: invisible, they can hide words from
# moderators or reverse how a published comment reads (Unicode TR #36, "Trojan Source").
INVISIBLE_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(value: str) -> str:
    return INVISIBLE_CONTROLS.sub("", value)


class PlainTextField(forms.CharField):
    """Text from the public: invisible control characters removed before validation."""

    def to_python(self, value):
        return strip_invisible(super().to_python(value))


class CommentContentField(PlainTextField):
    """Browsers send line breaks as CRLF while counting them as one character for maxlength;
    normalising first makes the 2,000-character limit the same on both sides."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class NoticeCommentForm(forms.ModelForm):
    content = CommentContentField(
        label=_("意见内容"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("必填，不超过 2000 字。经审核采纳的意见将在本页公开，但不公开姓名和联系方式。"),
        error_messages={
            "required": _("请填写意见内容。"),
            "max_length": _("意见内容不能超过 %(limit_value)d 字（现为 %(show_value)d 字）。"),
            "null_characters_not_allowed": _("意见内容含有无效字符。"),
        },
    )
    name = PlainTextField(
        label=_("姓名（选填，不公开）"),
        required=False,
        max_length=50,
        error_messages={
            "max_length": _("姓名不能超过 %(limit_value)d 个字。"),
            "null_characters_not_allowed": _("姓名含有无效字符。"),
        },
    )
    contact = PlainTextField(
        label=_("联系方式（选填，不公开）"),
        required=False,
        max_length=100,
        help_text=_("电话或电子邮箱，仅用于核实和答复。"),
        error_messages={
            "max_length": _("联系方式不能超过 %(limit_value)d 个字。"),
            "null_characters_not_allowed": _("联系方式含有无效字符。"),
        },
    )
    # A field people never see or fill in; automated spam fills every box it finds.
    website = forms.CharField(label=_("网址（请勿填写）"), required=False)

    class Meta:
        model = NoticeComment
        fields = ["nominee", "content", "name", "contact"]
        labels = {"nominee": _("所涉候选人（选填）")}
        error_messages = {"nominee": {"invalid_choice": _("请选择本批公示中的候选人。")}}

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = notice.nominees.all()
        self.fields["nominee"].required = False
        self.fields["nominee"].empty_label = _("不指定（对本批公示整体提出意见）")
        self.fields["content"].widget.attrs["maxlength"] = COMMENT_MAX_LENGTH
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact"].widget.attrs["autocomplete"] = "tel"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def full_clean(self):
        super().full_clean()
        # An over-long comment is shown back cut to the limit, never echoed whole: the
        # error page stays small whatever was posted.
        if self.is_bound and "content" in self.errors:
            posted = self.data.get(self.add_prefix("content"), "")
            if isinstance(posted, str) and len(posted) > COMMENT_MAX_LENGTH:
                self.data = self.data.copy()
                self.data[self.add_prefix("content")] = posted[:COMMENT_MAX_LENGTH]

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
