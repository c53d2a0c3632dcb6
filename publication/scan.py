"""Personal-data scan of what is about to be published: body text and attached files.

《个人信息保护法》第二十八条 counts identity numbers and financial accounts among sensitive
personal information, and 《政府信息公开条例》第十五条 keeps personal privacy out of what
is disclosed unless the person agrees or the public interest requires it. Before a text or a
file goes public, this module lists every:

- mainland resident ID number (GB 11643-1999: 18 characters, a real date of birth and the
  ISO 7064 MOD 11-2 check character, so a random run of 18 digits is not reported);
- mobile number (1[3-9] and nine digits, optionally +86 and grouped 3-4-4);
- landline number written after 电话/联系电话/传真/Tel (a bare 8-digit run is too common to
  be reported on its own);
- e-mail address;
- passport or exit-entry permit number (E/G/D/S/P/H/M/C and 8 digits, E and a letter and
  7 digits);
- bank card number (16–19 digits, a card-issuer prefix and the Luhn check digit).

Each finding carries its kind, where it is (page, sheet and cell, paragraph, table cell, row
and column) and the value masked; the value itself is never kept. Numbers the office
publishes on purpose (its hotlines, its public mailbox) are an allow-list
(`AllowedNumber`, edited by administrators and reviewers) and are not findings. A finding
that must stay (a published contact) is accepted with a reason (review.py).

    result = scan("联系人手机 13800138000")          # text: paragraphs
    result = scan(Path("附件.xlsx"))                   # a file: by its extension and content
    result = scan(uploaded_file, allow={"85683342"})   # an explicit allow-list
    for finding in result.findings: print(finding.location, finding.kind_label, finding.masked)
"""

from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import hmac
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publication import files

# --------------------------------------------------------------------------- kinds

RESIDENT_ID = "resident_id"
MOBILE = "mobile"
LANDLINE = "landline"
EMAIL = "email"
PASSPORT = "passport"
BANK_CARD = "bank_card"

KIND_LABELS: dict[str, Promise] = {
    RESIDENT_ID: _("居民身份证号码"),
    MOBILE: _("手机号码"),
    LANDLINE: _("固定电话号码"),
    EMAIL: _("电子邮箱"),
    PASSPORT: _("护照或通行证号码"),
    BANK_CARD: _("银行卡号"),
}
KIND_CHOICES = [(kind, label) for kind, label in KIND_LABELS.items()]

# --------------------------------------------------------------------------- patterns

