"""The import confirm step reads only the file this user uploaded in this session, checks
it again, and never touches any other file (a clerk must not be able to import, or delete,
another user's upload or any file of the server)."""

import os
import tempfile

import pytest
import tablib
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dataio.import_confirm import PortalTempStorage, import_tmp_dir
from dataio.spreadsheets import write_dataset
from supervision.models import Proposal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_admin")]

HEADERS = ["类别", "年度", "编号", "标题", "交办日期"]
ROW = ["政协提案", 2021, "0209", "荣誉市民", "2021-04-01"]
IMPORT = reverse("admin:supervision_proposal_import")
CONFIRM = reverse("admin:supervision_proposal_process_import")
REFUSED = "待确认的导入文件不是您在本次登录中上传的文件，或已过期，请重新上传。"


def _xlsx() -> bytes:
    return write_dataset(tablib.Dataset(ROW, headers=HEADERS), "xlsx")


def _preview(client) -> dict:
    upload = SimpleUploadedFile("提案.xlsx", _xlsx())
    response = client.post(IMPORT, {"format": "0", "resource": "0", "import_file": upload})
    assert response.status_code == 200
    form = response.context["confirm_form"]
    return {k: form.initial[k] for k in form.initial}


def _stored_name(confirm: dict) -> str:
    from django.core import signing

    return signing.loads(confirm["import_file_name"], salt="fao.import.confirm")["f"]


@pytest.fixture
def second_clerk(db):
    user = User.objects.create_superuser("admin_li", "li@example.invalid", "x")
    client = Client()
    client.force_login(user)
    return client


def test_a_user_confirms_their_own_upload(admin_client):
    confirm = _preview(admin_client)
    response = admin_client.post(CONFIRM, confirm)
    assert response.status_code == 302
    assert Proposal.objects.count() == 1
    assert not os.path.exists(os.path.join(import_tmp_dir(), _stored_name(confirm)))


def test_confirming_another_users_upload_is_refused_and_leaves_it_in_place(
    admin_client, second_clerk
):
    confirm = _preview(admin_client)
    response = second_clerk.post(CONFIRM, confirm)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert Proposal.objects.count() == 0
    assert os.path.exists(os.path.join(import_tmp_dir(), _stored_name(confirm)))


def test_confirming_from_another_session_of_the_same_user_is_refused(admin_client, administrator):
    confirm = _preview(admin_client)
    other_session = Client()
    other_session.force_login(administrator)
    response = other_session.post(CONFIRM, confirm)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("how", ["plain", "relative", "absolute"])
def test_naming_an_arbitrary_temp_file_is_refused_and_the_file_is_not_deleted(admin_client, how):
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.write(handle, _xlsx())
    os.close(handle)
    try:
        name = {
            "plain": os.path.basename(path),
            "relative": "../" + os.path.basename(path),
            "absolute": path,
        }[how]
        response = admin_client.post(
            CONFIRM,
            {
                "import_file_name": name,
                "original_file_name": "提案.xlsx",
                "format": "0",
                "resource": "0",
            },
        )
        assert response.status_code == 400
        assert REFUSED in response.content.decode()
        assert os.path.exists(path)
        assert Proposal.objects.count() == 0
    finally:
        os.remove(path)


def test_the_storage_never_reads_outside_its_own_folder():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        PortalTempStorage(name="../../etc/passwd").read()


def test_a_confirm_with_a_format_that_does_not_match_the_file_is_a_message_not_an_error(
    admin_client,
):
    confirm = _preview(admin_client)
    confirm["format"] = "1"  # csv, for an xlsx file
    response = admin_client.post(CONFIRM, confirm)
    assert response.status_code == 400
    assert "与所选格式 csv 不符" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_a_confirm_whose_stored_file_was_altered_is_checked_again(admin_client):
    confirm = _preview(admin_client)
    with open(os.path.join(import_tmp_dir(), _stored_name(confirm)), "wb") as handle:
        handle.write(b"not a spreadsheet at all")
    response = admin_client.post(CONFIRM, confirm)
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_previews_never_confirmed_are_removed_after_the_confirm_limit(admin_client):
    stale = os.path.join(import_tmp_dir(), "0" * 32)
    with open(stale, "wb") as handle:
        handle.write(b"old preview")
    os.utime(stale, (1, 1))
    _preview(admin_client)
    assert not os.path.exists(stale)
