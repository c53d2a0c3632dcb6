"""The admin import's confirm step touches only the file this user uploaded in this session.

django-import-export stores the previewed upload in a temporary storage and posts its name
back on confirm; with the library's default storage any file in the system temp folder
could be named there, read, imported and deleted. Here:

- uploads are kept in the portal's own folder under a random name (`PortalTempStorage`
  refuses any other name, so nothing outside that folder is ever read or deleted);
- the name posted back is signed (django.core.signing) together with the user and a digest
  of the session, and expires; a name that is not this user's, from this session, is
  refused with a Chinese message;
- the upload checks (type, size, content, headers, rows) run again on the stored bytes at
  confirm, and a format that does not match the file is a message, not a server error.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.crypto import salted_hmac
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from import_export.admin import ImportMixin
from import_export.tmp_storages import TempFolderStorage

from dataio.importing import load_upload
from dataio.resources import resource_for
from dataio.spreadsheets import kind_of_format

SALT = "fao.import.confirm"
TOKEN = re.compile(r"[0-9a-f]{32}")


def import_tmp_dir() -> str:
    folder = settings.FAO_IMPORT_TMP_DIR or os.path.join(
        tempfile.gettempdir(), "fao-portal-imports"
    )
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


class PortalTempStorage(TempFolderStorage):
    """Temporary uploads in the portal's own folder, under random names only."""

    def save(self, data):
        _prune_abandoned()
        if not self.name:
            self.name = os.urandom(16).hex()
        with open(self.get_full_path(), "wb") as handle:
            handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))

    def get_full_path(self):
        if not self.name or not TOKEN.fullmatch(self.name):
            raise ValidationError(gettext("导入文件引用无效。"), code="bad_tmp_name")
        return os.path.join(import_tmp_dir(), self.name)

    def read(self):
        with open(self.get_full_path(), "rb") as handle:
            return handle.read()


def _prune_abandoned() -> None:
    """Previews never confirmed leave their file behind; drop those past the confirm limit."""
    import time

    folder = import_tmp_dir()
    limit = time.time() - 2 * settings.FAO_IMPORT_CONFIRM_SECONDS
    for entry in os.scandir(folder):
        try:
            if TOKEN.fullmatch(entry.name) and entry.stat().st_mtime < limit:
                os.remove(entry.path)
        except OSError:
            continue  # removed by another worker meanwhile


def _session_digest(request) -> str:
    key = request.session.session_key or ""
    return salted_hmac(SALT, key).hexdigest()[:32]


def sign_upload(request, name: str) -> str:
    return signing.dumps(
        {"f": name, "u": request.user.pk, "s": _session_digest(request)}, salt=SALT
    )


def unsign_upload(request, value: str) -> str:
    """The stored file's name, if `value` was signed for this user in this session."""
    refused = ValidationError(
        gettext("待确认的导入文件不是您在本次登录中上传的文件，或已过期，请重新上传。"),
        code="foreign_import_file",
    )
    max_age = settings.FAO_IMPORT_CONFIRM_SECONDS
    try:
        payload = signing.loads(value or "", salt=SALT, max_age=max_age)
    except signing.BadSignature:
        raise refused from None
    if (
        not isinstance(payload, dict)
        or payload.get("u") != request.user.pk
        or payload.get("s") != _session_digest(request)
        or not TOKEN.fullmatch(str(payload.get("f", "")))
    ):
        raise refused
    return payload["f"]


class BoundConfirmMixin(ImportMixin):
    tmp_storage_class = PortalTempStorage

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            initial["import_file_name"] = sign_upload(request, initial["import_file_name"])
        return initial

    def process_import(self, request, **kwargs):
        if request.method != "POST" or not self.has_import_permission(request):
            return super().process_import(request, **kwargs)
        try:
            name = unsign_upload(request, request.POST.get("import_file_name", ""))
            self._recheck_stored_upload(request, name)
        except ValidationError as refusal:
            return self._refuse_confirm(request, refusal)
        request.POST = request.POST.copy()
        request.POST["import_file_name"] = name
        return super().process_import(request, **kwargs)

    def _recheck_stored_upload(self, request, name: str) -> None:
        try:
            data = PortalTempStorage(name=name).read()
        except OSError:
            raise ValidationError(
                gettext("待确认的导入文件已不存在，请重新上传。"), code="import_file_gone"
            ) from None
        formats = self.get_import_formats()
        try:
            file_format = formats[int(request.POST.get("format", ""))]()
        except (ValueError, IndexError):
            raise ValidationError(gettext("请选择文件格式。"), code="bad_format") from None
        kind = kind_of_format(file_format)
        original = request.POST.get("original_file_name", "") or f"upload.{kind}"
        if not original.lower().endswith("." + kind):
            raise ValidationError(
                gettext("文件“%(name)s”与所选格式 %(kind)s 不符。")
                % {"name": original, "kind": kind},
                code="bad_type",
            )
        load_upload(data, original, resource_for(self.model)._meta.model, kind=kind)

    def _refuse_confirm(self, request, refusal: ValidationError):
        for message in refusal.messages:
            messages.error(request, message)
        page = copy.copy(request)
        page.method = "GET"
        page.POST = QueryDict()
        page._files = MultiValueDict()
        response = ImportMixin.import_action(self, page)
        response.status_code = 400
        return response
