"""Spreadsheet resources of proposals, notices and delegations.

Citizens' comments on notices are export-only and leave out the commenter's name, contact
and source hash: personal data never leaves the portal in a spreadsheet (《个人信息保护法》
第六条: no more than the purpose needs), and comments only ever arrive through the public form.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy
from import_export.fields import Field

from core.chinese_numbers import batch_label
from dataio.import_widgets import BatchWidget
from dataio.resources import PortalResource, label_with_unit
from supervision import models


class ProposalResource(PortalResource):
    class Meta:
        model = models.Proposal
        natural_key = ("kind", "year", "number")

    @classmethod
    def object_label(cls, obj):
        return f"{obj.year}-{obj.number} {obj.title}"


class HonoraryCitizenNoticeResource(PortalResource):
    # The office writes batches as 第十九批; 19 and 第19批 are accepted too.
    batch = Field(attribute="batch", column_name=gettext_lazy("批次"), widget=BatchWidget())

    class Meta:
        model = models.HonoraryCitizenNotice
        natural_key = ("batch",)
        # Publication is a step after the secrecy review (supervision.publishing), never a
        # spreadsheet column (《政府信息公开条例》第十七条).
        exclude = ("published_at", "published_version")

    @classmethod
    def object_label(cls, obj):
        return batch_label(obj.batch)

    @classmethod
    def object_aliases(cls, obj):
        return (str(obj.batch), gettext("第%(n)s批") % {"n": obj.batch}, obj.title)


class NomineeResource(PortalResource):
    label_select_related = ("notice",)

    class Meta:
        model = models.Nominee
        natural_key = ("notice", "name")

    @classmethod
    def object_label(cls, obj):
        return obj.name


class NoticeCommentResource(PortalResource):
    import_allowed = False

    class Meta:
        model = models.NoticeComment
        exclude = ("name", "contact", "client_hash")


class CountryResource(PortalResource):
    class Meta:
        model = models.Country
        natural_key = ("name",)

    @classmethod
    def object_label(cls, obj):
        return obj.name


class DelegationLimitsResource(PortalResource):
    class Meta:
        model = models.DelegationLimits


class IntegritySupervisorResource(PortalResource):
    class Meta:
        model = models.IntegritySupervisor
        natural_key = ("name", "unit")

    @classmethod
    def object_label(cls, obj):
        return label_with_unit(obj.name, obj.unit)

    @classmethod
    def object_aliases(cls, obj):
        return (obj.name,)


class DelegationResource(PortalResource):
    class Meta:
        model = models.Delegation
        natural_key = ("name", "departure_on")
        # The countries come in through 出访国家（地区） rows, which keep order and transit.
        exclude = ("countries",)

    @classmethod
    def object_label(cls, obj):
        return f"{obj.name}（{obj.departure_on:%Y-%m-%d}）"

    @classmethod
    def object_aliases(cls, obj):
        return (obj.name,)


class _RowsOfOneTripMixin:
    """A delegation's members or stops usually arrive together in one file, one per row.
    The file is read once before the rows are validated, so each row's rule check
    (supervision/rules.py) sees every row of its delegation in the file, stored or not, on
    the bulk path and the row-by-row path alike, whatever the row order."""

    #: the column that identifies a row within its delegation
    sibling_field = ""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._fao_file_rows: dict[int, dict] = {}
        if not dataset.headers:
            return
        trip_field, key_field = self.fields["delegation"], self.fields[self.sibling_field]
        for values in dataset:
            row = dict(zip(dataset.headers, values, strict=False))
            try:
                trip, key = trip_field.clean(row), key_field.clean(row)
            except (ValueError, ValidationError):
                continue  # reported on its own row
            if trip is not None and key not in (None, ""):
                self._fao_file_rows.setdefault(trip.pk, {})[getattr(key, "pk", key)] = key

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        siblings = getattr(self, "_fao_file_rows", {}).get(instance.delegation_id)
        if siblings is not None:
            instance._file_siblings = siblings
        super().validate_instance(instance, import_validation_errors, validate_unique)


class DelegationMemberResource(_RowsOfOneTripMixin, PortalResource):
    sibling_field = "name"

    class Meta:
        model = models.DelegationMember
        natural_key = ("delegation", "name")


class DelegationStopResource(_RowsOfOneTripMixin, PortalResource):
    sibling_field = "country"

    class Meta:
        model = models.DelegationStop
        natural_key = ("delegation", "country")
