"""The moderation queue: reviewers accept, reject or mark handled; others cannot."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supervision import moderation
from supervision.models import NoticeComment

pytestmark = pytest.mark.usefixtures("public_site")

CHANGELIST = "/admin/supervision/noticecomment/"


@pytest.fixture
def pending(open_notice):
    return moderation.notice_comment_submit(
        notice=open_notice,
        content="建议公示期延长。",
        name="王小明",
        contact="13800000000",
        source="a" * 64,
    )


def test_reviewer_accepts_a_comment_and_history_names_the_reviewer(pending, comment_reviewer):
    comment = moderation.notice_comment_accept(
        comment=pending, reviewer=comment_reviewer, reply="已收悉。"
    )
    comment.refresh_from_db()
    assert comment.status == NoticeComment.Status.ACCEPTED
    assert comment.handled_by == comment_reviewer and comment.handled_at is not None
    assert comment.reply == "已收悉。"
    latest = comment.history.first()
    assert latest.history_user == comment_reviewer
    assert latest.history_change_reason == "审核采纳并公开"


def test_marking_handled_requires_a_reply_and_changes_nothing_without_one(
    pending, comment_reviewer
):
    with pytest.raises(ValidationError) as excinfo:
        moderation.notice_comment_mark_handled(
            comment=pending, reviewer=comment_reviewer, reply=" "
        )
    assert excinfo.value.code == "reply_required"
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.PENDING


def test_a_comment_is_decided_only_once(pending, comment_reviewer):
    moderation.notice_comment_reject(comment=pending, reviewer=comment_reviewer)
    with pytest.raises(ValidationError) as excinfo:
        moderation.notice_comment_accept(comment=pending, reviewer=comment_reviewer)
    assert excinfo.value.code == "already_moderated"
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.REJECTED


@pytest.mark.parametrize(
    "decide",
    [
        moderation.notice_comment_accept,
        moderation.notice_comment_reject,
        moderation.notice_comment_mark_handled,
    ],
)
def test_data_entry_staff_cannot_moderate_comments(pending, entry_clerk, decide):
    with pytest.raises(PermissionDenied):
        decide(comment=pending, reviewer=entry_clerk, reply="答复")
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.PENDING


def test_anonymous_or_inactive_users_cannot_moderate(pending, comment_reviewer):
    from django.contrib.auth.models import AnonymousUser

    comment_reviewer.is_active = False
    for user in (AnonymousUser(), comment_reviewer, None):
        with pytest.raises(PermissionDenied):
            moderation.notice_comment_accept(comment=pending, reviewer=user)


# --- admin --------------------------------------------------------------------------------


def test_reviewer_sees_the_queue_with_contact_details_for_follow_up(
    client, pending, comment_reviewer
):
    client.force_login(comment_reviewer)
    response = client.get(CHANGELIST + "?status__exact=pending")
    assert response.status_code == 200
    assert "建议公示期延长。" in response.content.decode()
    detail = client.get(f"{CHANGELIST}{pending.pk}/change/").content.decode()
    assert "13800000000" in detail  # internal page: reviewers may need to call back


def test_reviewer_accepts_selected_comments_through_the_admin_action(
    client, pending, comment_reviewer
):
    client.force_login(comment_reviewer)
    response = client.post(
        CHANGELIST, {"action": "accept_selected", "_selected_action": [pending.pk]}, follow=True
    )
    assert "已采纳并公开 1 条意见。" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.ACCEPTED
    assert pending.history.first().history_user == comment_reviewer


def test_reviewer_rejects_through_the_admin_action(client, pending, comment_reviewer):
    client.force_login(comment_reviewer)
    client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.REJECTED


def test_mark_handled_action_asks_for_the_reply_first(client, pending, comment_reviewer):
    client.force_login(comment_reviewer)
    data = {"action": "mark_handled_selected", "_selected_action": [pending.pk]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert 'name="reply"' in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.PENDING

    empty = client.post(CHANGELIST, {**data, "apply": "1", "reply": ""})
    assert "标记为已办理时必须填写答复。" in empty.content.decode()
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.PENDING

    done = client.post(
        CHANGELIST, {**data, "apply": "1", "reply": "已转有关单位核实。"}, follow=True
    )
    assert "已将 1 条意见标记为已办理。" in done.content.decode()
    pending.refresh_from_db()
    assert (pending.status, pending.reply) == (NoticeComment.Status.HANDLED, "已转有关单位核实。")


def test_reviewer_decides_one_comment_on_its_moderation_page(client, pending, comment_reviewer):
    client.force_login(comment_reviewer)
    url = f"{CHANGELIST}{pending.pk}/moderate/"
    assert "建议公示期延长。" in client.get(url).content.decode()
    refused = client.post(url, {"decision": "handled", "reply": ""})
    assert "标记为已办理时必须填写答复。" in refused.content.decode()
    response = client.post(url, {"decision": "accept", "reply": "感谢。"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.reply) == (NoticeComment.Status.ACCEPTED, "感谢。")
    again = client.post(url, {"decision": "reject", "reply": ""})
    assert "不能重复审核" in again.content.decode()
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.ACCEPTED


def test_data_entry_staff_cannot_use_the_moderation_actions_or_page(client, pending, entry_clerk):
    client.force_login(entry_clerk)
    assert client.get(CHANGELIST).status_code == 200  # may read the queue
    client.post(CHANGELIST, {"action": "accept_selected", "_selected_action": [pending.pk]})
    assert client.get(f"{CHANGELIST}{pending.pk}/moderate/").status_code == 403
    assert (
        client.post(f"{CHANGELIST}{pending.pk}/moderate/", {"decision": "accept"}).status_code
        == 403
    )
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.PENDING


def test_change_form_is_read_only_so_no_decision_bypasses_the_rules(
    client, pending, comment_reviewer
):
    client.force_login(comment_reviewer)
    response = client.post(f"{CHANGELIST}{pending.pk}/change/", {"status": "accepted"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == NoticeComment.Status.PENDING
    assert client.get(CHANGELIST + "add/").status_code == 403


def test_anonymous_visitor_cannot_reach_the_queue(client, pending):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
