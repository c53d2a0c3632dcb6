"""Reading uploaded office files safely: the kind from the name and the content, and a cap on
what a zip package may unpack to (a few kilobytes of zip can declare gigabytes of XML).

Shared by the scanner (scan.py) and the metadata stripper (metadata.py). Every refusal is a
`ValidationError` with a Chinese message, so forms, the admin and the command show it as is.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".txt": "txt",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
}
MAX_ZIP_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def kind_of(name: str, data: bytes) -> str:
    """The file's kind ("pdf", "docx", …) from its extension, checked against its content."""
    kind = KINDS.get(PurePosixPath(str(name).lower()).suffix)
    if kind is None:
        raise ValidationError(
            _(
                "不支持的文件类型“%(name)s”：只能检查 PDF、Word（.docx）、Excel（.xlsx）、"
                "CSV、文本和 JPEG/PNG 图片。"
            ),
            code="unsupported",
            params={"name": name},
        )
    magic = {
        "pdf": data[:1024].find(b"%PDF-") >= 0,
        "docx": data[:4] == b"PK\x03\x04",
        "xlsx": data[:4] == b"PK\x03\x04",
        "jpeg": data[:3] == b"\xff\xd8\xff",
        "png": data[:8] == b"\x89PNG\r\n\x1a\n",
    }
    if not magic.get(kind, True):
        raise ValidationError(
            _("文件“%(name)s”的内容与扩展名不符，无法读取。"),
            code="bad_content",
            params={"name": name},
        )
    return kind


def read_source(source) -> tuple[bytes, str]:
    """(bytes, name) of a path, an uploaded/Django file or a file object."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise ValidationError(
                _("无法读取文件“%(name)s”：%(error)s"),
                code="unreadable",
                params={"name": str(source), "error": exc.strerror or exc},
            ) from exc
    name = getattr(source, "name", "") or ""
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    if hasattr(source, "seek"):
        source.seek(0)
    return data, PurePosixPath(name.replace("\\", "/")).name


def open_package(data: bytes, name: str) -> zipfile.ZipFile:
    """An Office Open XML package, refused when damaged or when it would unpack too much."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable(name) from exc
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("文件“%(name)s”解压后过大，无法检查。"), code="too_large", params={"name": name}
        )
    return package


def unreadable(name: str) -> ValidationError:
    return ValidationError(
        _("文件“%(name)s”已损坏或加密，无法读取。"), code="unreadable", params={"name": name}
    )


def message(error: ValidationError) -> str:
    """The error's text with its parameters filled in."""
    return "；".join(str(m) for m in error.messages)