_ID = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{4})(\d{2})(\d{2})\d{3}[0-9Xx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(
    r"(?:电话|联系电话|办公电话|固定电话|座机|传真|热线|Tel|TEL|tel|Fax|FAX)\s*[:：]?\s*"
    r"((?:\(?0\d{2,3}\)?[ -]?)?[2-9]\d{6,7})(?![\d-])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9-])"
)
# Chinese ordinary passports (E + 8 digits since 2012, E + letter + 7 digits once those run
# out, G + 8 digits before), diplomatic/service (D, S, P) and the permits for Hong Kong,
# Macao (C) and for their residents (H, M).
_PASSPORT = re.compile(
    r"(?<![0-9A-Za-z])(?:[EGDSPHMC]\d{8}|E[A-HJ-NP-Z]\d{7}|[DSP]E\d{7})(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![\d-])(?:\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19})(?![\d])")
# UnionPay (62, 60, 81), Visa (4), Mastercard (51–55, 22–27), JCB (35), the older domestic
# cards (9558…).
_CARD_PREFIX = re.compile(r"^(?:62|60|81|4|5[1-5]|2[2-7]|35|9558)")
_CANDIDATE = re.compile(r"[\d@＠]")  # \d: full-width digits too (NFKC follows)


def id_check_character(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(value: str) -> bool:
    """18 characters, a date of birth that exists and is not in the future, the check
    character right."""
    match = _ID.fullmatch(value)
    if not match:
        return False
    year, month, day = (int(match.group(i)) for i in (2, 3, 4))
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
        return False
    return id_check_character(value[:17]) == value[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Location:
    """Where a finding is; only the parts that apply are set (all numbers from 1)."""

    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    part: str | None = None  # a part of a Word file other than the body: 页眉 1, 脚注 …
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        bits: list[str] = []
        if self.part:
            bits.append(self.part)
        if self.page is not None:
            bits.append(gettext("第 %(n)s 页") % {"n": self.page})
        if self.sheet is not None:
            bits.append(gettext("工作表“%(sheet)s”") % {"sheet": self.sheet})
        if self.cell:
            bits.append(gettext("单元格 %(cell)s") % {"cell": self.cell})
        if self.table is not None:
            bits.append(gettext("表格 %(n)s") % {"n": self.table})
        if self.row is not None:
            bits.append(gettext("第 %(n)s 行") % {"n": self.row})
        if self.column is not None:
            bits.append(gettext("第 %(n)s 列") % {"n": self.column})
        if self.paragraph is not None:
            bits.append(gettext("第 %(n)s 段") % {"n": self.paragraph})
        return " ".join(bits) or gettext("正文")

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: never the value itself, only its masked form and a keyed
    fingerprint (the same value gives the same fingerprint, so an acceptance follows it)."""

    kind: str
    location: Location
    masked: str
    fingerprint: str
    source: str = ""  # the file's name, or 正文 for a text

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def as_dict(self) -> dict:
        """The finding as stored in a review's snapshot (JSON)."""
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "location": str(self.location),
            "where": self.location.as_dict(),
            "masked": self.masked,
            "fingerprint": self.fingerprint,
            "source": self.source,
        }

    def __str__(self) -> str:
        where = f"{self.source} {self.location}" if self.source else str(self.location)
        return f"{where}：{self.kind_label} {self.masked}"


@dataclass
class ScanResult:
    """The findings, and the warnings about what could not be read (a PDF page without a
    text layer, an image): those need a person's eyes."""

    name: str = ""
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings


def fingerprint(kind: str, normalized: str) -> str:
    """Keyed (the site's secret key), so a stored fingerprint does not give the number back
    by trying every mobile number. Rotating the key makes earlier acceptances lapse."""
    key = _fingerprint_key(settings.SECRET_KEY)
    return hmac.new(key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()[:40]


@functools.lru_cache(maxsize=2)
def _fingerprint_key(secret: str) -> bytes:
    return hashlib.sha256(b"fao.publication.finding:" + secret.encode()).digest()


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    hidden = max(len(value) - keep_start - keep_end, 1)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


_NON_DIGIT = re.compile(r"\D")


def _digits(value: str) -> str:
    return _NON_DIGIT.sub("", value)


def normalize(value: str) -> str:
    """The comparable form of a number or address: e-mail lower-cased, otherwise letters and
    digits only (upper case), so "0519-8568 3342" and "051985683342" are the same."""
    value = unicodedata.normalize("NFKC", str(value)).strip()
    if "@" in value:
        return value.lower()
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _variants(normalized: str) -> set[str]:
    """A number with and without its country or area code."""
    out = {normalized}
    if normalized.isdigit():
        if normalized.startswith("86") and len(normalized) == 13:
            out.add(normalized[2:])
        if normalized.startswith("0") and 10 <= len(normalized) <= 12:
            for area in (3, 4):
                if 7 <= len(normalized) - area <= 8:
                    out.add(normalized[area:])
    return out


def allow_set(values: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for value in values:
        out |= _variants(normalize(value))
    return frozenset(out)


# --------------------------------------------------------------------------- text


def find_in_text(
    text: str, location: Location, allowed: frozenset[str], source: str = ""
) -> list[Finding]:
    """Every finding in one piece of text (a paragraph, a cell, a page)."""
    # The shortest finding ("a@b.cn") has six characters.
    if len(text) < 6 or not _CANDIDATE.search(text):
        return []
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []

    def overlaps(span: tuple[int, int]) -> bool:
        return any(span[0] < end and start < span[1] for start, end in taken)

    def add(kind: str, span: tuple[int, int], norm: str, masked: str) -> None:
        taken.append(span)
        if _variants(norm) & allowed:
            return
        found.append((span[0], Finding(kind, location, masked, fingerprint(kind, norm), source)))

    for m in _ID.finditer(text):
        value = m.group(0).upper()
        if is_resident_id(value):
            add(RESIDENT_ID, m.span(), value, _mask(value, 4, 4))
    for m in _CARD.finditer(text):
        digits = _digits(m.group(0))
        if (
            16 <= len(digits) <= 19
            and not overlaps(m.span())
            and _CARD_PREFIX.match(digits)
            and luhn_ok(digits)
        ):
            add(BANK_CARD, m.span(), digits, _mask(digits, 4, 4))
    for m in _MOBILE.finditer(text):
        if not overlaps(m.span()):
            digits = "".join(m.group(1, 2, 3))
            add(MOBILE, m.span(), digits, _mask(digits, 3, 4))
    for m in _LANDLINE.finditer(text):
        if not overlaps(m.span(1)):
            digits = _digits(m.group(1))
            add(LANDLINE, m.span(1), digits, _mask(digits, max(len(digits) - 8, 0), 2))
    for m in _EMAIL.finditer(text):
        value = m.group(0).lower()
        local, _at, domain = value.partition("@")
        add(EMAIL, m.span(), value, f"{local[0]}***@{domain}")
    for m in _PASSPORT.finditer(text):
        if not overlaps(m.span()):
            value = m.group(0).upper()
            add(PASSPORT, m.span(), value, _mask(value, 1, 2))
    return [finding for _start, finding in sorted(found, key=lambda pair: pair[0])]


# --------------------------------------------------------------------------- files
# Each reader yields (location, text) pieces; `scan` looks for personal data in each.


def text_pieces(text: str) -> Iterator[tuple[Location, str]]:
    """Plain text or a body: every non-empty line is a paragraph."""
    number = 0
    for line in text.splitlines():
        if line.strip():
            number += 1
            yield Location(paragraph=number), line


def pdf_pieces(data: bytes, name: str, warnings: list[str]) -> Iterator[tuple[Location, str]]:
    """The PDF's text layer, page by page (PDFium through pypdfium2)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise files.unreadable(name) from exc
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            if not text.strip():
                warnings.append(
                    gettext("第 %(n)s 页没有文字层（可能是扫描件），请人工核对。")
                    % {"n": index + 1}
                )
                continue
            yield Location(page=index + 1), text
    finally:
        document.close()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_TEXT = {_W + "t", _W + "delText", _W + "instrText"}
_WORD_BREAKS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}


def _word_text(element) -> str:
    out = []
    for node in element.iter():
        if node.tag in _WORD_TEXT:
            out.append(node.text or "")
        elif node.tag in _WORD_BREAKS:
            out.append(_WORD_BREAKS[node.tag])
    return "".join(out)


def _word_blocks(container) -> Iterator:
    """Paragraphs and tables in document order, looking through content controls."""
    for child in container:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _word_blocks(child)


def _word_part_pieces(root, part: str | None) -> Iterator[tuple[Location, str]]:
    container = root.find(_W + "body")
    if container is None:
        container = root
    paragraph = table = 0
    for block in _word_blocks(container):
        if block.tag == _W + "p":
            paragraph += 1
            yield Location(part=part, paragraph=paragraph), _word_text(block)
            continue
        table += 1
        for r, tr in enumerate(block.findall(_W + "tr"), start=1):
            for c, tc in enumerate(tr.findall(_W + "tc"), start=1):
                # Paragraphs of a cell (and of a table nested in it) kept apart.
                text = "\n".join(_word_text(p) for p in tc.iter(_W + "p"))
                yield Location(part=part, table=table, row=r, column=c), text


def _word_part_name(path: str) -> str | None:
    stem = path.rsplit("/", 1)[-1].removesuffix(".xml")
    number = "".join(ch for ch in stem if ch.isdigit())
    for prefix, label in (
        ("header", _("页眉")),
        ("footer", _("页脚")),
        ("footnotes", _("脚注")),
        ("endnotes", _("尾注")),
        ("comments", _("批注")),
    ):
        if stem.startswith(prefix):
            return f"{label}{number}"
    return None


def docx_pieces(data: bytes, name: str) -> Iterator[tuple[Location, str]]:
    """The Word body (paragraphs and table cells), then headers, footers, notes, comments and
    the addresses of external links."""
    from defusedxml import ElementTree

    package = files.open_package(data, name)
    names = package.namelist()
    if "word/document.xml" not in names:
        raise files.unreadable(name)
    parts = ["word/document.xml"] + sorted(
        n
        for n in names
        if re.fullmatch(r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes|comments)\.xml", n)
    )
    for path in parts:
        try:
            root = ElementTree.fromstring(package.read(path))
        except ElementTree.ParseError as exc:
            raise files.unreadable(name) from exc
        yield from _word_part_pieces(root, _word_part_name(path))
    for path in names:
        if path.startswith("word/_rels/") and path.endswith(".rels"):
            try:
                root = ElementTree.fromstring(package.read(path))
            except ElementTree.ParseError as exc:
                raise files.unreadable(name) from exc
            for rel in root:
                if rel.get("TargetMode") == "External":
                    yield Location(part=gettext("超链接地址")), rel.get("Target", "")


def _cell_text(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return None


def xlsx_pieces(data: bytes, name: str) -> Iterator[tuple[Location, str]]:
    """Every cell of every sheet (hidden sheets too), with its sheet and cell reference."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    files.open_package(data, name)  # size checks before openpyxl unpacks anything
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise files.unreadable(name) from exc
    try:
        for sheet in workbook.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    text = _cell_text(value)
                    if text and _CANDIDATE.search(text):
                        cell = f"{get_column_letter(c)}{r}"
                        yield Location(sheet=sheet.title, cell=cell), text
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB 18030 (what Chinese Excel saves as CSV)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def csv_pieces(data: bytes) -> Iterator[tuple[Location, str]]:
    """Every field with its row and column as a spreadsheet program shows them."""
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for r, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        for c, value in enumerate(row, start=1):
            if value:
                yield Location(row=r, column=c), value


def pieces(data: bytes, name: str, warnings: list[str]) -> Iterator[tuple[Location, str]]:
    """The text of a file in located pieces, by its kind."""
    kind = files.kind_of(name, data)
    if kind == "pdf":
        return pdf_pieces(data, name, warnings)
    if kind == "docx":
        return docx_pieces(data, name)
    if kind == "xlsx":
        return xlsx_pieces(data, name)
    if kind == "csv":
        return csv_pieces(data)
    if kind == "txt":
        return text_pieces(decode_text(data))
    warnings.append(gettext("图片没有可检查的文字，请人工核对图片内容。"))
    return iter(())


# --------------------------------------------------------------------------- entry point


def scan(source, allow: Iterable[str] | None = None, *, name: str = "") -> ScanResult:
    """Scan a text (str: its lines are paragraphs; `name` only labels it) or a file (a
    pathlib.Path, bytes with `name`, an uploaded or stored Django file) for personal data.

    `allow`: the numbers and addresses that are not findings (the office's allow-list is
    `publication.models.default_allow_list()`; this module reads no database).

    Raises ValidationError (Chinese message; code "unsupported", "bad_content", "unreadable"
    or "too_large") when the file cannot be read.
    """
    allowed = allow_set(allow or ())
    if isinstance(source, str):
        result = ScanResult(name=name or gettext("正文"))
        stream = text_pieces(source)
    else:
        if isinstance(source, bytes):
            data = source
            if not name:
                raise ValueError("scan(bytes) needs name= to know the file's kind")
        else:
            data, found_name = files.read_source(source)
            name = name or found_name
        result = ScanResult(name=name)
        stream = pieces(data, name, result.warnings)
    try:
        for location, text in stream:
            result.findings.extend(find_in_text(text, location, allowed, result.name))
    except ValidationError:
        raise
    except (ValueError, KeyError, OSError, EOFError, SyntaxError, zipfile.BadZipFile) as exc:
        raise files.unreadable(name) from exc
    return result
