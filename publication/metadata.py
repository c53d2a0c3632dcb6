"""Metadata stripped from a file at publication.

What a file says about its making (the author's name, the last editor, the company, the
software, the template path, where a photo was taken) is personal information in the sense
of 《个人信息保护法》第四条 and is not part of the government information being disclosed
(《政府信息公开条例》第二条). At publication:

- PDF: the document information dictionary and every XMP packet are removed (pikepdf,
  qpdf underneath), so are the authors of annotations;
- Word and Excel: the core, extended ("app") and custom properties are emptied, the list of
  editors (word/people.xml) too, and images inside the package lose their EXIF; a Word file
  that still has tracked changes or comments, an Excel file with comments or a change
  history, is refused: accepting or deleting them is the author's decision, not the
  portal's;
- JPEG and PNG: EXIF, XMP, IPTC and text chunks are removed without re-encoding the image
  (JPEG keeps only its orientation, so the picture is not shown on its side).

`strip_metadata(data, name)` returns the cleaned bytes; the caller takes the published
file's checksum from them (`publication_copy(data, name)` returns both).
`publication_problems(data, name)` lists the refusals without raising (for
`manage.py check_publication`).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from publication import files

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TRACKED_CHANGE_TAGS = {
    _W + tag
    for tag in (
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "rPrChange",
        "pPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "sectPrChange",
        "numberingChange",
    )
}
COMMENT_TAGS = {_W + "comment", _W + "commentRangeStart", _W + "commentReference"}
_WORD_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")

EMPTY_PROPERTIES = {
    "core-properties": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    ),
    "extended-properties": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/docPropsVTypes"/>'
    ),
    "custom-properties": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/docPropsVTypes"/>'
    ),
}
DEFAULT_PROPERTY_PARTS = {
    "docProps/core.xml": "core-properties",
    "docProps/app.xml": "extended-properties",
    "docProps/custom.xml": "custom-properties",
}
EMPTY_PEOPLE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"/>'
)


# --------------------------------------------------------------------------- checks


def _parse(package: zipfile.ZipFile, path: str, name: str):
    from defusedxml import ElementTree

    try:
        return ElementTree.fromstring(package.read(path))
    except (ElementTree.ParseError, KeyError) as exc:
        raise files.unreadable(name) from exc


def word_problems(package: zipfile.ZipFile, name: str) -> list[ValidationError]:
    """Tracked changes and comments still in a Word file."""
    problems = []
    changes = comments = False
    for path in package.namelist():
        if not _WORD_PARTS.fullmatch(path):
            continue
        for node in _parse(package, path, name).iter():
            changes = changes or node.tag in TRACKED_CHANGE_TAGS
            comments = comments or node.tag in COMMENT_TAGS
            if changes and comments:
                break
    if changes:
        problems.append(
            ValidationError(
                _(
                    "Word 文件“%(name)s”仍有修订痕迹（插入、删除或格式修订）。"
                    "请在 Word 中“接受所有修订”或“拒绝所有修订”并关闭修订后重新上传。"
                ),
                code="tracked_changes",
                params={"name": name},
            )
        )
    if comments:
        problems.append(
            ValidationError(
                _("Word 文件“%(name)s”仍有批注。请删除全部批注后重新上传。"),
                code="comments",
                params={"name": name},
            )
        )
    return problems


def excel_problems(package: zipfile.ZipFile, name: str) -> list[ValidationError]:
    """Comments (notes, threaded comments) and a change history in an Excel file."""
    names = package.namelist()
    problems = []
    # Excel writes xl/comments1.xml and xl/threadedComments/, other programs
    # xl/comments/comment1.xml.
    comment_part = re.compile(r"xl/(.*/)?comments?\d*\.xml|xl/threadedComments/.+", re.I)
    if any(comment_part.fullmatch(n) for n in names):
        problems.append(
            ValidationError(
                _("Excel 文件“%(name)s”仍有批注。请删除全部批注后重新上传。"),
                code="comments",
                params={"name": name},
            )
        )
    if any(n.startswith("xl/revisions/") for n in names):
        problems.append(
            ValidationError(
                _("Excel 文件“%(name)s”仍保留修订记录。请关闭“共享工作簿/修订”后重新保存上传。"),
                code="tracked_changes",
                params={"name": name},
            )
        )
    return problems


def publication_problems(data: bytes, name: str) -> list[ValidationError]:
    """Why the file cannot be published as it is (empty when it can be)."""
    kind = files.kind_of(name, data)
    if kind == "docx":
        return word_problems(files.open_package(data, name), name)
    if kind == "xlsx":
        return excel_problems(files.open_package(data, name), name)
    return []


# --------------------------------------------------------------------------- stripping


def publication_copy(data: bytes, name: str) -> tuple[bytes, str]:
    """The file as it is published (metadata stripped) and its SHA-256, taken after
    stripping."""
    cleaned = strip_metadata(data, name)
    return cleaned, hashlib.sha256(cleaned).hexdigest()


def strip_metadata(data: bytes, name: str) -> bytes:
    """The file without its metadata; raises ValidationError (Chinese message) for a Word
    file with tracked changes or comments, an Excel file with comments or revisions, a
    damaged or encrypted file or an unknown type. CSV and text files have none to strip."""
    kind = files.kind_of(name, data)
    if kind == "pdf":
        return strip_pdf(data, name)
    if kind in ("docx", "xlsx"):
        return strip_office(data, name, kind)
    if kind == "jpeg":
        return strip_jpeg(data, name)
    if kind == "png":
        return strip_png(data, name)
    return data


def strip_pdf(data: bytes, name: str = "") -> bytes:
    import pikepdf

    markup = {"/Text", "/FreeText", "/Highlight", "/Underline", "/StrikeOut", "/Squiggly",
              "/Ink", "/Stamp", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
              "/Caret", "/FileAttachment", "/Sound", "/Popup"}  # fmt: skip
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError) as exc:
        raise files.unreadable(name) from exc
    with pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            for key in ("/Metadata", "/PieceInfo"):
                if key in obj:
                    del obj[key]
            if obj.get("/Type") == "/Annot" or obj.get("/Subtype") in markup:
                if obj.get("/Subtype") in markup:
                    for key in ("/T", "/M", "/CreationDate"):
                        if key in obj:
                            del obj[key]
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    return out.getvalue()


def _property_parts(package: zipfile.ZipFile, name: str) -> dict[str, str]:
    """{part path: "core-properties" | "extended-properties" | "custom-properties"}, as the
    package's relationships name them."""
    parts = {p: k for p, k in DEFAULT_PROPERTY_PARTS.items() if p in package.namelist()}
    if "_rels/.rels" in package.namelist():
        for rel in _parse(package, "_rels/.rels", name):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind in EMPTY_PROPERTIES:
                target = rel.get("Target", "").lstrip("/")
                if target in package.namelist():
                    parts[target] = kind
    return parts


