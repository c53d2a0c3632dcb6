"""The secrecy review as a recorded step (《政府信息公开条例》第十七条): who confirmed
"经保密审查，可以公开", when, for which version; publication refused without it, and refused
while a personal-data finding is neither removed nor accepted with a reason."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from publication.models import SECRECY_STATEMENT, FindingAcceptance, SecrecyReview
from publication.review import (
    accept_finding,
    content_version,
    record_secrecy_review,
    require_findings_resolved,
    require_secrecy_review,
    scan_all,
)

pytestmark = pytest.mark.django_db

BODY = "关于拟授予荣誉市民的公示。联系人：张三，手机 13800138000。"


@pytest.fixture
def record():
    """Any record may be reviewed; a role group stands in for a disclosure item here."""
    return Group.objects.create(name="待公开记录")


def test_content_version_changes_with_any_part():
    v1 = content_version("标题", "正文", b"\x00file")
    assert v1 == content_version("标题", "正文", b"\x00file")
    assert v1 != content_version("标题", "正文。", b"\x00file")
    assert content_version("ab", "c") != content_version("a", "bc")


def test_publication_is_refused_without_a_secrecy_review(record):
    with pytest.raises(ValidationError) as refused:
        require_secrecy_review(record, content_version("正文"))
    assert refused.value.code == "secrecy_review_missing"
    assert "未经保密审查，不能公开" in refused.value.messages[0]


def test_a_review_records_who_when_which_version_and_the_statement(record, reviewer_user):
    version = content_version("正文")
    review = record_secrecy_review(target=record, version=version, user=reviewer_user)
    assert require_secrecy_review(record, version) == review
    assert review.statement == SECRECY_STATEMENT == "经保密审查，可以公开"
    assert review.reviewer == reviewer_user
    assert review.reviewed_at is not None
    assert review.target == record


def test_a_review_of_another_version_does_not_count(record, reviewer_user):
    record_secrecy_review(target=record, version=content_version("旧正文"), user=reviewer_user)
    with pytest.raises(ValidationError) as refused:
        require_secrecy_review(record, content_version("新正文"))
    assert refused.value.code == "secrecy_review_missing"
    assert "重新进行保密审查" in refused.value.messages[0]


def test_data_entry_staff_cannot_record_a_review(record, data_entry_user):
    with pytest.raises(PermissionDenied):
        record_secrecy_review(target=record, version="v1", user=data_entry_user)
    assert not SecrecyReview.objects.exists()


def test_leadership_cannot_accept_a_finding(leadership_user):
    finding = scan_all([BODY], allow=())[0]
    with pytest.raises(PermissionDenied):
        accept_finding(finding=finding, user=leadership_user, reason="公开的联系电话")


def test_unresolved_findings_block_the_review(record, reviewer_user):
    findings = scan_all([BODY], allow=())
    with pytest.raises(ValidationError) as refused:
        record_secrecy_review(target=record, version="v1", user=reviewer_user, findings=findings)
    assert refused.value.code == "personal_data_unresolved"
    assert "第 1 段：手机号码 138****8000" in refused.value.messages[0]
    assert "13800138000" not in refused.value.messages[0]


def test_an_acceptance_needs_a_reason(reviewer_user):
    finding = scan_all([BODY], allow=())[0]
    with pytest.raises(ValidationError) as refused:
        accept_finding(finding=finding, user=reviewer_user, reason="  ")
    assert refused.value.code == "reason_required"


def test_accepted_findings_are_kept_with_the_review(record, reviewer_user, administrator_user):
    findings = scan_all([BODY], allow=())
    acceptance = accept_finding(
        finding=findings[0], user=reviewer_user, reason="公示联系人，依公示规则须公开"
    )
    version = content_version(BODY)
    review = record_secrecy_review(
        target=record,
        version=version,
        user=administrator_user,
        findings=findings,
        acceptances=[acceptance],
    )
    acceptance.refresh_from_db()
    assert acceptance.target == record
    assert list(review.acceptances.all()) == [acceptance]
    assert review.findings == [findings[0].as_dict()]
    assert review.findings[0]["masked"] == "138****8000"
    assert "13800138000" not in str(review.findings)
    # At publication: the review for this version, and the fresh scan all accepted.
    require_secrecy_review(record, version)
    require_findings_resolved(record, scan_all([BODY], allow=()))


def test_a_finding_added_after_the_review_blocks_publication(record, reviewer_user):
    version = content_version("无个人信息的正文")
    record_secrecy_review(target=record, version=version, user=reviewer_user)
    with pytest.raises(ValidationError) as refused:
        require_findings_resolved(record, scan_all(["身份证 320402199001011239"], allow=()))
    assert refused.value.code == "personal_data_unresolved"


def test_an_acceptance_of_another_record_is_refused(record, reviewer_user):
    other = Group.objects.create(name="另一条记录")
    finding = scan_all([BODY], allow=())[0]
    acceptance = accept_finding(finding=finding, user=reviewer_user, reason="公开", target=other)
    with pytest.raises(ValidationError) as refused:
        record_secrecy_review(
            target=record,
            version="v1",
            user=reviewer_user,
            findings=[finding],
            acceptances=[acceptance],
        )
    assert refused.value.code == "acceptance_elsewhere"
    assert FindingAcceptance.objects.get().target == other


# ------------------------------------------------------------------------------ roles


def test_reviewers_and_administrators_keep_the_allow_list(
    reviewer_user, administrator_user, data_entry_user, leadership_user
):
    for user in (reviewer_user, administrator_user):
        assert user.has_perm("publication.add_allowednumber")
        assert user.has_perm("publication.change_allowednumber")
        assert user.has_perm("publication.delete_allowednumber")
        assert user.has_perm("publication.record_secrecy_review")
        assert user.has_perm("publication.accept_finding")
    for user in (data_entry_user, leadership_user):
        assert user.has_perm("publication.view_allowednumber")
        assert not user.has_perm("publication.add_allowednumber")
        assert not user.has_perm("publication.change_allowednumber")
        assert not user.has_perm("publication.record_secrecy_review")
        assert not user.has_perm("publication.accept_finding")


def test_allow_list_changes_are_audited(administrator_user):
    from publication.models import AllowedNumber

    entry = AllowedNumber(value="0519-85683342", label="监督举报电话")
    entry._history_user = administrator_user
    entry.save()
    entry.label = "监督举报电话（含区号）"
    entry.save()
    assert entry.normalized == "051985683342"
    assert entry.history.count() == 2
    assert entry.history.first().history_user == administrator_user


def test_allow_list_admin_pages_follow_the_roles(
    client, local_admin, reviewer_user, data_entry_user
):
    client.force_login(reviewer_user)
    assert client.get("/admin/publication/allowednumber/add/").status_code == 200
    client.force_login(data_entry_user)
    assert client.get("/admin/publication/allowednumber/").status_code == 200
    assert client.get("/admin/publication/allowednumber/add/").status_code == 403


def test_the_same_number_written_differently_is_one_allow_list_entry(
    client, local_admin, reviewer_user
):
    client.force_login(reviewer_user)
    response = client.post(
        "/admin/publication/allowednumber/add/",
        {"value": "8568 3342", "label": "监督举报电话", "active": "on"},
    )
    assert response.status_code == 200
    assert "白名单中已有该号码或地址。" in response.content.decode()


def test_reviews_and_acceptances_export_for_an_inspector(
    client, local_admin, record, reviewer_user, leadership_user
):
    findings = scan_all([BODY], allow=())
    acceptance = accept_finding(finding=findings[0], user=reviewer_user, reason="公示联系人")
    record_secrecy_review(
        target=record,
        version="v1",
        user=reviewer_user,
        findings=findings,
        acceptances=[acceptance],
    )
    from dataio.resources import resource_for
    from dataio.spreadsheets import read_dataset

    client.force_login(leadership_user)
    exported = {}
    for model in (SecrecyReview, FindingAcceptance):
        url = f"/admin/publication/{model._meta.model_name}/export/"
        assert client.get(url).status_code == 200
        resource = resource_for(model)
        columns = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}
        response = client.post(url, {"format": "0", "resource": "0"} | columns)
        assert response.status_code == 200
        exported[model] = read_dataset(response.content, "xlsx")
    reviews, acceptances = exported[SecrecyReview], exported[FindingAcceptance]
    assert reviews.dict[0]["审查结论"] == "经保密审查，可以公开"
    assert reviews.dict[0]["所审查版本"] == "v1"
    assert acceptances.dict[0]["遮蔽后的值"] == "138****8000"
    assert acceptances.dict[0]["保留理由"] == "公示联系人"
    assert "13800138000" not in str(reviews.dict) + str(acceptances.dict)


def test_require_publishable_checks_the_review_and_scans_again(record, reviewer_user):
    from publication.review import require_publishable
    from tests.publication_files import xlsx_bytes

    sheet = io.BytesIO(xlsx_bytes([["姓名", "手机"], ["张三", "13900001111"]]))
    sheet.name = "名单.xlsx"
    version = content_version(BODY, sheet.getvalue())
    with pytest.raises(ValidationError) as refused:
        require_publishable(record, version, [BODY, sheet], allow=())
    assert refused.value.code == "secrecy_review_missing"
    findings = scan_all([BODY, sheet], allow=())
    assert [str(f) for f in findings] == [
        "正文 第 1 段：手机号码 138****8000",
        "名单.xlsx 工作表“名单” 单元格 B2：手机号码 139****1111",
    ]
    accepted = [accept_finding(finding=findings[0], user=reviewer_user, reason="公示联系人")]
    with pytest.raises(ValidationError) as refused:
        record_secrecy_review(target=record, version=version, user=reviewer_user, findings=findings)
    assert "名单.xlsx 工作表“名单” 单元格 B2" in refused.value.messages[0]
    accepted.append(accept_finding(finding=findings[1], user=reviewer_user, reason="同上"))
    review = record_secrecy_review(
        target=record, version=version, user=reviewer_user, findings=findings, acceptances=accepted
    )
    assert require_publishable(record, version, [BODY, sheet], allow=()) == review


def test_the_published_copy_checksum_is_taken_after_stripping():
    import hashlib

    from publication.metadata import publication_copy
    from tests.publication_files import pdf_bytes

    original = pdf_bytes(["报告"], author="王小明")
    cleaned, checksum = publication_copy(original, "报告.pdf")
    assert checksum == hashlib.sha256(cleaned).hexdigest()
    assert checksum != hashlib.sha256(original).hexdigest()
