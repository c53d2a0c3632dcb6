"""The domain rules that span several rows, in one place for every path.

The model `clean()` methods call these, so the admin form, the admin import preview,
`import_records`, background imports and the services refuse the same records with the
same Chinese message. The admin's inline formsets call `check_delegation` with the rows
being saved together; a single member or stop row checks itself against the rows already
stored (plus, on a bulk import, the earlier rows of the same file not yet written).

Sources: 《关于进一步加强因公出国（境）管理的若干规定》（中办发〔2013〕16号） and local
practice for delegation size (interpreters included), countries (transit included), days
abroad and the notice before departure.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RULE_CODE = "delegation_rule"


def check_delegation(
    *,
    departure_on: datetime.date | None,
    return_on: datetime.date | None,
    member_count: int = 0,
    countries: list | None = None,
    limits=None,
) -> None:
    """Raise one ValidationError listing every delegation limit the trip breaks."""
    from supervision.models import DelegationLimits

    limits = limits or DelegationLimits.current()
    problems = limits.violations(
        departure_on=departure_on,
        return_on=return_on,
        member_count=member_count,
        countries=list(countries or []),
    )
    if problems:
        raise ValidationError([ValidationError(p, code=RULE_CODE) for p in problems])


def require_country(countries: list) -> None:
    """A trip entered together with its stops names at least one country."""
    if not countries:
        raise ValidationError(_("请至少填写一个出访国家（地区）。"), code="delegation_no_country")


def clean_delegation(delegation) -> None:
    """The trip's own dates against its stored stops (a change of dates is re-checked
    against the countries already entered)."""
    if getattr(delegation, "_rules_checked_as_set", False):
        return  # the admin's stop formset checks the days with these dates and its rows
    if delegation.pk and delegation.departure_on and delegation.return_on:
        stops = delegation.stops.select_related("country")
        check_delegation(
            departure_on=delegation.departure_on,
            return_on=delegation.return_on,
            countries=[stop.country for stop in stops],
        )


def clean_member(member) -> None:
    """One member row: the members stored for its delegation plus itself, and on an import
    every member of that delegation named in the file, within the size limit."""
    if getattr(member, "_rules_checked_as_set", False) or member.delegation_id is None:
        return
    delegation = member.delegation
    in_file = set(getattr(member, "_file_siblings", {})) | {member.name}
    stored = (
        delegation.members.exclude(pk=member.pk).exclude(name__in=in_file).count()
        if delegation.pk
        else 0
    )
    check_delegation(
        departure_on=None, return_on=None, member_count=stored + len(in_file), countries=[]
    )


def clean_stop(stop) -> None:
    """One stop row: the countries stored for its delegation plus this one, and on an import
    every country of that delegation in the file, within the country and day limits."""
    if getattr(stop, "_rules_checked_as_set", False) or stop.delegation_id is None:
        return
    if stop.country_id is None:
        return
    delegation = stop.delegation
    stored = delegation.stops.exclude(pk=stop.pk).select_related("country") if delegation.pk else []
    countries = {s.country_id: s.country for s in stored}
    countries.update(getattr(stop, "_file_siblings", {}))
    countries[stop.country_id] = stop.country
    check_delegation(
        departure_on=delegation.departure_on,
        return_on=delegation.return_on,
        countries=list(countries.values()),
    )