def strip_office(data: bytes, name: str, kind: str) -> bytes:
    package = files.open_package(data, name)
    problems = word_problems(package, name) if kind == "docx" else excel_problems(package, name)
    if problems:
        raise ValidationError(problems)
    replace = {path: EMPTY_PROPERTIES[k] for path, k in _property_parts(package, name).items()}
    if "word/people.xml" in package.namelist():
        replace["word/people.xml"] = EMPTY_PEOPLE
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            body = replace.get(info.filename)
            if body is None:
                body = package.read(info)
                lower = info.filename.lower()
                if re.match(r"(word|xl|ppt)/media/", lower):
                    if lower.endswith((".jpg", ".jpeg")) and body[:3] == b"\xff\xd8\xff":
                        body = strip_jpeg(body, info.filename)
                    elif lower.endswith(".png") and body[:8] == b"\x89PNG\r\n\x1a\n":
                        body = strip_png(body, info.filename)
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, body)
    return out.getvalue()


# JPEG segments kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform);
# every other APPn (APP1 EXIF/XMP, APP13 IPTC …) and comments go.
_JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}
ORIENTATION_TAG = 0x0112


def _jpeg_orientation(data: bytes) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(image.getexif().get(ORIENTATION_TAG, 1) or 1)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return 1


def strip_jpeg(data: bytes, name: str = "") -> bytes:
    from PIL import Image

    orientation = _jpeg_orientation(data)
    out = bytearray(b"\xff\xd8")
    i = 2
    inserted = orientation in (0, 1)
    try:
        while i < len(data):
            if data[i] != 0xFF:
                raise ValueError("marker expected")
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker == 0xD9 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
                out += data[i : i + 2]
                i += 2
                continue
            if not inserted and marker != 0xE0:
                exif = Image.Exif()
                exif[ORIENTATION_TAG] = orientation
                payload = exif.tobytes()
                out += b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
                inserted = True
            if marker == 0xDA:  # start of scan: the image data follows to the end
                out += data[i:]
                break
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if length < 2 or i + 2 + length > len(data):
                raise ValueError("bad segment length")
            is_app = 0xE0 <= marker <= 0xEF
            if (is_app and marker in _JPEG_KEEP_APP) or (not is_app and marker != 0xFE):
                out += data[i : i + 2 + length]
            i += 2 + length
    except (IndexError, ValueError) as exc:
        raise files.unreadable(name) from exc
    return bytes(out)


_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_png(data: bytes, name: str = "") -> bytes:
    out = bytearray(data[:8])
    i = 8
    while i < len(data):
        if i + 8 > len(data):
            raise files.unreadable(name)
        length = int.from_bytes(data[i : i + 4], "big")
        chunk_type = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise files.unreadable(name)
        if chunk_type not in _PNG_DROP:
            out += data[i:end]
        i = end
        if chunk_type == b"IEND":
            break
    return bytes(out)
