"""Admin for the annual rule-of-law report and its workflow.

The change page shows the statutory deadlines, the workflow buttons the user may press (each
one posts to a view calling the matching action in lawbuilding.services, which checks the
permission and records the audit entry), the audit trail, and links to preview the PDF and
HTML. Regenerating from the records first shows, section by section, what would change and
asks before replacing any text staff have edited.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.admin_tasks import register_awaiting
from core.admin_history import ReadableHistoryMixin
from core.files import TamperedFileError
from core.history_admin import ReadOnlyHistoryAdmin
from core.models import Organization
from lawbuilding import reports, services
from lawbuilding.models import AnnualReport, ReportEvent, ReportSection, ReportThemeDefault
from publication.admin_review import SecrecyReviewAdminMixin

Action = ReportEvent.Action

ACTION_BUTTONS = {
    Action.SUBMIT: (_("提交审核"), False),
    Action.APPROVE: (_("审核通过"), False),
    Action.RETURN: (_("退回修改"), True),
    Action.PUBLISH: (_("公开发布"), False),
    Action.CORRECT: (_("发起更正（生成新版本）"), True),
}  # action: (label, comment required)


def _messages_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or gettext("没有权限执行该操作。")


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    can_delete = False
    fields = [
        "heading",
        "body",
        "included",
        "order",
        "part_display",
        "edited_display",
        "empty_reason",
    ]
    readonly_fields = ["part_display", "edited_display", "empty_reason"]
    ordering = ["order", "pk"]

    @admin.display(description=_("法定内容"))
    def part_display(self, obj):
        return obj.get_part_display() if obj.pk else ""

    @admin.display(description=_("是否已人工修改"))
    def edited_display(self, obj):
        if not obj.pk:
            return ""
        return _("已修改（重新生成时会先征求意见）") if obj.is_edited else _("与生成文本一致")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 8, "cols": 100})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return False  # sections come from the generator; a section can be left out instead

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)


class GenerateForm(forms.Form):
    year = forms.IntegerField(
        label=_("报告年度"),
        min_value=2000,
        max_value=2100,
        help_text=_("按该年度的工作记录和下一年度的工作计划生成草稿。"),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year >= timezone.localdate().year:
            raise ValidationError(_("只能为已结束的年度生成报告。"), code="year_not_over")
        return year


@admin.register(AnnualReport)
class AnnualReportAdmin(SecrecyReviewAdminMixin, ReadableHistoryMixin, ReadOnlyHistoryAdmin):
    list_display = ["title", "year", "revision", "status", "deadline_display", "index_display"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    inlines = [ReportSectionInline]
    change_form_template = "lawbuilding/admin/annualreport_change_form.html"
    fields = ["title", "title_layout", "summary"]
    readonly_fields = []

    # --- permissions: the text is editable only while it is a draft ---------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        # A report that was ever submitted is part of the record; drafts may be discarded.
        return super().has_delete_permission(request, obj) and (
            obj is None or (obj.is_editable and not obj.events.exclude(action="create").exists())
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["title", "title_layout", "summary"]
        return [
            "title",
            "title_layout",
            "summary",
            "status",
            "organization",
            "year",
            "revision",
            "corrects",
            "created_by",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_on",
            "published_by",
            "published_on",
            "pdf_sha256",
            "disclosure",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = self.get_fields(request, obj)
        return [*(fields if not obj.is_editable else fields[3:]), "secrecy_review_status"]

    # --- the secrecy review (《政府信息公开条例》第十七条) -------------------------------------

    def secrecy_review_unavailable(self, obj) -> str:
        if obj.status != AnnualReport.Status.APPROVED:
            return gettext("报告审核通过（定稿）后才能进行保密审查。")
        return ""

    def secrecy_review_version(self, obj) -> str:
        return services.report_secrecy_version(obj)

    def secrecy_review_findings(self, obj):
        return services.report_findings(obj)

    def secrecy_review_record(self, obj, *, user, acceptances, note):
        return services.report_record_secrecy_review(
            report=obj, user=user, acceptances=acceptances, note=note
        )

    # --- list columns ---------------------------------------------------------------------

    @admin.display(description=_("法定期限"))
    def deadline_display(self, obj):
        return format_html_join(
            "",
            '<div style="color: {}">{}</div>',
            (("#ba2121" if d.is_overdue else "inherit", str(d)) for d in obj.deadlines()),
        )

    @admin.display(description=_("索引号"))
    def index_display(self, obj):
        return obj.disclosure.index_number if obj.disclosure_id else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("disclosure", "organization")

    # --- pages --------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("generate/", wrap(self.generate_view), name=f"{prefix}_generate"),
            path("<int:pk>/action/<str:action>/", wrap(self.action_view), name=f"{prefix}_action"),
            path("<int:pk>/regenerate/", wrap(self.regenerate_view), name=f"{prefix}_regenerate"),
            path("<int:pk>/pdf/", wrap(self.pdf_view), name=f"{prefix}_pdf"),
            path(
                "<int:pk>/empty/<int:section_pk>/",
                wrap(self.confirm_empty_view),
                name=f"{prefix}_confirm_empty",
            ),
            path("<int:pk>/html/", wrap(self.html_view), name=f"{prefix}_html"),
            *super().get_urls(),
        ]

    def _get(self, request, pk) -> AnnualReport:
        report = get_object_or_404(AnnualReport.objects.select_related("organization"), pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def _change_url(self, report) -> str:
        return reverse("admin:lawbuilding_annualreport_change", args=[report.pk])

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:lawbuilding_annualreport_generate"))

    def generate_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GenerateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report, warnings = services.report_create(
                    year=form.cleaned_data["year"], user=request.user
                )
            except (ValidationError, Organization.DoesNotExist) as exc:
                form.add_error("year", _messages_of(exc))
            else:
                messages.success(request, gettext("已按记录生成草稿，请逐部分核对。"))
                for warning in warnings:
                    messages.warning(request, warning)
                return HttpResponseRedirect(self._change_url(report))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("生成年度报告草稿"),
            "form": form,
        }
        return TemplateResponse(request, "lawbuilding/admin/report_generate.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = AnnualReport.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if report is not None:
            allowed = services.report_allowed_actions(report=report, user=request.user)
            extra_context.update(
                report=report,
                deadlines=report.deadlines(),
                buttons=[
                    {
                        "action": action,
                        "label": label,
                        "comment_required": required,
                        "url": reverse(
                            "admin:lawbuilding_annualreport_action", args=[report.pk, action]
                        ),
                    }
                    for action, (label, required) in ACTION_BUTTONS.items()
                    if action in allowed
                ],
                can_regenerate=Action.REGENERATE in allowed,
                # Why the report cannot be submitted or approved yet (completeness gate).
                problems=(
                    services.report_completeness_problems(report)
                    if report.status in (AnnualReport.Status.DRAFT, AnnualReport.Status.SUBMITTED)
                    else []
                ),
                empty_candidates=(
                    [
                        s
                        for s in report.sections.all()
                        if s.included
                        and s.part
                        not in (ReportSection.Part.NEXT_YEAR, ReportSection.Part.NEXT_YEAR_OPENING)
                    ]
                    if Action.WAIVE in allowed
                    else []
                ),
                events=report.events.select_related("user"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def action_view(self, request, pk, action):
        return require_POST(self._action)(request, pk, action)

    def _action(self, request, pk, action):
        report = self._get(request, pk)
        if action not in ACTION_BUTTONS:
            raise Http404
        comment = request.POST.get("comment", "").strip()
        functions = {
            Action.SUBMIT: services.report_submit,
            Action.APPROVE: services.report_approve,
            Action.RETURN: services.report_return,
            Action.PUBLISH: services.report_publish,
            Action.CORRECT: services.report_start_correction,
        }
        try:
            result = functions[action](report=report, user=request.user, comment=comment)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _messages_of(exc))
            return HttpResponseRedirect(self._change_url(report))
        label = ACTION_BUTTONS[action][0]
        messages.success(request, gettext("已%(action)s。") % {"action": label})
        return HttpResponseRedirect(self._change_url(result))

    def confirm_empty_view(self, request, pk, section_pk):
        return require_POST(self._confirm_empty)(request, pk, section_pk)

    def _confirm_empty(self, request, pk, section_pk):
        report = self._get(request, pk)
        section = get_object_or_404(ReportSection, pk=section_pk, report=report)
        try:
            services.report_confirm_empty(
                report=report,
                section=section,
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, gettext("已确认该部分本年度无内容，并记录了理由。"))
        return HttpResponseRedirect(self._change_url(report))

    def regenerate_view(self, request, pk):
        report = self._get(request, pk)
        try:
            services.report_check(report=report, user=request.user, action=Action.REGENERATE)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _messages_of(exc))
            return HttpResponseRedirect(self._change_url(report))
        if request.method == "POST":
            overwrite = set(request.POST.getlist("overwrite"))
            try:
                applied = services.report_regenerate(
                    report=report, user=request.user, overwrite=overwrite
                )
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, _messages_of(exc))
            else:
                messages.success(
                    request,
                    gettext("已重新生成，更新了 %(n)s 个部分。") % {"n": len(applied)},
                )
            return HttpResponseRedirect(self._change_url(report))
        try:
            changes, warnings = services.report_plan_regeneration(report=report)
        except reports.NoRecordsError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self._change_url(report))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": gettext("按最新记录重新生成：%(title)s") % {"title": report.title},
            "changes": changes,
            "warnings": warnings,
        }
        return TemplateResponse(request, "lawbuilding/admin/report_regenerate.html", context)

    def pdf_view(self, request, pk):
        report = self._get(request, pk)
        try:
            if report.pdf_sha256:
                data = services.report_pdf_bytes(report)  # frozen: verified, never rebuilt
            else:
                data = services.report_render_pdf(report)
        except TamperedFileError as exc:
            return HttpResponse(" ".join(exc.messages), status=409, content_type="text/plain")
        response = HttpResponse(data, content_type="application/pdf")
        filename = f"report-{report.year}-r{report.revision}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def html_view(self, request, pk):
        report = self._get(request, pk)
        html = reports.render_html(
            title=report.title,
            sections=list(report.sections.all()),
            organization=report.organization,
            signed_on=report.approved_on,
            title_layout=report.title_layout,
        )
        return HttpResponse(html)


@admin.register(ReportSection)
class ReportSectionAdmin(ReadableHistoryMixin, ReadOnlyHistoryAdmin):
    """Sections are edited on their report's page; this list is for finding and history."""

    list_display = ["__str__", "report", "part", "order", "included"]
    list_filter = ["part", "included", "report__year"]
    list_select_related = ["report"]
    search_fields = ["heading", "body"]
    fields = ["report", "key", "part", "order", "heading", "body", "included"]
    readonly_fields = ["report", "key", "part"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.report.is_editable
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportEvent)
class ReportEventAdmin(ReadableHistoryMixin, ReadOnlyHistoryAdmin):
    """The workflow audit trail: read only for everyone."""

    list_display = ["at", "report", "action", "from_status", "to_status", "user", "comment"]
    list_filter = ["action", "report__year"]
    list_select_related = ["report", "user"]
    date_hierarchy = "at"
    search_fields = ["comment", "report__title", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportThemeDefault)
class ReportThemeDefaultAdmin(ReadableHistoryMixin, ReadOnlyHistoryAdmin):
    list_display = ["order", "theme", "heading"]
    list_display_links = ["theme"]
    list_editable = ["order", "heading"]
    ordering = ["order"]


@register_awaiting
def reports_awaiting(request) -> list[tuple[str, str, int]]:
    """Reports waiting for this user: to review (审核人), or drafts to submit (录入员)."""
    user, rows = request.user, []
    changelist = reverse("admin:lawbuilding_annualreport_changelist")
    if user.has_perm("lawbuilding.approve_report"):
        submitted = AnnualReport.objects.filter(status=AnnualReport.Status.SUBMITTED)
        rows.append(
            (
                gettext("待审核的年度报告"),
                changelist + "?status__exact=submitted",
                submitted.count(),
            )
        )
    if user.has_perm("lawbuilding.submit_report"):
        drafts = AnnualReport.objects.filter(status=AnnualReport.Status.DRAFT)
        rows.append(
            (gettext("尚未提交的年度报告草稿"), changelist + "?status__exact=draft", drafts.count())
        )
    return rows
