"""Admin-only forms of the supervision app. They parse input only: every rule lives on the
models (`clean()`, constraints and supervision/rules.py), so the admin, the imports and the
services refuse the same records. The inline formsets pass the rows being saved together
to the same rule functions."""

from django import forms
from django.forms.models import BaseInlineFormSet

from supervision import rules
from supervision.models import DelegationLimits, DelegationMember, DelegationStop


def _kept_forms(formset: BaseInlineFormSet) -> list[forms.Form]:
    """The rows that will exist after saving: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data and not (formset.can_delete and formset._should_delete_form(form))
    ]


class _RowsCheckedAsSetFormSet(BaseInlineFormSet):
    """Each row's own `clean()` leaves the cross-row rule to the formset, which sees the
    rows kept, added and deleted together."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance._rules_checked_as_set = True
        return form


class DelegationMemberFormSet(_RowsCheckedAsSetFormSet):
    """Members ≤ the configured maximum (interpreter included), counted on the rows kept."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rules.check_delegation(
            departure_on=None, return_on=None, member_count=len(_kept_forms(self))
        )


class DelegationStopFormSet(_RowsCheckedAsSetFormSet):
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
        rules.require_country(countries)
        rules.check_delegation(
            departure_on=self.instance.departure_on,
            return_on=self.instance.return_on,
            countries=countries,
        )


class DelegationMemberForm(forms.ModelForm):
    class Meta:
        model = DelegationMember
        fields = ["delegation", "name", "unit", "post", "is_interpreter"]


class DelegationStopForm(forms.ModelForm):
    class Meta:
        model = DelegationStop
        fields = ["delegation", "country", "order", "is_transit"]


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
