"""Spreadsheet resources of the office's bodies, rules, advisers, plans and work records."""

from dataio.resources import PortalResource, label_with_unit
from lawbuilding import models


class OrganizationResource(PortalResource):
    class Meta:
        model = models.Organization
        natural_key = ("org_code",)

    @classmethod
    def object_label(cls, obj):
        return obj.short_name

    @classmethod
    def object_aliases(cls, obj):
        return (obj.full_name, obj.org_code)


class DivisionResource(PortalResource):
    class Meta:
        model = models.Division
        natural_key = ("organization", "name")

    @classmethod
    def object_label(cls, obj):
        return obj.name


class PersonResource(PortalResource):
    class Meta:
        model = models.Person
        natural_key = ("name", "unit")

    @classmethod
    def object_label(cls, obj):
        return label_with_unit(obj.name, obj.unit)

    @classmethod
    def object_aliases(cls, obj):
        return (obj.name,)


class LeadingGroupResource(PortalResource):
    class Meta:
        model = models.LeadingGroup
        natural_key = ("organization", "name")

    @classmethod
    def object_label(cls, obj):
        return obj.name


class LeadingGroupMemberResource(PortalResource):
    class Meta:
        model = models.LeadingGroupMember
        natural_key = ("group", "person", "role")


class InstitutionalDocumentResource(PortalResource):
    class Meta:
        model = models.InstitutionalDocument
        natural_key = ("title",)

    @classmethod
    def object_label(cls, obj):
        return obj.title


class LegalAdviserEngagementResource(PortalResource):
    class Meta:
        model = models.LegalAdviserEngagement
        natural_key = ("law_firm", "start_on")

    @classmethod
    def object_label(cls, obj):
        return f"{obj.law_firm}（{obj.start_on:%Y-%m-%d}起）"

    @classmethod
    def object_aliases(cls, obj):
        return (obj.law_firm,)


class LegalServiceResource(PortalResource):
    class Meta:
        model = models.LegalService
        natural_key = ("engagement", "date", "description")


class WorkPlanResource(PortalResource):
    class Meta:
        model = models.WorkPlan
        natural_key = ("organization", "year")

    @classmethod
    def object_label(cls, obj):
        return str(obj.year)

    @classmethod
    def object_aliases(cls, obj):
        return (f"{obj.year}年", obj.title)


class PlanSectionResource(PortalResource):
    label_select_related = ("plan",)

    class Meta:
        model = models.PlanSection
        natural_key = ("plan", "order")

    @classmethod
    def object_label(cls, obj):
        return f"{obj.plan.year}-{obj.order} {obj.title}"

    @classmethod
    def object_aliases(cls, obj):
        return (f"{obj.plan.year}-{obj.order}",)


class PlanTaskResource(PortalResource):
    class Meta:
        model = models.PlanTask
        natural_key = ("section", "number")


class WorkRecordResource(PortalResource):
    class Meta:
        model = models.WorkRecord
        natural_key = ("year", "title")

    @classmethod
    def object_label(cls, obj):
        return f"{obj.year} {obj.title}"


class WorkQuantityResource(PortalResource):
    class Meta:
        model = models.WorkQuantity
        natural_key = ("record", "key")


class ReportThemeDefaultResource(PortalResource):
    class Meta:
        model = models.ReportThemeDefault
        natural_key = ("theme",)


# The annual report moves through its workflow (draft → review → approval → publication)
# only by the workflow's own actions, which check permissions and write the audit trail;
# a spreadsheet must not set a status or rewrite a published text. Export only.


class AnnualReportResource(PortalResource):
    import_allowed = False

    class Meta:
        model = models.AnnualReport

    @classmethod
    def object_label(cls, obj):
        return str(obj)


class ReportSectionResource(PortalResource):
    import_allowed = False

    class Meta:
        model = models.ReportSection


class ReportEventResource(PortalResource):
    import_allowed = False

    class Meta:
        model = models.ReportEvent
