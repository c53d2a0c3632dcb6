from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedInline, with_counts
from core.models import Organization
from dataio.admin import RecordAdmin
from lawbuilding import admin_report  # noqa: F401  (annual report admin, kept separate)
from lawbuilding.models import (
    Division,
    InstitutionalDocument,
    LeadingGroup,
    LeadingGroupMember,
    LegalAdviserEngagement,
    LegalService,
    Person,
    PlanSection,
    PlanTask,
    WorkPlan,
    WorkQuantity,
    WorkRecord,
)


class DivisionInline(AuditedInline):
    model = Division
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ["full_name", "short_name", "org_code", "hotline", "website"]
    search_fields = ["full_name", "short_name", "org_code"]
    inlines = [DivisionInline]


@admin.register(Division)
class DivisionAdmin(RecordAdmin):
    list_display = ["name", "organization", "is_rule_of_law_lead"]
    list_filter = ["is_rule_of_law_lead", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "post", "unit", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name", "post", "unit"]


class LeadingGroupMemberInline(AuditedInline):
    model = LeadingGroupMember
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "post", "role", "start_on", "end_on"]


@admin.register(LeadingGroup)
class LeadingGroupAdmin(RecordAdmin):
    list_display = ["name", "organization", "established_on", "adjusted_on", "member_count"]
    list_filter = ["organization", "is_demo"]
    list_select_related = ["organization"]
    search_fields = ["name", "purpose", "members__person__name"]
    inlines = [LeadingGroupMemberInline]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), member_count="members")

    @admin.display(description=_("成员数"), ordering="member_count")
    def member_count(self, obj: LeadingGroup) -> int:
        return obj.member_count


@admin.register(LeadingGroupMember)
class LeadingGroupMemberAdmin(RecordAdmin):
    list_display = ["person", "group", "role", "post", "start_on", "end_on"]
    list_filter = ["role", "group"]
    list_select_related = ["person", "group"]
    search_fields = ["person__name", "group__name", "post"]
    autocomplete_fields = ["person"]


@admin.register(InstitutionalDocument)
class InstitutionalDocumentAdmin(RecordAdmin):
    list_display = ["__str__", "kind", "document_number", "issuer", "adopted_on", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["title", "document_number", "issuer", "summary"]
    date_hierarchy = "adopted_on"


class LegalServiceInline(AuditedInline):
    model = LegalService
    extra = 1
    fields = ["date", "kind", "description"]


@admin.register(LegalAdviserEngagement)
class LegalAdviserEngagementAdmin(RecordAdmin):
    list_display = [
        "law_firm",
        "start_on",
        "end_on",
        "agreement_signed_on",
        "lawyer_count",
        "service_count",
    ]
    list_filter = ["is_demo"]
    search_fields = ["law_firm", "lawyers__name", "scope"]
    date_hierarchy = "start_on"
    autocomplete_fields = ["lawyers"]
    inlines = [LegalServiceInline]

    def get_queryset(self, request):
        return with_counts(
            super().get_queryset(request), lawyer_count="lawyers", service_count="services"
        )

    @admin.display(description=_("律师人数"), ordering="lawyer_count")
    def lawyer_count(self, obj: LegalAdviserEngagement) -> int:
        return obj.lawyer_count

    @admin.display(description=_("服务次数"), ordering="service_count")
    def service_count(self, obj: LegalAdviserEngagement) -> int:
        return obj.service_count


@admin.register(LegalService)
class LegalServiceAdmin(RecordAdmin):
    list_display = ["date", "kind", "description", "engagement"]
    list_filter = ["kind", "engagement__law_firm"]
    list_select_related = ["engagement"]
    search_fields = ["description", "engagement__law_firm"]
    date_hierarchy = "date"


class PlanSectionInline(AuditedInline):
    """Sections are edited with their plan; each links to its own page for its tasks."""

    model = PlanSection
    extra = 1
    fields = ["order", "title"]


@admin.register(WorkPlan)
class WorkPlanAdmin(RecordAdmin):
    list_display = ["year", "title", "organization", "adopted_on", "section_count", "task_count"]
    list_filter = ["year", "is_demo"]
    list_select_related = ["organization"]
    search_fields = ["title", "preamble"]
    inlines = [PlanSectionInline]

    def get_queryset(self, request):
        return with_counts(
            super().get_queryset(request), section_count="sections", task_count="sections__tasks"
        )

    @admin.display(description=_("部分数"), ordering="section_count")
    def section_count(self, obj: WorkPlan) -> int:
        return obj.section_count

    @admin.display(description=_("任务数"), ordering="task_count")
    def task_count(self, obj: WorkPlan) -> int:
        return obj.task_count


class PlanTaskInline(AuditedInline):
    model = PlanTask
    extra = 1
    fields = ["number", "title", "body", "responsible_division", "status", "due_on"]


@admin.register(PlanSection)
class PlanSectionAdmin(RecordAdmin):
    list_display = ["__str__", "plan", "order", "title", "task_count"]
    list_filter = ["plan__year"]
    list_select_related = ["plan"]
    search_fields = ["title", "plan__title"]
    inlines = [PlanTaskInline]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), task_count="tasks")

    @admin.display(description=_("任务数"), ordering="task_count")
    def task_count(self, obj: PlanSection) -> int:
        return obj.task_count


class PlanTaskOverdueFilter(admin.SimpleListFilter):
    """Tasks past their deadline and not done (the dashboard's "逾期任务")."""

    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("已逾期未完成")), ("no", _("未逾期或已完成"))]

    def queryset(self, request, queryset):
        overdue = Q(due_on__lt=timezone.localdate()) & ~Q(status=PlanTask.Status.DONE)
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


@admin.register(PlanTask)
class PlanTaskAdmin(RecordAdmin):
    list_display = [
        "number",
        "short_title",
        "section",
        "responsible_division",
        "status",
        "due_on",
        "completed_on",
    ]
    list_display_links = ["number", "short_title"]
    list_filter = ["status", "section__plan__year", PlanTaskOverdueFilter, "responsible_division"]
    list_select_related = ["section__plan", "responsible_division"]
    search_fields = ["title", "body", "progress_notes"]

    @admin.display(description=_("任务"), ordering="title")
    def short_title(self, obj: PlanTask) -> str:
        return obj.title or obj.body[:30]


class WorkQuantityInline(AuditedInline):
    model = WorkQuantity
    extra = 1
    show_change_link = False
    fields = ["key", "label", "value", "unit", "is_lower_bound"]


@admin.register(WorkRecord)
class WorkRecordAdmin(RecordAdmin):
    list_display = ["year", "theme", "title", "figures", "start_on", "end_on", "order", "is_demo"]
    list_display_links = ["title"]
    list_filter = ["year", "theme", "is_demo"]
    search_fields = ["title", "narrative"]
    inlines = [WorkQuantityInline]

    def get_queryset(self, request):
        # Prefetch runs once for the displayed page only, whatever the table size.
        return super().get_queryset(request).prefetch_related("quantities")

    @admin.display(description=_("数据"))
    def figures(self, obj: WorkRecord) -> str:
        return "、".join(f"{q.label}{q.display_value}" for q in obj.quantities.all())


@admin.register(WorkQuantity)
class WorkQuantityAdmin(RecordAdmin):
    list_display = ["label", "display_value", "key", "record"]
    list_filter = ["record__year"]
    list_select_related = ["record"]
    search_fields = ["label", "key", "record__title"]

    @admin.display(description=_("数值"), ordering="value")
    def display_value(self, obj: WorkQuantity) -> str:
        return obj.display_value
