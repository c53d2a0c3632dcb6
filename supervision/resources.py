"""Spreadsheet resources of proposals, notices, delegations and disclosure items.

Citizens' comments on notices are export-only and leave out the commenter's name, contact
and source hash: personal data never leaves the portal in a spreadsheet (个人信息保护法,
DOMAIN.md), and comments only ever arrive through the public form.
"""

from django.utils.translation import gettext

from core.resources import PortalResource, label_with_unit
from supervision import models


class ProposalResource(PortalResource):
    class Meta:
        model = models.Proposal
        natural_key = ("kind", "year", "number")

    @classmethod
    def object_label(cls, obj):
        return f"{obj.year}-{obj.number} {obj.title}"


class HonoraryCitizenNoticeResource(PortalResource):
    class Meta:
        model = models.HonoraryCitizenNotice
        natural_key = ("batch",)

    @classmethod
    def object_label(cls, obj):
        return str(obj.batch)

    @classmethod
    def object_aliases(cls, obj):
        return (gettext("第%(n)s批") % {"n": obj.batch}, obj.title)


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


class _PendingRowsMixin:
    """On the bulk path every row is validated before any is written, so a row's rule check
    (supervision/rules.py) is told about the earlier new rows of the same delegation in
    this file; on the row-by-row path (the admin) they are already saved, uncommitted."""

    def _fao_pending_rows(self) -> dict:
        if not hasattr(self, "_pending_by_delegation"):
            self._pending_by_delegation = {}
        return self._pending_by_delegation

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        bulk_new = self._meta.use_bulk and instance.pk is None and instance.delegation_id
        if bulk_new:
            self.tell_pending(instance, self._fao_pending_rows().get(instance.delegation_id, []))
        super().validate_instance(instance, import_validation_errors, validate_unique)
        if bulk_new:
            self._fao_pending_rows().setdefault(instance.delegation_id, []).append(instance)


class DelegationMemberResource(_PendingRowsMixin, PortalResource):
    class Meta:
        model = models.DelegationMember
        natural_key = ("delegation", "name")

    @staticmethod
    def tell_pending(instance, earlier) -> None:
        instance._pending_siblings = len(earlier)


class DelegationStopResource(_PendingRowsMixin, PortalResource):
    class Meta:
        model = models.DelegationStop
        natural_key = ("delegation", "country")

    @staticmethod
    def tell_pending(instance, earlier) -> None:
        instance._pending_countries = [row.country for row in earlier if row.country_id]


class IndexCounterResource(PortalResource):
    class Meta:
        model = models.IndexCounter
        natural_key = ("organization", "year")


class DisclosureItemResource(PortalResource):
    class Meta:
        model = models.DisclosureItem
        natural_key = ("index_number",)
        exclude = ("index_year", "index_serial")

    @classmethod
    def object_label(cls, obj):
        return obj.index_number

    def prepare_for_bulk(self, instance):
        instance.index_year, instance.index_serial = instance.split_index_number(
            instance.index_number
        )


class DisclosureAttachmentResource(PortalResource):
    # Files are uploaded in the admin; a spreadsheet can only list them.
    import_allowed = False

    class Meta:
        model = models.DisclosureAttachment
        natural_key = ("item", "title")
