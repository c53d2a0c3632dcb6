"""The reviewer's page for the secrecy review of one record, shared by every publication path.

《政府信息公开条例》第十七条: what is about to be disclosed is checked before it goes out. The
page lists the personal-data findings of what would be published (masked, with where each
is), lets the reviewer accept a finding with a reason (《个人信息保护法》: a published hotline,
a contact the person agreed to publish) and confirm "经保密审查，可以公开" for the current
version. The recording itself is the domain app's service function, so the admin, the tests
and the management commands go through the same checks.

A ModelAdmin uses `SecrecyReviewAdminMixin` and implements:

- `secrecy_review_version(obj)`: the version the review covers;
- `secrecy_review_findings(obj)`: the scan of what would be published;
- `secrecy_review_record(obj, *, user, acceptances, note)`: the service call;
- optionally `secrecy_review_unavailable(obj)`: why the record cannot be reviewed yet.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publication.models import SECRECY_STATEMENT
from publication.review import (
    REVIEW_PERMISSION,
    accept_finding,
    acceptances_for,
    latest_secrecy_review,
    unresolved,
)


class SecrecyReviewForm(forms.Form):
    """A reason field for each finding not yet accepted, the note and the statement."""

    confirm = forms.BooleanField(label=SECRECY_STATEMENT, required=True)
    note = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, open_findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_findings = list(open_findings)
        for index, finding in enumerate(self.open_findings):
            self.fields[f"reason_{index}"] = forms.CharField(
                label=str(finding),
                required=False,
                max_length=500,
                help_text=_("确认保留时填写理由（如“本机关公开的值班电话”）；否则请先删除。"),
            )

    def reasons(self):
        """(finding, reason) for each finding given a reason."""
        return [
            (finding, self.cleaned_data.get(f"reason_{index}", "").strip())
            for index, finding in enumerate(self.open_findings)
            if self.cleaned_data.get(f"reason_{index}", "").strip()
        ]


class SecrecyReviewAdminMixin:
    """Adds the secrecy review page (`<id>/secrecy-review/`), a "保密审查" section on the
    change form showing the latest review and whether it covers the current version, and a
    list action opening the page for the selected record."""

    secrecy_review_template = "admin/publication/secrecy_review.html"

    # --- to implement -----------------------------------------------------------------

    def secrecy_review_version(self, obj) -> str:
        raise NotImplementedError

    def secrecy_review_findings(self, obj):
        raise NotImplementedError

    def secrecy_review_record(self, obj, *, user, acceptances, note):
        raise NotImplementedError

    def secrecy_review_unavailable(self, obj) -> str:
        return ""

    # --- the page ---------------------------------------------------------------------

    def _secrecy_url_name(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_secrecy_review"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/secrecy-review/",
                self.admin_site.admin_view(self.secrecy_review_view),
                name=self._secrecy_url_name(),
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.has_perm(REVIEW_PERMISSION):
            actions["secrecy_review"] = (
                SecrecyReviewAdminMixin.secrecy_review_action,
                "secrecy_review",
                _("保密审查（经保密审查，可以公开）"),
            )
        return actions

    def secrecy_review_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("请只选择一条记录进行保密审查。"), messages.WARNING)
            return None
        obj = queryset.first()
        return redirect(reverse(f"admin:{self._secrecy_url_name()}", args=[obj.pk]))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "secrecy_review_status"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        cleaned = [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f != "secrecy_review_status"],
                },
            )
            for name, options in fieldsets
        ]
        return [*cleaned, (_("保密审查"), {"fields": ["secrecy_review_status"]})]

    @admin.display(description=_("保密审查"))
    def secrecy_review_status(self, obj) -> str:
        url = reverse(f"admin:{self._secrecy_url_name()}", args=[obj.pk])
        review = latest_secrecy_review(obj)
        if review is None:
            state = gettext("尚未进行保密审查，不能公开。")
        else:
            current = review.version == self.secrecy_review_version(obj)
            state = gettext("%(statement)s（%(who)s，%(when)s，版本 %(version)s）%(stale)s") % {
                "statement": review.statement,
                "who": review.reviewer,
                "when": f"{review.reviewed_at:%Y-%m-%d %H:%M}",
                "version": review.version[:12],
                "stale": "" if current else gettext("；内容已改动，须重新审查"),
            }
        return format_html('{} <a href="{}">{}</a>', state, url, gettext("保密审查"))

    def secrecy_review_view(self, request, object_id):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[obj.pk],
        )
        unavailable = self.secrecy_review_unavailable(obj)
        findings, scan_error = [], ""
        if not unavailable:
            try:
                findings = self.secrecy_review_findings(obj)
            except ValidationError as exc:
                scan_error = " ".join(exc.messages)
        accepted = acceptances_for(obj)
        open_findings = unresolved(findings, accepted)
        form = SecrecyReviewForm(request.POST or None, open_findings=open_findings)
        if request.method == "POST" and not unavailable and not scan_error and form.is_valid():
            try:
                with transaction.atomic():
                    acceptances = [
                        accept_finding(
                            finding=finding, user=request.user, reason=reason, target=obj
                        )
                        for finding, reason in form.reasons()
                    ]
                    self.secrecy_review_record(
                        obj,
                        user=request.user,
                        acceptances=acceptances,
                        note=form.cleaned_data["note"],
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or gettext("您没有进行保密审查的权限。"))
            else:
                self.message_user(
                    request,
                    gettext("已记录：%(statement)s") % {"statement": SECRECY_STATEMENT},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": gettext("保密审查：%(record)s") % {"record": obj},
            "form": form,
            "findings": findings,
            "open_findings": open_findings,
            "accepted": accepted,
            "unavailable": unavailable,
            "scan_error": scan_error,
            "version": "" if unavailable else self.secrecy_review_version(obj),
            "latest": latest_secrecy_review(obj),
            "change_url": change_url,
            "may_review": request.user.has_perm(REVIEW_PERMISSION),
        }
        return TemplateResponse(request, self.secrecy_review_template, context)
