import datetime

from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedInline, with_counts
from core.personal_data import PersonalDataExportMixin
from dataio.admin import RecordAdmin
from publication.admin_review import SecrecyReviewAdminMixin
from supervision import (
    admin_moderation,  # noqa: F401  (comment moderation, kept separate)
    publishing,
)
from supervision.admin_forms import (
    DelegationLimitsForm,
    DelegationMemberForm,
    DelegationMemberFormSet,
    DelegationStopForm,
    DelegationStopFormSet,
)
from supervision.models import (
    Country,
    Delegation,
    DelegationLimits,
    DelegationMember,
    DelegationStop,
    HonoraryCitizenNotice,
    IntegritySupervisor,
    Nominee,
    Proposal,
)

# The limits a delegation row is checked against, carried on each row of the change list
# so the "rules" column needs no query per row.
LIMIT_FIELDS = [
    "max_members",
    "max_countries",
    "days_one_country",
    "days_two_countries",
    "days_three_countries",
    "extra_days_far",
]


class ProposalDeadlineFilter(admin.SimpleListFilter):
    """Reply deadlines as the dashboard counts them: the deadline is the extended one when
    set, else assigned + 3 months (Proposal.effective_due_on)."""

    title = _("答复时限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("in_time", _("按时答复")),
            ("overdue", _("逾期（逾期答复或逾期未答复）")),
            ("late", _("逾期答复")),
            ("unreplied", _("尚未答复")),
            ("due_soon", _("14 日内到期未答复")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        conditions = {
            "in_time": Proposal.replied_in_time_q(),
            "overdue": Proposal.overdue_q(today),
            "late": Proposal.replied_late_q(),
            "unreplied": Q(replied_on__isnull=True),
            "due_soon": Proposal.due_soon_q(today, 14),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(Proposal)
class ProposalAdmin(RecordAdmin):
    list_display = [
        "kind",
        "year",
        "number",
        "title",
        "proposer",
        "role",
        "assigned_on",
        "deadline",
        "replied_on",
        "deadline_state",
        "result_class",
        "satisfaction",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "kind",
        "year",
        "role",
        ProposalDeadlineFilter,
        "result_class",
        "satisfaction",
        "is_demo",
    ]
    search_fields = ["number", "title", "proposer", "reply_text"]
    date_hierarchy = "assigned_on"
    fieldsets = [
        (None, {"fields": ["kind", "year", "number", "title", "proposer", "role"]}),
        (_("办理时限"), {"fields": ["assigned_on", "due_on", "extended_due_on"]}),
        (
            _("答复与反馈"),
            {"fields": ["replied_on", "reply_text", "result_class", "satisfaction"]},
        ),
        (_("其他"), {"fields": ["is_demo"]}),
    ]

    @admin.display(description=_("答复期限"), ordering="due_on")
    def deadline(self, obj: Proposal) -> datetime.date:
        return obj.effective_due_on

    @admin.display(description=_("办理情况"))
    def deadline_state(self, obj: Proposal) -> str:
        today = timezone.localdate()
        if obj.replied_on:
            return str(_("按时答复") if obj.replied_in_time else _("逾期答复"))
        if obj.is_overdue(today):
            return _("逾期 %(days)s 天未答复") % {"days": (today - obj.effective_due_on).days}
        return str(_("办理中"))


class NoticeStatusFilter(admin.SimpleListFilter):
    title = _("公示状态")
    parameter_name = "notice_status"

    def lookups(self, request, model_admin):
        return [("open", _("公示中")), ("upcoming", _("未开始")), ("closed", _("已结束"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        conditions = {
            "open": Q(notice_start__lte=today, notice_end__gte=today),
            "upcoming": Q(notice_start__gt=today),
            "closed": Q(notice_end__lt=today),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


class NomineeInline(AuditedInline):
    model = Nominee
    extra = 1
    fields = [
        "order",
        "name",
        "chinese_name",
        "nationality",
        "employer",
        "post",
        "years_in_city",
        "contribution",
    ]


@admin.register(HonoraryCitizenNotice)
class HonoraryCitizenNoticeAdmin(SecrecyReviewAdminMixin, RecordAdmin):
    """A notice goes public through its secrecy review page ("保密审查"), which records the
    review and publishes (supervision.publishing); editing a published notice takes it off
    the public pages until it is reviewed again."""

    list_display = [
        "batch",
        "title",
        "notice_start",
        "notice_end",
        "is_open",
        "is_published",
        "nominee_count",
        "approved_on",
    ]
    list_display_links = ["batch", "title"]
    list_filter = [NoticeStatusFilter, "is_demo"]
    search_fields = ["title", "body", "nominees__name", "nominees__chinese_name"]
    date_hierarchy = "notice_start"
    inlines = [NomineeInline]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), nominee_count="nominees")

    @admin.display(description=_("公示中"), boolean=True)
    def is_open(self, obj: HonoraryCitizenNotice) -> bool:
        return obj.is_open()

    @admin.display(description=_("候选人数"), ordering="nominee_count")
    def nominee_count(self, obj: HonoraryCitizenNotice) -> int:
        return obj.nominee_count

    @admin.display(description=_("已发布"), boolean=True, ordering="published_at")
    def is_published(self, obj: HonoraryCitizenNotice) -> bool:
        return obj.published_at is not None

    def save_model(self, request, obj, form, change):
        obj._was_published = change and obj.published_at is not None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Any change withdraws a published notice (supervision.publishing); say so.
        super().save_related(request, form, formsets, change)
        notice = form.instance
        still = HonoraryCitizenNotice.objects.filter(pk=notice.pk, published_at__isnull=False)
        if getattr(notice, "_was_published", False) and not still.exists():
            self.message_user(
                request,
                _("公示内容已改动，已从公开页面撤下；请重新进行保密审查后发布。"),
                messages.WARNING,
            )

    # --- the secrecy review (《政府信息公开条例》第十七条) ---------------------------------

    def secrecy_review_version(self, obj) -> str:
        return publishing.notice_version(obj)

    def secrecy_review_findings(self, obj):
        return publishing.notice_findings(obj)

    def secrecy_review_record(self, obj, *, user, acceptances, note):
        return publishing.notice_review_and_publish(
            notice=obj, user=user, acceptances=acceptances, note=note
        )


@admin.register(Nominee)
class NomineeAdmin(PersonalDataExportMixin, RecordAdmin):
    list_display = ["name", "chinese_name", "nationality", "employer", "post", "notice"]
    list_filter = ["notice", "nationality", "is_demo"]
    list_select_related = ["notice"]
    search_fields = ["name", "chinese_name", "employer", "contribution"]


@admin.register(Country)
class CountryAdmin(RecordAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]


@admin.register(DelegationLimits)
class DelegationLimitsAdmin(RecordAdmin):
    """One rule set for the portal (DelegationLimits.current() reads the first row)."""

    form = DelegationLimitsForm
    list_display = ["__str__", *LIMIT_FIELDS, "pre_notice_working_days", "post_report_days"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not DelegationLimits.objects.exists()


@admin.register(IntegritySupervisor)
class IntegritySupervisorAdmin(RecordAdmin):
    list_display = ["name", "unit", "post", "appointed_on", "term_end_on", "delegation_count"]
    list_filter = ["is_demo"]
    search_fields = ["name", "unit", "post"]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), delegation_count="delegations")

    @admin.display(description=_("监督团组数"), ordering="delegation_count")
    def delegation_count(self, obj: IntegritySupervisor) -> int:
        return obj.delegation_count


class DelegationMemberInline(AuditedInline):
    model = DelegationMember
    formset = DelegationMemberFormSet
    extra = 1
    show_change_link = False
    fields = ["name", "unit", "post", "is_interpreter"]
    verbose_name_plural = _("团组成员（含团长和翻译）")


class DelegationStopInline(AuditedInline):
    model = DelegationStop
    formset = DelegationStopFormSet
    extra = 1
    show_change_link = False
    autocomplete_fields = ["country"]
    fields = ["order", "country", "is_transit"]
    verbose_name_plural = _("出访国家（地区）（含经停）")


def _stops_prefetch() -> Prefetch:
    return Prefetch("stops", queryset=DelegationStop.objects.select_related("country"))


def _violations(delegation: Delegation, limits: DelegationLimits) -> list[str]:
    """The rule check on a row that carries `member_count` and prefetched stops."""
    return limits.violations(
        departure_on=delegation.departure_on,
        return_on=delegation.return_on,
        member_count=delegation.member_count,
        countries=[stop.country for stop in delegation.stops.all()],
    )


class DelegationRuleFilter(admin.SimpleListFilter):
    """Delegations breaking a limit. Checked in Python with the same rules as the form
    (DelegationLimits.violations); the table holds a few dozen trips a year, read in three
    queries whatever their number."""

    title = _("出访规则")
    parameter_name = "violation"

    def lookups(self, request, model_admin):
        return [("yes", _("超出限制")), ("no", _("符合规定"))]

    def queryset(self, request, queryset):
        if self.value() not in {"yes", "no"}:
            return queryset
        limits = DelegationLimits.current()
        rows = (
            Delegation.objects.annotate(member_count=Count("members", distinct=True))
            .prefetch_related(_stops_prefetch())
            .only("pk", "departure_on", "return_on")
        )
        breaking = [row.pk for row in rows if _violations(row, limits)]
        if self.value() == "yes":
            return queryset.filter(pk__in=breaking)
        return queryset.exclude(pk__in=breaking)


@admin.register(Delegation)
class DelegationAdmin(RecordAdmin):
    list_display = [
        "name",
        "unit",
        "leader",
        "departure_on",
        "return_on",
        "days_abroad",
        "member_count",
        "country_list",
        "rule_check",
        "supervisor",
    ]
    list_display_links = ["name"]
    list_select_related = ["supervisor"]
    list_filter = [
        DelegationRuleFilter,
        ("pre_notice_start", admin.EmptyFieldListFilter),
        ("education_on", admin.EmptyFieldListFilter),
        ("in_trip_checked_on", admin.EmptyFieldListFilter),
        ("post_trip_checked_on", admin.EmptyFieldListFilter),
        ("in_trip_findings", admin.EmptyFieldListFilter),
        ("post_trip_findings", admin.EmptyFieldListFilter),
        ("report_returned_on", admin.EmptyFieldListFilter),
        ("post_notice_on", admin.EmptyFieldListFilter),
        "is_demo",
    ]
    search_fields = ["name", "unit", "leader", "approval_number", "members__name", "tasks"]
    date_hierarchy = "departure_on"
    autocomplete_fields = ["supervisor"]
    inlines = [DelegationMemberInline, DelegationStopInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "unit",
                    "leader",
                    "approval_number",
                    ("departure_on", "return_on"),
                    "tasks",
                ]
            },
        ),
        (
            _("事前：公示与教育"),
            {"fields": [("pre_notice_start", "pre_notice_end"), "education_on"]},
        ),
        (
            _("事中、事后检查"),
            {
                "fields": [
                    "in_trip_checked_on",
                    "in_trip_findings",
                    "post_trip_checked_on",
                    "post_trip_findings",
                    "report_returned_on",
                    "passports_returned_on",
                    "post_notice_on",
                ]
            },
        ),
        (_("评估与监督"), {"fields": ["performance_evaluation", "supervisor", "is_demo"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        inlines = self.get_inline_instances(request, obj)
        if not any(isinstance(inline, DelegationStopInline) for inline in inlines):
            return form

        class TripWithStopsForm(form):
            """The stop rows on the same page are checked against these dates together
            (DelegationStopFormSet), so the trip does not check its stored stops alone."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance._rules_checked_as_set = True

        return TripWithStopsForm

    def get_queryset(self, request):
        limits = DelegationLimits.current()
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("members", distinct=True),
                **{f"limit_{name}": Value(getattr(limits, name)) for name in LIMIT_FIELDS},
            )
            .prefetch_related(_stops_prefetch())
        )

    @admin.display(description=_("在外天数"))
    def days_abroad(self, obj: Delegation) -> int:
        return obj.days_abroad

    @admin.display(description=_("人数"), ordering="member_count")
    def member_count(self, obj: Delegation) -> int:
        return obj.member_count

    @admin.display(description=_("出访国家（地区）"))
    def country_list(self, obj: Delegation) -> str:
        return "、".join(
            str(stop.country) + (str(_("（经停）")) if stop.is_transit else "")
            for stop in obj.stops.all()
        )

    @admin.display(description=_("规则检查"))
    def rule_check(self, obj: Delegation) -> str:
        limits = DelegationLimits(**{name: getattr(obj, f"limit_{name}") for name in LIMIT_FIELDS})
        problems = _violations(obj, limits)
        return " ".join(str(p) for p in problems) if problems else str(_("符合规定"))


@admin.register(DelegationMember)
class DelegationMemberAdmin(PersonalDataExportMixin, RecordAdmin):
    form = DelegationMemberForm
    list_display = ["name", "unit", "post", "is_interpreter", "delegation"]
    list_filter = ["is_interpreter"]
    list_select_related = ["delegation"]
    search_fields = ["name", "unit", "delegation__name"]
    autocomplete_fields = ["delegation"]


@admin.register(DelegationStop)
class DelegationStopAdmin(RecordAdmin):
    form = DelegationStopForm
    list_display = ["delegation", "order", "country", "is_transit"]
    list_filter = ["is_transit", "country__region"]
    list_select_related = ["delegation", "country"]
    search_fields = ["delegation__name", "country__name"]
    autocomplete_fields = ["delegation", "country"]
