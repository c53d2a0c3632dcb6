"""Uploaded files: checked by content, stored under unguessable names, served as downloads.

Use on a model FileField (the validators run in full_clean, so forms and the admin get them):

    attachment = models.FileField(
        _("附件"), upload_to=UploadTo("documents"), validators=[validate_attachment], blank=True
    )

and `validate_import_file(file)` on an import form's file before parsing it.
"""

import codecs
import mimetypes
import posixpath
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Extensions each kind may carry; the content must match the kind the extension claims.
KIND_EXTENSIONS = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "csv": (".csv",),
    "txt": (".txt",),
}
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "png", "jpeg")
IMPORT_KINDS = ("xlsx", "csv")

# The main part an Office Open XML package must declare to be what its extension says.
OOXML_MAIN_TYPES = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAX_ZIP_MEMBERS = 10_000
PDF_HEADER_WINDOW = 1024

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"
}
FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*]')
DEFAULT_STEM = "附件"


def max_upload_bytes() -> int:
    return settings.FAO_MAX_UPLOAD_BYTES


def sanitize_filename(name: str, *, max_length: int = 120) -> str:
    """A file name safe on every file system and in a header: path parts, control and
    formatting characters (such as right-to-left overrides), reserved characters, leading dots
    and surrounding spaces removed; Chinese and other letters kept; extension lower-cased."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = FORBIDDEN_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if ext and not re.fullmatch(r"[A-Za-z0-9]{1,10}", ext):
        stem, ext = name, ""
    stem = stem.strip().rstrip(". ")
    if stem.upper() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    suffix = f".{ext.lower()}" if ext else ""
    stem = stem[: max(1, max_length - len(suffix))].rstrip(". ") or DEFAULT_STEM
    return stem + suffix


@deconstructible
class UploadTo:
    """`upload_to` giving <prefix>/<year>/<random>/<sanitised name>: names never collide and
    cannot be guessed, and the original (Chinese) name is kept for the download."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        year = timezone.localdate().year
        return f"{self.prefix}/{year}/{secrets.token_hex(8)}/{sanitize_filename(filename)}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix


def upload_to(instance, filename: str) -> str:
    """`upload_to` for fields that need no folder of their own."""
    return UploadTo("uploads")(instance, filename)


def _kind_for_extension(name: str, kinds: Iterable[str]) -> str | None:
    suffix = PurePosixPath(name.lower()).suffix
    for kind in kinds:
        if suffix in KIND_EXTENSIONS[kind]:
            return kind
    return None


def _read_head(file, size: int) -> bytes:
    file.seek(0)
    return file.read(size)


def _is_pdf(file) -> bool:
    """A PDF starts with its header ("%PDF-1.x" or "%PDF-2.0") at offset 0 and ends with
    "%%EOF" (ISO 32000: only whitespace may follow, allow a little slack for trailers
    written by some tools). A file that merely contains "%PDF-" somewhere is not one."""
    if not re.match(rb"%PDF-[12]\.\d", _read_head(file, 8)):
        return False
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - PDF_HEADER_WINDOW))
    return b"%%EOF" in file.read(PDF_HEADER_WINDOW)


