"""Admin for the annual disclosure work report (政府信息公开工作年度报告) and its workflow.

The change page shows the report's six parts with the tables in the national format
(国办公开办函〔2021〕30号), the 31 January deadline (《政府信息公开条例》第四十九条), why it may
not yet be submitted (the tables' 勾稽 check, parts left to write), the workflow buttons the
user may press (each posts to a view calling the matching action of
applications.work_report_services, which checks the permission and records the audit entry)
and the audit trail. Parts 一、五、六 and the figures of table 二 are edited while a draft.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applications import work_report
from applications import work_report_services as services
from applications.models import DisclosureWorkReport, DisclosureWorkReportEvent
from core.admin import AuditedAdmin
from core.deadlines import Deadline
from core.files import TamperedFileError
from core.models import Organization
from publication.admin_review import SecrecyReviewAdminMixin

Action = DisclosureWorkReportEvent.Action

ACTION_BUTTONS = {
    Action.SUBMIT: (_("提交审核"), False),
    Action.APPROVE: (_("审核通过"), False),
    Action.RETURN: (_("退回修改"), True),
    Action.PUBLISH: (_("公开发布"), False),
    Action.CORRECT: (_("发起更正（生成新版本）"), True),
}  # action: (label, comment required)

FUNCTIONS = {
    Action.SUBMIT: services.work_report_submit,
    Action.APPROVE: services.work_report_approve,
    Action.RETURN: services.work_report_return,
    Action.PUBLISH: services.work_report_publish,
    Action.CORRECT: services.work_report_start_correction,
}

TEXT_FIELDS = ["title", "overview", "problems", "other_matters"]
FIGURE_FIELDS = [*work_report.ACTIVE_FIELDS, "information_fees"]
WORKFLOW_FIELDS = [
    "status",
    "organization",
    "year",
    "revision",
    "corrects",
    "counted_at",
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


def _messages_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or gettext("没有权限执行该操作。")


class GenerateForm(forms.Form):
    year = forms.IntegerField(
        label=_("报告年度"),
        min_value=2000,
        max_value=2100,
        help_text=_("按该年度的政务公开信息和政府信息公开申请办理记录生成草稿。"),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year >= timezone.localdate().year:
            raise ValidationError(_("只能为已结束的年度起草报告。"), code="year_not_over")
        return year


@admin.register(DisclosureWorkReport)
class DisclosureWorkReportAdmin(SecrecyReviewAdminMixin, AuditedAdmin):
    list_display = ["title", "year", "revision", "status", "deadline_display", "index_display"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    change_form_template = "admin/applications/disclosureworkreport/change_form.html"
    # A revert would bypass the workflow: a report changes through its actions only.
    allow_revert = False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        # A report that was ever submitted is part of the record; drafts may be discarded.
        return super().has_delete_permission(request, obj) and (
            obj is None or (obj.is_editable and not obj.events.exclude(action="create").exists())
        )

    def get_fieldsets(self, request, obj=None):
        return [
            (gettext("一、五、六部分正文"), {"fields": TEXT_FIELDS}),
            (
                gettext("二、主动公开政府信息情况（本机关填报）及信息处理费"),
                {"fields": FIGURE_FIELDS},
            ),
            (gettext("流转信息"), {"fields": WORKFLOW_FIELDS}),
            *([(gettext("保密审查"), {"fields": ["secrecy_review_status"]})] if obj else []),
        ]

    def get_readonly_fields(self, request, obj=None):
        review = ["secrecy_review_status"] if obj is not None else []
        if obj is None or not obj.is_editable:
            return [*TEXT_FIELDS, *FIGURE_FIELDS, *WORKFLOW_FIELDS, *review]
        return [*WORKFLOW_FIELDS, *review]

    # --- the secrecy review before publication (《政府信息公开条例》第十七条) --------------

    def secrecy_review_unavailable(self, obj) -> str:
        if obj.status != DisclosureWorkReport.Status.APPROVED:
            return gettext("报告审核通过（定稿）后才能进行保密审查。")
        return ""

    def secrecy_review_version(self, obj) -> str:
        return services.work_report_secrecy_version(obj)

    def secrecy_review_findings(self, obj):
        return services.work_report_findings(obj)

    def secrecy_review_record(self, obj, *, user, acceptances, note):
        return services.work_report_record_secrecy_review(
            report=obj, user=user, acceptances=acceptances, note=note
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("overview", "problems", "other_matters"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 8, "cols": 100})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- list columns ---------------------------------------------------------------------

    @staticmethod
    def deadline(obj, today=None) -> Deadline:
        return Deadline(
            _("公开"), obj.due_on, obj.first_published_on, today or timezone.localdate()
        )

    @admin.display(description=_("法定期限（1月31日前公开）"))
    def deadline_display(self, obj):
        return str(self.deadline(obj))

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
            path("<int:pk>/recount/", wrap(self.recount_view), name=f"{prefix}_recount"),
            path("<int:pk>/pdf/", wrap(self.pdf_view), name=f"{prefix}_pdf"),
            path("<int:pk>/html/", wrap(self.html_view), name=f"{prefix}_html"),
            *super().get_urls(),
        ]

    def _get(self, request, pk) -> DisclosureWorkReport:
        report = get_object_or_404(
            DisclosureWorkReport.objects.select_related("organization"), pk=pk
        )
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def _change_url(self, report) -> str:
        return reverse("admin:applications_disclosureworkreport_change", args=[report.pk])

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:applications_disclosureworkreport_generate"))

    def generate_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GenerateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = services.work_report_create(
                    year=form.cleaned_data["year"], user=request.user
                )
            except (ValidationError, PermissionDenied, Organization.DoesNotExist) as exc:
                form.add_error("year", _messages_of(exc))
            else:
                messages.success(request, gettext("已按记录生成草稿，请补充正文并核对表二的数据。"))
                return HttpResponseRedirect(self._change_url(report))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("生成政府信息公开工作年度报告草稿"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/applications/disclosureworkreport/generate.html", context
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = DisclosureWorkReport.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if report is not None and self.has_view_permission(request, report):
            allowed = services.work_report_allowed_actions(report=report, user=request.user)
            checking = report.status in (
                DisclosureWorkReport.Status.DRAFT,
                DisclosureWorkReport.Status.SUBMITTED,
            )
            extra_context.update(
                report=report,
                deadline=self.deadline(report),
                buttons=[
                    {
                        "action": action,
                        "label": label,
                        "comment_required": required,
                        "url": reverse(
                            "admin:applications_disclosureworkreport_action",
                            args=[report.pk, action],
                        ),
                    }
                    for action, (label, required) in ACTION_BUTTONS.items()
                    if action in allowed
                ],
                can_recount=Action.RECOUNT in allowed,
                problems=services.work_report_problems(report) if checking else [],
                drift=report.is_editable and work_report.figures_drift(report),
                # The report's parts and tables as they will be printed.
                rendered=work_report.render_html(report, document=False),
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
        try:
            result = FUNCTIONS[action](report=report, user=request.user, comment=comment)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _messages_of(exc))
            return HttpResponseRedirect(self._change_url(report))
        label = ACTION_BUTTONS[action][0]
        messages.success(request, gettext("已%(action)s。") % {"action": label})
        return HttpResponseRedirect(self._change_url(result))

    def recount_view(self, request, pk):
        return require_POST(self._recount)(request, pk)

    def _recount(self, request, pk):
        report = self._get(request, pk)
        try:
            services.work_report_recount(report=report, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, gettext("已按最新办理记录重新统计表三、表四。"))
        return HttpResponseRedirect(self._change_url(report))

    def pdf_view(self, request, pk):
        report = self._get(request, pk)
        try:
            if report.pdf_sha256:
                data = services.work_report_pdf_bytes(report)  # frozen: verified, never rebuilt
            else:
                data = work_report.render_pdf(report)
        except TamperedFileError as exc:
            return HttpResponse(" ".join(exc.messages), status=409, content_type="text/plain")
        response = HttpResponse(data, content_type="application/pdf")
        filename = f"disclosure-report-{report.year}-r{report.revision}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def html_view(self, request, pk):
        return HttpResponse(work_report.render_html(self._get(request, pk)))


@admin.register(DisclosureWorkReportEvent)
class DisclosureWorkReportEventAdmin(AuditedAdmin):
    """The workflow audit trail: read only for everyone."""

    list_display = ["at", "report", "action", "from_status", "to_status", "user", "comment"]
    list_filter = ["action", "report__year"]
    list_select_related = ["report", "user"]
    date_hierarchy = "at"
    search_fields = ["comment", "report__title", "user__username"]
    allow_revert = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
