"""Spreadsheet resources of proposals, notices, delegations and disclosure items.

Citizens' comments on notices are export-only and leave out the commenter's name, contact
and source hash: personal data never leaves the portal in a spreadsheet (个人信息保护法,
DOMAIN.md), and comments only ever arrive through the public form.
"""

from django.utils.translation import gettext

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
    class Meta:
        model = models.HonoraryCitizenNotice
        natural_key = ("batch",)
        # Publication is a step after the secrecy review (supervision.publishing), never a
        # spreadsheet column (《政府信息公开条例》第十七条).
        exclude = ("published_at", "published_version")

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


class DelegationMemberResource(PortalResource):
    class Meta:
        model = models.DelegationMember
        natural_key = ("delegation", "name")


class DelegationStopResource(PortalResource):
    class Meta:
        model = models.DelegationStop
        natural_key = ("delegation", "country")
