"""Disclosure items go through review (《政府信息公开条例》第十七条): data entry drafts and
submits, the reviewer approves and publishes, nobody publishes what they submitted
(superusers included); the index number is allocated at publication; a published item is
never edited in place: a correction is a new revision, and the old item's page says it was
revised (国办发〔2017〕47号), as it says when an item is repealed or has expired."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from disclosure import services
from disclosure.models import DisclosureItem
from publication.review import record_secrecy_review
from tests.publication_files import pdf_bytes
from tests.publication_gate import gate_reviewer, review_item

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _form(office, **changes) -> dict:
    values = {
        "organization": office.pk,
        "title": "关于开展外事法治宣传的通知",
        "category": DisclosureItem.Category.NOTICES,
        "method": DisclosureItem.Method.PROACTIVE,
        "document_number": "",
        "publisher": "市外事办",
        "generated_on": "2024-03-01",
        "expires_on": "",
        "interpretation": "",
        "summary": "外事法治宣传",
        "body": "正文。",
        # Fields a clerk might try to smuggle in: the form has none of them.
        "index_number": "014109568/2024-00001",
        "published_on": "2024-03-01",
        "status": "published",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    values.update(changes)
    return values


def _draft(office, user, **fields) -> DisclosureItem:
    values = {
        "organization": office,
        "title": "关于开展外事法治宣传的通知",
        "category": DisclosureItem.Category.NOTICES,
        "publisher": "市外事办",
        "generated_on": D(2024, 3, 1),
        "summary": "外事法治宣传",
        "body": "正文。",
        **fields,
    }
    item = DisclosureItem(**values)
    item._history_user = user
    item.full_clean()
    item.save()
    return item


def _published(office, clerk, reviewer, **fields) -> DisclosureItem:
    item = _draft(office, clerk, **fields)
    services.disclosure_submit(item=item, user=clerk)
    review_item(item, reviewer)
    return services.disclosure_approve_publish(item=item, user=reviewer, on=D(2024, 3, 4))


def _is_public(item) -> bool:
    return DisclosureItem.objects.public().filter(pk=item.pk).exists()


def test_a_clerk_posting_the_add_page_creates_a_draft_only(
    client, public_site, public_office, data_entry_user
):
    client.force_login(data_entry_user)
    response = client.post(reverse("admin:disclosure_disclosureitem_add"), _form(public_office))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = DisclosureItem.objects.get()
    assert item.status == DisclosureItem.Status.DRAFT
    assert item.index_number is None and item.published_on is None
    assert not _is_public(item)
    assert "外事法治宣传" not in client.get("/disclosure/").content.decode()
    assert "外事法治宣传" not in client.get("/disclosure/feed/").content.decode()


def test_a_clerk_cannot_change_a_published_item(
    client, public_site, seed_disclosure, data_entry_user
):
    client.force_login(data_entry_user)
    url = reverse("admin:disclosure_disclosureitem_change", args=[seed_disclosure.pk])
    response = client.post(url, _form(seed_disclosure.organization, title="改写的标题"))
    assert response.status_code == 403
    seed_disclosure.refresh_from_db()
    assert seed_disclosure.title != "改写的标题"


def test_a_clerk_cannot_change_the_annual_reports_item(
    client, public_site, public_office, data_entry_user
):
    pdf = pdf_bytes(["报告正文。"])
    # The annual report's own workflow records the secrecy review its publication needs.
    review = record_secrecy_review(target=public_office, version="v1", user=gate_reviewer())
    item = services.disclosure_publish_document(
        organization=public_office,
        title="2023年度法治政府建设情况报告",
        summary="2023年度报告",
        body="报告正文。",
        generated_on=D(2024, 3, 1),
        published_on=D(2024, 3, 2),
        file_title="报告全文.pdf",
        file_bytes=pdf,
        file_sha256=hashlib.sha256(pdf).hexdigest(),
        secrecy_review_of=(public_office, review.version),
    )
    assert item.status == DisclosureItem.Status.PUBLISHED and _is_public(item)
    client.force_login(data_entry_user)
    url = reverse("admin:disclosure_disclosureitem_change", args=[item.pk])
    response = client.post(url, _form(public_office, title="改写的报告"))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "2023年度法治政府建设情况报告"


def test_the_reviewer_publishes_a_clerks_submission_with_an_allocated_index_number(
    client, public_site, public_office, data_entry_user, reviewer_user
):
    item = _draft(public_office, data_entry_user)
    client.force_login(data_entry_user)
    submit = reverse("admin:disclosure_disclosureitem_workflow", args=[item.pk, "publish"])
    client.post(submit)  # the clerk has no publish permission
    item.refresh_from_db()
    assert item.status == DisclosureItem.Status.DRAFT
    client.post(reverse("admin:disclosure_disclosureitem_workflow", args=[item.pk, "submit"]))
    item.refresh_from_db()
    assert item.status == DisclosureItem.Status.SUBMITTED and not _is_public(item)
    client.force_login(reviewer_user)
    change = client.get(reverse("admin:disclosure_disclosureitem_change", args=[item.pk]))
    assert "审核通过并发布" in change.content.decode()
    review_item(item, reviewer_user)  # 经保密审查，可以公开 (the secrecy review page)
    client.post(reverse("admin:disclosure_disclosureitem_workflow", args=[item.pk, "publish"]))
    item.refresh_from_db()
    year = item.published_on.year
    assert item.status == DisclosureItem.Status.PUBLISHED
    assert item.index_number == f"014109568/{year}-00001"
    assert item.published_by == reviewer_user and item.submitted_by == data_entry_user
    assert _is_public(item)
    assert item.index_number in client.get("/disclosure/").content.decode()
    assert item.history.first().history_user == reviewer_user


def test_the_reviewer_may_return_a_submission_with_a_reason(
    public_office, data_entry_user, reviewer_user
):
    item = _draft(public_office, data_entry_user)
    services.disclosure_submit(item=item, user=data_entry_user)
    item = services.disclosure_return(item=item, user=reviewer_user, comment="请补充正文")
    assert item.status == DisclosureItem.Status.DRAFT
    assert "请补充正文" in item.history.first().history_change_reason


def test_nobody_publishes_what_they_submitted_superusers_included(
    public_office, django_user_model, administrator_user
):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.cn", "x-Long-pass-1")
    for user in (boss, administrator_user):
        item = _draft(public_office, user, title=f"{user.username}的信息")
        services.disclosure_submit(item=item, user=user)
        with pytest.raises(PermissionDenied, match="不能审核发布自己提交的信息"):
            review_item(item, user)
            services.disclosure_approve_publish(item=item, user=user)
        item.refresh_from_db()
        assert item.status == DisclosureItem.Status.SUBMITTED and item.index_number is None
        assert "publish" not in services.disclosure_allowed_actions(item=item, user=user)


def test_a_correction_is_a_revision_and_the_old_page_says_revised(
    client, public_site, public_office, data_entry_user, reviewer_user
):
    old = _published(public_office, data_entry_user, reviewer_user)
    revision = services.disclosure_start_revision(item=old, user=data_entry_user)
    assert revision.supersedes == old and revision.status == DisclosureItem.Status.DRAFT
    revision.title = "关于开展外事法治宣传的通知（修订）"
    revision.generated_on = D(2024, 3, 20)
    revision.save()
    old.refresh_from_db()
    assert old.validity() == DisclosureItem.Validity.VALID  # until the revision is published
    services.disclosure_submit(item=revision, user=data_entry_user)
    review_item(revision, reviewer_user)
    revision = services.disclosure_approve_publish(
        item=revision, user=reviewer_user, on=D(2024, 4, 1)
    )
    old.refresh_from_db()
    assert old.validity() == DisclosureItem.Validity.REVISED
    assert old.revised_on == D(2024, 4, 1) and old.superseded_by == revision
    assert revision.index_number != old.index_number
    html = client.get(old.get_absolute_url()).content.decode()
    assert "本文件已于2024-04-01修订" in html and "现行版本" in html
    assert revision.get_absolute_url() in html
    assert "已修订" in html  # the seed page's 废止日期 field


def test_the_catalogue_filters_each_validity_state(
    client, public_site, public_office, data_entry_user, reviewer_user
):
    valid = _published(public_office, data_entry_user, reviewer_user, title="现行有效的通知")
    revised = _published(public_office, data_entry_user, reviewer_user, title="被修订的通知")
    revision = services.disclosure_start_revision(item=revised, user=data_entry_user)
    revision.title = "修订后的通知"
    revision.generated_on = D(2024, 3, 20)
    revision.save()
    services.disclosure_submit(item=revision, user=data_entry_user)
    review_item(revision, reviewer_user)
    services.disclosure_approve_publish(item=revision, user=reviewer_user, on=D(2024, 4, 1))
    repealed = _published(public_office, data_entry_user, reviewer_user, title="被废止的通知")
    services.disclosure_repeal(
        item=repealed, on=D(2024, 5, 1), reason="上位法修改", user=reviewer_user
    )
    expired = _published(
        public_office,
        data_entry_user,
        reviewer_user,
        title="已到期的通知",
        expires_on=D(2024, 6, 1),
    )
    expected = {
        "valid": {valid.title, "修订后的通知"},
        "revised": {revised.title},
        "repealed": {repealed.title},
        "expired": {expired.title},
    }
    for state, titles in expected.items():
        html = client.get("/disclosure/", {"validity": state}).content.decode()
        for title in {valid.title, revised.title, repealed.title, expired.title, "修订后的通知"}:
            assert (title in html) == (title in titles), (state, title)
    assert "本文件已于2024-06-01失效" in client.get(expired.get_absolute_url()).content.decode()
    assert client.get("/disclosure/", {"validity": "nonsense"}).status_code == 400


def test_repeal_through_the_service_records_date_user_and_reason(
    client, public_site, public_office, data_entry_user, reviewer_user
):
    item = _published(public_office, data_entry_user, reviewer_user)
    with pytest.raises(PermissionDenied):
        services.disclosure_repeal_checked(
            item=item, user=data_entry_user, on=D(2024, 5, 1), reason="x"
        )
    services.disclosure_repeal(item=item, on=D(2024, 5, 1), reason="上位法修改", user=reviewer_user)
    item.refresh_from_db()
    assert (item.repealed_on, item.repeal_reason, item.repealed_by) == (
        D(2024, 5, 1),
        "上位法修改",
        reviewer_user,
    )
    assert item.validity() == DisclosureItem.Validity.REPEALED
    html = client.get(item.get_absolute_url()).content.decode()
    assert "本文件已于2024-05-01废止" in html


def test_the_seed_page_shows_valid_while_in_force(client, public_site, seed_disclosure):
    html = client.get(seed_disclosure.get_absolute_url()).content.decode()
    assert "有效" in html and "本文件已于" not in html


def test_a_policy_without_interpretation_warns_the_reviewer(
    client, public_site, public_office, data_entry_user, reviewer_user
):
    policy = _draft(public_office, data_entry_user, title="外事工作管理办法", category="rules")
    assert services.disclosure_policy_warnings(policy)
    services.disclosure_submit(item=policy, user=data_entry_user)
    client.force_login(reviewer_user)
    page = client.get(reverse("admin:disclosure_disclosureitem_change", args=[policy.pk]))
    assert "政策解读" in page.content.decode() and "国办发〔2017〕47号" in page.content.decode()
    # A warning, not a refusal: the reviewer may still publish.
    review_item(policy, reviewer_user)
    response = client.post(
        reverse("admin:disclosure_disclosureitem_workflow", args=[policy.pk, "publish"]),
        follow=True,
    )
    policy.refresh_from_db()
    assert policy.status == DisclosureItem.Status.PUBLISHED
    assert "尚未关联政策解读" in response.content.decode()


def test_a_policy_and_its_interpretation_link_to_each_other(
    client, public_site, public_office, data_entry_user, reviewer_user
):
    reading = _published(
        public_office, data_entry_user, reviewer_user, title="《外事工作管理办法》解读",
        category="interpretation",
    )  # fmt: skip
    policy = _published(
        public_office, data_entry_user, reviewer_user, title="外事工作管理办法",
        category="rules", interpretation=reading,
    )  # fmt: skip
    assert not services.disclosure_policy_warnings(policy)
    assert reading.get_absolute_url() in client.get(policy.get_absolute_url()).content.decode()
    assert policy.get_absolute_url() in client.get(reading.get_absolute_url()).content.decode()


def test_awaiting_counts_for_reviewer_and_clerk(rf, public_office, data_entry_user, reviewer_user):
    from disclosure.admin import disclosure_items_awaiting

    item = _draft(public_office, data_entry_user)
    services.disclosure_submit(item=item, user=data_entry_user)
    request = rf.get("/admin/")
    request.user = reviewer_user
    assert ("待审核的政务公开信息", 1) in [(r[0], r[2]) for r in disclosure_items_awaiting(request)]
