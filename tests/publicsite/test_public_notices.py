"""Honorary-citizen notices: nominees, the notice period, and citizens' comments."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from supervision import moderation
from supervision.models import HonoraryCitizenNotice, Nominee, NoticeComment
from tests.publication_gate import publish_notice

pytestmark = pytest.mark.usefixtures("public_site")

NOTICE_URL = "/notices/18/"


def post_comment(client, **fields):
    data = {"content": "支持授予。", "name": "", "contact": "", "nominee": "", "website": ""}
    data.update(fields)
    return client.post(NOTICE_URL, data)


def make_notice(batch: int, start_offset: int, end_offset: int) -> HonoraryCitizenNotice:
    today = timezone.localdate()
    notice = HonoraryCitizenNotice.objects.create(
        batch=batch,
        title=f"第{batch}批荣誉市民公示",
        notice_start=today + datetime.timedelta(days=start_offset),
        notice_end=today + datetime.timedelta(days=end_offset),
    )
    return publish_notice(notice)


def test_notice_list_shows_each_notice_with_its_period_and_state(client, open_notice):
    make_notice(17, -400, -390)
    html = client.get("/notices/").content.decode()
    assert open_notice.title in html
    assert "公示中" in html and "已结束" in html
    assert (
        f"公示期：{open_notice.notice_start:%Y-%m-%d} 至 {open_notice.notice_end:%Y-%m-%d}" in html
    )
    assert "候选人 7 名" in html


def test_notice_page_lists_the_nominees_and_the_notice_period(client, open_notice):
    html = client.get(NOTICE_URL).content.decode()
    for nominee in open_notice.nominees.all():
        assert nominee.name in html
        assert nominee.nationality in html
    assert f"{open_notice.notice_start:%Y-%m-%d} 至 {open_notice.notice_end:%Y-%m-%d}" in html
    assert 'name="content"' in html and 'name="csrfmiddlewaretoken"' in html


def test_unknown_notice_batch_is_the_styled_404(client, open_notice):
    for url in ("/notices/99/", "/notices/99999999999999999999999/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "您访问的页面不存在" in response.content.decode()


def test_citizen_comment_is_acknowledged_and_queued_unpublished(client, open_notice):
    response = post_comment(
        client,
        content="建议核实第三位候选人的在常工作年限。",
        name="王小明",
        contact="13800000000",
        nominee=str(open_notice.nominees.get(name="John Doe").pk),
    )
    assert response.status_code == 302
    assert response["Location"] == "/notices/18/received/"
    ack = client.get(response["Location"]).content.decode()
    assert "意见已收到" in ack
    comment = NoticeComment.objects.get()
    assert comment.status == NoticeComment.Status.PENDING
    assert comment.nominee.name == "John Doe"
    assert (comment.name, comment.contact) == ("王小明", "13800000000")
    assert len(comment.client_hash) == 64 and "127.0.0.1" not in comment.client_hash
    assert "建议核实第三位候选人" not in client.get(NOTICE_URL).content.decode()


def test_accepted_comment_appears_publicly_without_name_or_contact(
    client, open_notice, comment_reviewer
):
    post_comment(
        client,
        content="完全支持，这几位为常州做了很多实事。",
        name="王小明",
        contact="wxm@example.invalid",
    )
    comment = NoticeComment.objects.get()
    moderation.notice_comment_accept(comment=comment, reviewer=comment_reviewer, reply="感谢支持。")
    for url in (NOTICE_URL, "/notices/", "/", "/disclosure/", "/disclosure/feed/"):
        html = client.get(url).content.decode()
        assert "王小明" not in html
        assert "wxm@example.invalid" not in html
        assert comment.client_hash not in html
    html = client.get(NOTICE_URL).content.decode()
    assert "完全支持，这几位为常州做了很多实事。" in html
    assert "感谢支持。" in html


def test_rejected_and_handled_comments_never_appear_publicly(client, open_notice, comment_reviewer):
    post_comment(client, content="广告：低价代办")
    post_comment(client, content="异议：某候选人资料有误")
    spam, objection = NoticeComment.objects.order_by("pk")
    moderation.notice_comment_reject(comment=spam, reviewer=comment_reviewer)
    moderation.notice_comment_mark_handled(
        comment=objection, reviewer=comment_reviewer, reply="经核实，资料无误。"
    )
    html = client.get(NOTICE_URL).content.decode()
    assert "低价代办" not in html and "资料有误" not in html and "经核实" not in html


def test_script_in_a_comment_is_stored_as_text_and_shown_escaped(
    client, open_notice, comment_reviewer
):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post_comment(client, content=payload)
    comment = NoticeComment.objects.get()
    assert comment.content == payload
    moderation.notice_comment_accept(comment=comment, reviewer=comment_reviewer)
    html = client.get(NOTICE_URL).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")' not in html
    assert "<img src=x" not in html


def test_empty_comment_is_refused_with_a_chinese_message_and_nothing_stored(client, open_notice):
    response = post_comment(client, content="   ")
    assert response.status_code == 400
    assert "请填写意见内容。" in response.content.decode()
    assert not NoticeComment.objects.exists()


def test_oversize_comment_is_refused_with_a_clear_message_and_nothing_stored(client, open_notice):
    response = post_comment(client, content="长" * 2001)
    assert response.status_code == 400
    assert "意见内容不能超过 2000 字（现为 2001 字）。" in response.content.decode()
    assert not NoticeComment.objects.exists()


def test_comment_of_exactly_2000_characters_with_crlf_line_breaks_is_accepted(client, open_notice):
    # 999 breaks sent as CRLF are 999 characters once normalised: 1001 + 999 = 2000.
    content = "\r\n".join(["字"] * 1000) + "字"
    assert post_comment(client, content=content).status_code == 302
    assert len(NoticeComment.objects.get().content) == 2000


def test_too_long_name_or_contact_is_refused_and_nothing_stored(client, open_notice):
    response = post_comment(client, name="名" * 51, contact="1" * 101)
    assert response.status_code == 400
    html = response.content.decode()
    assert "姓名不能超过 50 个字。" in html and "联系方式不能超过 100 个字。" in html
    assert not NoticeComment.objects.exists()


def test_nominee_of_another_notice_is_refused_and_nothing_stored(client, open_notice):
    other = make_notice(19, -1, 3)
    stranger = Nominee.objects.create(
        notice=other, name="Someone Else", nationality="法国", employer="某公司", contribution="x"
    )
    response = post_comment(client, nominee=str(stranger.pk))
    assert response.status_code == 400
    assert "请选择本批公示中的候选人。" in response.content.decode()
    assert not NoticeComment.objects.exists()


def test_too_frequent_submissions_are_refused_with_a_clear_message(client, open_notice, settings):
    settings.FAO_COMMENT_RATE_LIMIT = 3
    for number in range(3):
        assert post_comment(client, content=f"第{number}条").status_code == 302
    response = post_comment(client, content="第四条")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert NoticeComment.objects.count() == 3
    assert not NoticeComment.objects.filter(content="第四条").exists()


def test_rate_limit_counts_per_address_not_for_everyone(client, open_notice, settings):
    settings.FAO_COMMENT_RATE_LIMIT = 1
    assert post_comment(client, content="甲").status_code == 302
    assert post_comment(client, content="乙").status_code == 429
    other = Client(REMOTE_ADDR="10.1.2.3")
    response = other.post(
        NOTICE_URL, {"content": "丙", "name": "", "contact": "", "nominee": "", "website": ""}
    )
    assert response.status_code == 302
    assert sorted(NoticeComment.objects.values_list("content", flat=True)) == ["丙", "甲"]


def test_stored_comments_limit_the_rate_even_when_the_cache_was_emptied(
    client, open_notice, settings
):
    # Several workers or a cache flush must not reopen the door: the stored rows count too.
    from django.core.cache import cache

    settings.FAO_COMMENT_RATE_LIMIT = 2
    post_comment(client, content="一")
    post_comment(client, content="二")
    cache.clear()
    assert post_comment(client, content="三").status_code == 429
    assert NoticeComment.objects.count() == 2


def test_honeypot_submission_looks_accepted_but_nothing_is_stored(client, open_notice):
    response = post_comment(client, website="http://spam.example")
    assert response.status_code == 302
    assert not NoticeComment.objects.exists()


def test_comment_form_needs_the_csrf_token(open_notice):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(NOTICE_URL, {"content": "没有令牌"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert not NoticeComment.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(2, 8, "公示尚未开始"), (-10, -1, "公示已于")],
    ids=["before-start", "after-end"],
)
def test_form_is_closed_outside_the_notice_period(client, db, start, end, message):
    notice = make_notice(18, start, end)
    html = client.get(NOTICE_URL).content.decode()
    assert message in html
    assert 'name="content"' not in html
    response = client.post(NOTICE_URL, {"content": "来晚了"})
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not NoticeComment.objects.filter(notice=notice).exists()


def test_service_refuses_a_closed_notice_even_without_the_form(db):
    notice = make_notice(18, -10, -1)
    with pytest.raises(ValidationError) as excinfo:
        moderation.notice_comment_submit(notice=notice, content="绕过表单", source="x" * 64)
    assert excinfo.value.code == "notice_closed"
    assert not NoticeComment.objects.exists()
