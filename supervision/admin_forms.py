"""Admin-only forms of the supervision app: the delegation rules checked across the inline
rows."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from supervision.models import DelegationLimits, DelegationMember, DelegationStop


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
