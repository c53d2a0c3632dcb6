"""Handling applications in the admin.

The change form edits what the applicant wrote; every handling step (receipt, 补正,
consultation, extension, decision, reply letter, delivery, closing) goes through the "办理"
page, which calls the step functions of applications/services.py, so the checks, history and
event rows are the same as in the tests. Applicants' personal data is shown and exported only
to users who handle applications (`applications.handle_informationrequest`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications import (
    admin_work_report,  # noqa: F401  (the disclosure work report)
    services,
)
from applications.letters import reply_letter_pdf
from applications.models import (
    Consultation,
    InformationRequest,
    Outcome,
    Remedy,
    RequestEvent,
)
from core.admin import AuditedInline
from dataio.admin import RecordAdmin
from dataio.resources import PortalResource
from publication.admin_review import SecrecyReviewAdminMixin

PERSONAL_FIELDS = (
    "applicant_name",
    "id_document",
    "contact_person",
    "phone",
    "email",
    "address",
)


class InformationRequestResource(PortalResource):
    """Export for handlers: everything. Never imported (applications arrive one by one)."""

    import_allowed = False

    class Meta(PortalResource.Meta):
        model = InformationRequest
        exclude = ("client_hash",)


class AnonymisedInformationRequestResource(PortalResource):
    """Export for roles that do not handle applications: no personal data."""

    import_allowed = False

    class Meta(PortalResource.Meta):
        model = InformationRequest
        exclude = ("client_hash", *PERSONAL_FIELDS, "description")


class ConsultationInline(AuditedInline):
    model = Consultation
    fields = ("kind", "party", "started_on", "reply_due_on", "ended_on", "opinion")
    readonly_fields = fields
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RemedyInline(AuditedInline):
    model = Remedy
    fields = ("kind", "filed_on", "body", "result", "concluded_on", "notes")
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return services.can_handle(request.user) and bool(obj and obj.decided_on)

    def has_change_permission(self, request, obj=None):
        return services.can_handle(request.user)


class RequestEventInline(AuditedInline):
    model = RequestEvent
    fields = ("on", "action", "user", "note", "due_before", "due_after", "at")
    readonly_fields = fields
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeadlineFilter(admin.SimpleListFilter):
    title = _("答复期限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("due_soon", _("5 个工作日内到期")),
            ("overdue", _("已逾期")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due_soon":
            return queryset & services.due_soon(today)
        if self.value() == "overdue":
            return queryset & services.overdue(today)
        return queryset


@admin.register(InformationRequest)
class InformationRequestAdmin(SecrecyReviewAdminMixin, RecordAdmin):
    list_display = (
        "tracking_code",
        "applicant_type",
        "channel",
        "received_on",
        "status",
        "due_column",
        "outcome",
    )
    list_filter = (DeadlineFilter, "status", "applicant_type", "channel", "is_demo")
    search_fields = ("tracking_code",)
    date_hierarchy = "received_on"
    inlines = [ConsultationInline, RemedyInline, RequestEventInline]
    allow_revert = False
    readonly_fields = (
        "tracking_code",
        "status",
        "due_on",
        "deadline_explanation",
        "correction_requested_on",
        "correction_items",
        "correction_due_on",
        "correction_received_on",
        "extension_days",
        "extension_reason",
        "extension_requested_by",
        "extension_approved_by",
        "extension_approved_on",
        "extension_notified_on",
        "outcome",
        "decision_basis",
        "decided_on",
        "decided_by",
        "reply_letter_on",
        "delivered_on",
        "closed_on",
        "submitted_at",
    )

    fieldsets_applicant = (
        _("申请人"),
        {"fields": ("applicant_type", *PERSONAL_FIELDS)},
    )

    def get_fieldsets(self, request, obj=None):
        applicant = ["applicant_type"]
        if services.can_handle(request.user):
            applicant += list(PERSONAL_FIELDS)
        asked = ["delivery_form"]
        if services.can_handle(request.user):
            asked.insert(0, "description")
        receipt = ["channel", "received_on"]
        if obj is None:
            return [
                (_("申请人"), {"fields": applicant}),
                (_("所需信息"), {"fields": asked}),
                (_("收到申请（第三十一条）"), {"fields": receipt}),
            ]
        return [
            (None, {"fields": ["tracking_code", "status", "due_on", "deadline_explanation"]}),
            (_("申请人"), {"fields": applicant}),
            (_("所需信息"), {"fields": asked}),
            (_("收到申请（第三十一条）"), {"fields": [*receipt, "submitted_at"]}),
            (
                _("补正（第三十条）"),
                {
                    "fields": [
                        "correction_requested_on",
                        "correction_items",
                        "correction_due_on",
                        "correction_received_on",
                    ]
                },
            ),
            (
                _("延长答复期限（第三十三条）"),
                {
                    "fields": [
                        "extension_days",
                        "extension_reason",
                        "extension_requested_by",
                        "extension_approved_by",
                        "extension_approved_on",
                        "extension_notified_on",
                    ]
                },
            ),
            (
                _("答复"),
                {
                    "fields": [
                        "outcome",
                        "decision_basis",
                        "decided_on",
                        "decided_by",
                        "reply_letter_on",
                        "secrecy_review_status",
                        "delivered_on",
                        "closed_on",
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["channel", "received_on", "secrecy_review_status"]
        if not services.can_handle(request.user):
            fields += [f for f in (*PERSONAL_FIELDS, "description") if f not in fields]
        return fields

    def get_search_fields(self, request):
        if services.can_handle(request.user):
            return ("tracking_code", "applicant_name", "description")
        return self.search_fields

    def get_resource_classes(self, request):
        if services.can_handle(request.user):
            return [InformationRequestResource]
        return [AnonymisedInformationRequestResource]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and services.can_handle(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # The history pages show every field, personal data included.
        return services.can_handle(
            request.user
        ) and super().has_view_history_or_change_history_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        if not services.can_handle(request.user):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not services.can_handle(request.user):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("答复期限"), ordering="due_on")
    def due_column(self, obj):
        if obj.due_on is None:
            return "—"
        if obj.is_overdue(timezone.localdate()):
            return format_html(
                '<strong class="overdue">{} {}</strong>', obj.due_on, gettext("已逾期")
            )
        return obj.due_on

    @admin.display(description=_("期限计算过程"))
    def deadline_explanation(self, obj):
        deadline, problem = services.explain_deadline(obj)
        if deadline is None:
            return problem
        if deadline.due_on is None:
            return format_html(
                "{}<br>{}", deadline.text.replace("\n", "；"), deadline.reason_unavailable
            )
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} {}：{}</li>",
                ((s.on.isoformat() if s.on else "", s.label, s.detail) for s in deadline.steps),
            ),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Staff register an application received in person or by post (第三十一条).
        obj.tracking_code = services.new_tracking_code()
        obj.status = InformationRequest.Status.REGISTERED
        if obj.received_on is None:
            obj.received_on = timezone.localdate()
        services.register_instance(obj, user=request.user)

    # --- the secrecy review of the reply (《政府信息公开条例》第十七条) -----------------------

    def secrecy_review_unavailable(self, obj) -> str:
        if obj.status != InformationRequest.Status.DECIDED:
            return gettext("作出答复决定后、送达前进行保密审查。")
        return ""

    def secrecy_review_version(self, obj) -> str:
        return services.reply_version(obj)

    def secrecy_review_findings(self, obj):
        return services.reply_findings(obj)

    def secrecy_review_record(self, obj, *, user, acceptances, note):
        return services.record_reply_secrecy_review(
            obj, user=user, acceptances=acceptances, note=note
        )

    # --- the handling page ----------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/handle/",
                self.admin_site.admin_view(self.handle_view),
                name="applications_informationrequest_handle",
            ),
            path(
                "<path:object_id>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="applications_informationrequest_letter",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["handle_url"] = reverse(
            "admin:applications_informationrequest_handle", args=[object_id]
        )
        extra_context["can_handle"] = services.can_handle(request.user)
        extra_context["letter_url"] = reverse(
            "admin:applications_informationrequest_letter", args=[object_id]
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def letter_view(self, request, object_id):
        """The reply letter (告知书) as a PDF; it names the applicant, so handlers only."""
        req = get_object_or_404(InformationRequest, pk=object_id)
        if not services.can_handle(request.user):
            raise PermissionDenied
        if not req.outcome:
            raise Http404(gettext("尚未作出答复决定。"))
        response = HttpResponse(reply_letter_pdf(req), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{req.tracking_code}.pdf"'
        return response

    def handle_view(self, request, object_id):
        req = get_object_or_404(InformationRequest, pk=object_id)
        if not (
            services.can_handle(request.user) or request.user.has_perm(services.DECIDE_PERMISSION)
        ):
            raise PermissionDenied
        form = StepForm(request.POST or None, req=req)
        if request.method == "POST" and form.is_valid():
            try:
                form.run(request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or gettext("您没有办理这一步的权限。"))
            else:
                self.message_user(
                    request,
                    gettext("已办理：%(step)s") % {"step": form.step_label},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:applications_informationrequest_change", args=[req.pk])
                )
        deadline, problem = services.explain_deadline(req)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": req,
            "title": gettext("办理 %(code)s") % {"code": req.tracking_code},
            "form": form,
            "deadline": deadline,
            "deadline_problem": problem,
            "events": req.events.select_related("user"),
        }
        return TemplateResponse(
            request, "admin/applications/informationrequest/handle.html", context
        )


class StepForm(forms.Form):
    """One form for every handling step; `run` calls the matching service function."""

    STEPS = [
        ("confirm_receipt", _("确认收到在线申请")),
        ("request_correction", _("发出补正通知")),
        ("receive_correction", _("收到补正申请")),
        ("start_consultation", _("开始征求意见")),
        ("end_consultation", _("征求意见结束")),
        ("request_extension", _("申请延长答复期限")),
        ("approve_extension", _("批准延长答复期限")),
        ("decide", _("作出答复决定")),
        ("reply_letter", _("出具告知书")),
        ("deliver", _("送达")),
        ("close", _("办结")),
    ]

    step = forms.ChoiceField(label=_("办理步骤"), choices=STEPS)
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)
    text = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("补正事项、延长理由、答复的法律依据和理由或征求意见的结果。"),
    )
    party = forms.CharField(label=_("征求意见对象"), required=False, max_length=200)
    consultation_kind = forms.ChoiceField(
        label=_("征求意见类型"), required=False, choices=[("", "—"), *Consultation.Kind.choices]
    )
    days = forms.IntegerField(label=_("延长工作日数"), required=False, min_value=1, max_value=20)
    due_on = forms.DateField(label=_("补正期限"), required=False)
    outcome = forms.ChoiceField(
        label=_("办理结果"), required=False, choices=[("", "—"), *Outcome.choices]
    )

    def __init__(self, *args, req: InformationRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.req = req

    @property
    def step_label(self) -> str:
        return str(dict(self.STEPS)[self.cleaned_data["step"]])

    def run(self, user) -> None:
        data, req = self.cleaned_data, self.req
        step, on, text = data["step"], data["on"], data["text"]
        if step == "confirm_receipt":
            services.confirm_receipt(req, user=user, received_on=on)
        elif step == "request_correction":
            services.request_correction(req, user=user, on=on, items=text, due_on=data["due_on"])
        elif step == "receive_correction":
            services.receive_correction(req, user=user, on=on)
        elif step == "start_consultation":
            if not data["consultation_kind"] or not data["party"]:
                raise ValidationError(gettext("请选择征求意见类型并填写征求意见对象。"))
            services.start_consultation(
                req, user=user, kind=data["consultation_kind"], party=data["party"], on=on
            )
        elif step == "end_consultation":
            consultation = req.consultations.filter(ended_on__isnull=True).first()
            if consultation is None:
                raise ValidationError(gettext("没有进行中的征求意见。"))
            services.end_consultation(consultation, user=user, on=on, opinion=text)
        elif step == "request_extension":
            services.request_extension(req, user=user, days=data["days"] or 0, reason=text, on=on)
        elif step == "approve_extension":
            services.approve_extension(req, user=user, on=on, notified_on=on)
        elif step == "decide":
            services.decide(req, user=user, outcome=data["outcome"], basis=text, on=on)
        elif step == "reply_letter":
            services.record_reply_letter(req, user=user, on=on)
        elif step == "deliver":
            services.deliver(req, user=user, on=on)
        elif step == "close":
            services.close(req, user=user, on=on)