def _is_png(file) -> bool:
    return _read_head(file, 16).startswith(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def _is_jpeg(file) -> bool:
    return _read_head(file, 3) == b"\xff\xd8\xff"


def _is_utf8_text(file) -> bool:
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := file.read(64 * 1024):
        if b"\x00" in chunk:
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def check_zip_expansion(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose directory declares an unpacked size out of proportion (a zip bomb:
    a few kilobytes can declare gigabytes of XML), before anything is inflated. One guard for
    every zip-based office file: xlsx imports and docx/xlsx attachments."""
    compressed = sum(m.compress_size for m in members)
    uncompressed = sum(m.file_size for m in members)
    ratio = uncompressed / max(compressed, 1)
    worst = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 1024 * 1024),
        default=0,
    )
    if (
        len(members) > MAX_ZIP_MEMBERS
        or uncompressed > settings.FAO_ZIP_MAX_UNCOMPRESSED_BYTES
        or max(ratio, worst) > settings.FAO_ZIP_MAX_RATIO
    ):
        raise ValidationError(
            _(
                "文件解压后为 %(size)s，是压缩后大小的 %(ratio)s 倍，超出安全范围，"
                "已拒绝（疑似压缩炸弹）。"
            )
            % {"size": filesizeformat(uncompressed), "ratio": int(max(ratio, worst))},
            code="file_zip_bomb",
        )


def _check_ooxml(file, kind: str, size: int) -> None:
    """Raises ValidationError unless the zip is a plain (macro-free) package of `kind`."""
    file.seek(0)
    if _read_head(file, 4) != b"PK\x03\x04":
        raise _content_mismatch(kind)
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            check_zip_expansion(members)
            names = {m.filename for m in members}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ValidationError(_("不接受包含宏的文档。"), code="file_macro")
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                raise _content_mismatch(kind)
            content_types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, NotImplementedError):
        raise _content_mismatch(kind) from None
    if b"macroEnabled" in content_types:
        raise ValidationError(_("不接受包含宏的文档。"), code="file_macro")
    if OOXML_MAIN_TYPES[kind] not in content_types:
        raise _content_mismatch(kind)


def _content_mismatch(kind: str) -> ValidationError:
    if kind in ("csv", "txt"):
        return ValidationError(
            _("文本文件必须是 UTF-8 编码（在 Excel 中可“另存为 CSV UTF-8”）。"),
            code="file_encoding",
        )
    return ValidationError(
        _("文件内容与扩展名“%(ext)s”不符，文件可能被改过扩展名或已损坏。"),
        code="file_content",
        params={"ext": KIND_EXTENSIONS[kind][0]},
    )


CONTENT_CHECKS = {
    "pdf": _is_pdf,
    "png": _is_png,
    "jpeg": _is_jpeg,
    "csv": _is_utf8_text,
    "txt": _is_utf8_text,
}


def check_upload(file, *, kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """Validates an uploaded file by size, extension and content; returns its kind.

    Raises ValidationError with a Chinese message and a code. Leaves the file at position 0.
    """
    kinds = tuple(kinds)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    name = getattr(file, "name", "") or ""
    size = file.size
    if size is None or size == 0:
        raise ValidationError(_("文件为空，请重新选择。"), code="file_empty")
    if size > limit:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。"),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    kind = _kind_for_extension(name, kinds)
    if kind is None:
        allowed = "、".join(ext for k in kinds for ext in KIND_EXTENSIONS[k])
        raise ValidationError(
            _("不支持该文件类型，请上传以下格式之一：%(allowed)s。"),
            code="file_type",
            params={"allowed": allowed},
        )
    try:
        if kind in OOXML_MAIN_TYPES:
            _check_ooxml(file, kind, size)
        elif not CONTENT_CHECKS[kind](file):
            raise _content_mismatch(kind)
    finally:
        file.seek(0)
    return kind


@deconstructible
class UploadValidator:
    """Model-field validator around check_upload. Files already stored (an unchanged field on
    a later save) were checked when they were uploaded and are not read again."""

    def __init__(self, kinds: Iterable[str] = ATTACHMENT_KINDS, max_bytes: int | None = None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, value) -> None:
        if getattr(value, "_committed", False):
            return
        check_upload(value, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, UploadValidator)
            and other.kinds == self.kinds
            and other.max_bytes == self.max_bytes
        )


validate_attachment = UploadValidator(ATTACHMENT_KINDS)
validate_import_file = UploadValidator(IMPORT_KINDS)


def normalise_media_name(name: str) -> str | None:
    """A storage name from a URL path, or None when it tries to leave MEDIA_ROOT."""
    if not name or "\x00" in name or name.startswith("/") or "\\" in name:
        return None
    normalised = posixpath.normpath(name)
    if normalised != name or normalised.startswith("..") or normalised == ".":
        return None
    return normalised


def content_disposition(filename: str) -> str:
    """attachment; filename="ascii fallback"; filename*=UTF-8''… (RFC 6266 / RFC 5987), so
    Chinese names survive in current browsers and old clients still get a usable name."""
    filename = sanitize_filename(filename)
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "download"
    fallback = f"{ascii_stem}.{ext}" if ext else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(handle, filename: str, *, public: bool = False) -> FileResponse:
    """A download that no browser renders in the portal's origin: attachment disposition,
    no MIME sniffing, and a sandboxing CSP in case it is opened anyway."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
