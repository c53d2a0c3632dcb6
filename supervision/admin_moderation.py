"""Admin for the moderation of citizens' comments on notices.

The queue is the NoticeComment change list. Reviewers decide through the actions here or the
per-comment 审核 page; both call supervision/moderation.py, which checks the permission,
refuses a second decision and records history. The change form itself is read-only so no
decision can bypass those rules.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_tasks import register_awaiting
from accounts.roles import CHANGE_NOTICE_COMMENT
from core.admin_history import ReadableHistoryMixin
from core.history_admin import ReadOnlyHistoryAdmin
from supervision import moderation
from supervision.models import NoticeComment

DECISIONS = {
    "accept": moderation.notice_comment_accept,
    "reject": moderation.notice_comment_reject,
    "handled": moderation.notice_comment_mark_handled,
}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核决定"),
        choices=[
            ("accept", _("采纳并公开（仅公开意见内容和答复）")),
            ("reject", _("不予公开")),
            ("handled", _("已办理（须填写答复，不公开）")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核决定。")},
    )
    reply = forms.CharField(
        label=_("答复"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("采纳时答复随意见一并公开；标记为已办理时必须填写。"),
        error_messages={"max_length": _("答复不能超过 %(limit_value)d 字。")},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "handled" and not (data.get("reply") or "").strip():
            self.add_error(
                "reply", ValidationError(_("标记为已办理时必须填写答复。"), code="reply_required")
            )
        return data


class HandledReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("答复"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        error_messages={
            "required": _("标记为已办理时必须填写答复。"),
            "max_length": _("答复不能超过 %(limit_value)d 字。"),
        },
    )


@admin.register(NoticeComment)
class NoticeCommentAdmin(ReadableHistoryMixin, ReadOnlyHistoryAdmin):
    list_display = [
        "submitted_at",
        "notice",
        "nominee",
        "excerpt",
        "status",
        "handled_by",
        "handled_at",
        "moderate_link",
    ]
    list_filter = ["status", "notice"]
    list_select_related = ["notice", "nominee", "handled_by"]
    search_fields = ["content", "reply"]
    date_hierarchy = "submitted_at"
    ordering = ["-submitted_at"]
    actions = ["accept_selected", "reject_selected", "mark_handled_selected"]
    fields = [
        "notice",
        "nominee",
        "content",
        "name",
        "contact",
        "submitted_at",
        "status",
        "reply",
        "handled_by",
        "handled_at",
        "moderate_link",
    ]
    readonly_fields = fields

    @admin.display(description=_("意见内容"))
    def excerpt(self, obj: NoticeComment) -> str:
        return Truncator(obj.content).chars(40)

    @admin.display(description=_("审核"))
    def moderate_link(self, obj: NoticeComment) -> str:
        if obj.pk is None or obj.status != NoticeComment.Status.PENDING:
            return "—"
        url = reverse("admin:supervision_noticecomment_moderate", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("审核"))

    # Citizens submit on the public site; nothing is added here.
    def has_add_permission(self, request) -> bool:
        return False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # Decisions go through the 审核 page so the moderation rules always apply.
            raise PermissionDenied
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/moderate/",
                self.admin_site.admin_view(self.moderate_view),
                name="supervision_noticecomment_moderate",
            )
        ]
        return custom + super().get_urls()

    def moderate_view(self, request, pk: int):
        if not moderation.can_moderate(request.user):
            raise PermissionDenied
        comment = get_object_or_404(NoticeComment.objects.select_related("notice"), pk=pk)
        form = ModerationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decide = DECISIONS[form.cleaned_data["decision"]]
            try:
                decide(comment=comment, reviewer=request.user, reply=form.cleaned_data["reply"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, gettext("审核结果已保存。"), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:supervision_noticecomment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("审核公示意见"),
            "comment": comment,
            "form": form,
        }
        return TemplateResponse(request, "supervision/admin/moderate_comment.html", context)

    def _apply(self, request, queryset, decide, reply: str, done_message: str) -> None:
        done, refused = 0, []
        for comment in queryset:
            try:
                decide(comment=comment, reviewer=request.user, reply=reply)
            except ValidationError as exc:
                refused.append(" ".join(exc.messages))
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        for message in sorted(set(refused)):
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("采纳并公开所选意见"), permissions=["change"])
    def accept_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            moderation.notice_comment_accept,
            "",
            gettext("已采纳并公开 %(n)d 条意见。"),
        )

    @admin.action(description=_("所选意见不予公开"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            moderation.notice_comment_reject,
            "",
            gettext("已将 %(n)d 条意见设为不予公开。"),
        )

    @admin.action(description=_("将所选意见标记为已办理（填写答复）"), permissions=["change"])
    def mark_handled_selected(self, request, queryset):
        form = HandledReplyForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply(
                request,
                queryset,
                moderation.notice_comment_mark_handled,
                form.cleaned_data["reply"],
                gettext("已将 %(n)d 条意见标记为已办理。"),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("标记为已办理"),
            "comments": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "supervision/admin/handle_comments.html", context)


@register_awaiting
def comments_awaiting(request) -> list[tuple[str, str, int]]:
    """Citizens' comments waiting for moderation (moderating is changing them)."""
    if not request.user.has_perm(CHANGE_NOTICE_COMMENT):
        return []
    pending = NoticeComment.objects.filter(status=NoticeComment.Status.PENDING).count()
    url = reverse("admin:supervision_noticecomment_changelist") + "?status__exact=pending"
    return [(gettext("待审核的公示意见"), url, pending)]
