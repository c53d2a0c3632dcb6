"""Small hardening of the public site and the admin, each as the attack it stops."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.uploads import check_upload
from disclosure.models import DisclosureItem
from supervision.models import NoticeComment

NOTICE_URL = "/notices/18/"
ATOM = "{http://www.w3.org/2005/Atom}"


def post_comment(client, **fields):
    data = {"content": "支持授予。", "name": "", "contact": "", "nominee": "", "website": ""}
    data.update(fields)
    return client.post(NOTICE_URL, data)


# --- the Atom feed (RFC 4287: type="html" would make feed readers run the summary as markup)


@pytest.mark.usefixtures("public_site")
def test_a_script_in_a_disclosure_summary_stays_text_in_the_feed(client, public_office):
    item = DisclosureItem(
        organization=public_office,
        title="关于公开征求意见的通知",
        index_number="014109568/2022-00031",
        category=DisclosureItem.Category.NOTICES,
        publisher="市外事办",
        generated_on=datetime.date(2022, 5, 1),
        published_on=datetime.date(2022, 5, 2),
        status="published",
        summary="<script>alert(1)</script> 征求意见",
    )
    item.full_clean()
    item.save()
    response = client.get("/disclosure/feed/")
    tree = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    summaries = tree.findall(f"{ATOM}entry/{ATOM}summary")
    assert summaries
    assert all(s.get("type") == "text" for s in summaries)
    assert "<script>alert(1)</script> 征求意见" in [s.text for s in summaries]


# --- PDF attachments are checked by structure, not by a "%PDF-" anywhere near the start


GOOD_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>\n%PDF-1.4\n%%EOF\n",  # header not first
        b"MZ\x90\x00 %PDF-1.4 " + b"\x00" * 64 + b"%%EOF",  # a program mentioning it
        b"%PDF-1.4\n" + b"A" * 4096,  # no end-of-file marker
        b"%PDF-x not a version\n%%EOF\n",
    ],
)
def test_a_file_that_only_mentions_pdf_is_refused_as_a_pdf_attachment(data):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("通知.pdf", data), kinds=("pdf",))
    assert refused.value.code == "file_content"


def test_a_real_pdf_with_trailing_newlines_is_accepted():
    assert check_upload(SimpleUploadedFile("报告.pdf", GOOD_PDF + b"\r\n"), kinds=("pdf",)) == "pdf"


# --- citizens' comments


@pytest.mark.usefixtures("public_site")
def test_a_comment_hiding_words_with_bidi_overrides_and_zero_width_characters_is_cleaned(
    client, open_notice
):
    response = post_comment(
        client,
        content="支持\u202e授予\u202c。\u200b\u200d\ufeff",
        name="张\u2066三\u2069",
        contact="1390000\u200b0000",
    )
    assert response.status_code == 302
    comment = NoticeComment.objects.get()
    assert comment.content == "支持授予。"
    assert comment.name == "张三"
    assert comment.contact == "13900000000"


@pytest.mark.usefixtures("public_site")
def test_a_comment_of_only_invisible_characters_is_refused(client, open_notice):
    response = post_comment(client, content="\u200b\u202e\u2066")
    assert response.status_code == 400
    assert "请填写意见内容。" in response.content.decode()
    assert not NoticeComment.objects.exists()


@pytest.mark.usefixtures("public_site")
def test_an_oversized_comment_is_not_echoed_back_in_the_error_page(client, open_notice):
    marker = "尾"
    response = post_comment(client, content="长" * 200_000 + marker)
    assert response.status_code == 400
    page = response.content.decode()
    assert "意见内容不能超过 2000 字（现为 200001 字）。" in page
    assert page.count("长") < 2100
    assert marker not in page
    assert len(response.content) < 100_000
    assert not NoticeComment.objects.exists()


@pytest.mark.usefixtures("public_site")
@pytest.mark.parametrize(
    ("field", "message"), [("name", "姓名含有无效字符。"), ("contact", "联系方式含有无效字符。")]
)
def test_a_nul_in_a_commenters_name_or_contact_gives_a_clear_chinese_message(
    client, open_notice, field, message
):
    response = post_comment(client, **{field: "张\x00三"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NoticeComment.objects.exists()


# --- personal data exports (个人信息保护法 第六条、第五十一条)


@pytest.mark.usefixtures("local_admin")
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("录入员", True), ("审核人", False), ("领导", False), ("管理员", True)],
)
@pytest.mark.parametrize("model_name", ["nominee", "delegationmember"])
def test_only_roles_that_keep_the_lists_export_nominees_and_delegation_members(
    make_role_user, open_notice, role, allowed, model_name
):
    from django.apps import apps

    from dataio.resources import resource_for
    from supervision.models import Delegation
    from tests.admin_factories import make

    make(Delegation)
    user = make_role_user(role, f"export_{abs(hash(role)) % 10**6}")
    client = Client()
    client.force_login(user)
    url = reverse(f"admin:supervision_{model_name}_export")
    resource = resource_for(apps.get_model("supervision", model_name))
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}
    response = client.post(url, {"format": "0", "resource": "0"} | fields)
    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    else:
        assert response.status_code == 403
    # Reading the list in the admin stays open to every role.
    page = client.get(reverse(f"admin:supervision_{model_name}_changelist"))
    assert page.status_code == 200
