"""Admin-only forms of the supervision app: the delegation rules checked across the inline
rows, counters that may only move forward, and attachment fingerprints."""

import hashlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from supervision.models import (
    DelegationLimits,
    DelegationMember,
    DelegationStop,
    DisclosureAttachment,
    DisclosureItem,
    IndexCounter,
)


def _kept_forms(formset: BaseInlineFormSet) -> list[forms.Form]:
    """The rows that will exist after saving: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data and not (formset.can_delete and formset._should_delete_form(form))
    ]


def _rule_error(problems: list[str]) -> ValidationError:
    return ValidationError(
        [ValidationError(problem, code="delegation_rule") for problem in problems]
    )


class DelegationMemberFormSet(BaseInlineFormSet):
    """Members ≤ the configured maximum (interpreter included), counted on the rows kept."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        problems = DelegationLimits.current().violations(
            departure_on=None,
            return_on=None,
            member_count=len(_kept_forms(self)),
            countries=[],
        )
        if problems:
            raise _rule_error(problems)


class DelegationStopFormSet(BaseInlineFormSet):
    """Countries ≤ the maximum (transit included) and days abroad within the limit for that
    number of countries, one more for Latin America or Africa. The trip dates are the
    parent form's: the admin validates the parent form first and hands its instance here."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        countries = [
            form.cleaned_data["country"]
            for form in _kept_forms(self)
            if form.cleaned_data.get("country")
        ]
        if not countries:
            raise ValidationError(
                _("请至少填写一个出访国家（地区）。"), code="delegation_no_country"
            )
        problems = DelegationLimits.current().violations(
            departure_on=self.instance.departure_on,
            return_on=self.instance.return_on,
            member_count=0,
            countries=countries,
        )
        if problems:
            raise _rule_error(problems)


class DelegationMemberForm(forms.ModelForm):
    """A member added or moved on the member list itself still obeys the size limit."""

    class Meta:
        model = DelegationMember
        fields = ["delegation", "name", "unit", "post", "is_interpreter"]

    def clean(self):
        cleaned = super().clean()
        delegation = cleaned.get("delegation")
        if delegation is not None:
            others = delegation.members.exclude(pk=self.instance.pk).count()
            problems = DelegationLimits.current().violations(
                departure_on=None, return_on=None, member_count=others + 1, countries=[]
            )
            if problems:
                raise _rule_error(problems)
        return cleaned


class DelegationStopForm(forms.ModelForm):
    """A stop added or changed on the stop list itself still obeys the country and day
    limits of its delegation."""

    class Meta:
        model = DelegationStop
        fields = ["delegation", "country", "order", "is_transit"]

    def clean(self):
        cleaned = super().clean()
        delegation, country = cleaned.get("delegation"), cleaned.get("country")
        if delegation is not None and country is not None:
            others = delegation.stops.exclude(pk=self.instance.pk).select_related("country")
            problems = DelegationLimits.current().violations(
                departure_on=delegation.departure_on,
                return_on=delegation.return_on,
                member_count=0,
                countries=[stop.country for stop in others if stop.country_id != country.pk]
                + [country],
            )
            if problems:
                raise _rule_error(problems)
        return cleaned


class DelegationLimitsForm(forms.ModelForm):
    class Meta:
        model = DelegationLimits
        fields = [
            "max_members",
            "max_countries",
            "days_one_country",
            "days_two_countries",
            "days_three_countries",
            "extra_days_far",
            "pre_notice_working_days",
            "post_report_days",
        ]

    def clean(self):
        cleaned = super().clean()
        one, two, three = (
            cleaned.get("days_one_country"),
            cleaned.get("days_two_countries"),
            cleaned.get("days_three_countries"),
        )
        if None not in (one, two, three) and not (one <= two <= three):
            raise ValidationError(
                _("天数上限应随出访国家数增加而不减少（一国 ≤ 两国 ≤ 三国）。"),
                code="days_not_increasing",
            )
        if cleaned.get("max_members") == 0 or cleaned.get("max_countries") == 0:
            raise ValidationError(_("人数上限和国家数上限不能为 0。"), code="limit_zero")
        return cleaned


class IndexCounterForm(forms.ModelForm):
    """The counter may start above zero (serials issued before the portal) but never fall
    below a serial already used, or the next allocation would repeat it."""

    class Meta:
        model = IndexCounter
        fields = ["organization", "year", "last_serial"]

    def clean(self):
        cleaned = super().clean()
        organization, year = cleaned.get("organization"), cleaned.get("year")
        last_serial = cleaned.get("last_serial")
        if organization is not None and year and last_serial is not None:
            used = DisclosureItem.objects.filter(
                organization=organization, index_year=year
            ).aggregate(top=Max("index_serial"))["top"]
            if used and last_serial < used:
                raise ValidationError(
                    {
                        "last_serial": _(
                            "%(year)s 年已使用到第 %(used)s 号，计数器不能小于已用流水号。"
                        )
                        % {"year": year, "used": used}
                    },
                    code="counter_below_used",
                )
        return cleaned


class DisclosureItemForm(forms.ModelForm):
    """The year and serial of the index number are stored apart (so the database keeps
    serials unique per office and year); check that here so a clash is a form error, not a
    database error on save."""

    class Meta:
        model = DisclosureItem
        fields = [
            "organization",
            "title",
            "index_number",
            "category",
            "method",
            "document_number",
            "publisher",
            "generated_on",
            "published_on",
            "repealed_on",
            "summary",
            "body",
        ]

    def clean(self):
        cleaned = super().clean()
        organization, index_number = cleaned.get("organization"), cleaned.get("index_number")
        if organization is not None and index_number:
            try:
                year, serial = DisclosureItem.split_index_number(index_number)
            except ValidationError:
                return cleaned  # the model's validator reports the format, with an example
            clash = (
                DisclosureItem.objects.filter(
                    organization=organization, index_year=year, index_serial=serial
                )
                .exclude(pk=self.instance.pk)
                # The same number exactly is reported by the unique check.
                .exclude(index_number=index_number)
            )
            if clash.exists():
                raise ValidationError(
                    {"index_number": _("该年度的索引号流水号已被使用。")},
                    code="duplicate_serial",
                )
        return cleaned


class DisclosureAttachmentForm(forms.ModelForm):
    """Fingerprints each uploaded file (SHA-256) so citizens can check what they download,
    and refuses files over the portal's upload limit."""

    class Meta:
        model = DisclosureAttachment
        fields = ["item", "title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            if upload.size > settings.FAO_MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("附件不能超过 %(mb)s MB。")
                    % {"mb": settings.FAO_MAX_UPLOAD_BYTES // (1024 * 1024)},
                    code="file_too_large",
                )
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            self.instance.sha256 = digest.hexdigest()
        return upload
