"""Reading and writing the two spreadsheet formats the portal accepts: xlsx and csv.

Uploads are checked *before* anything parses them: size, type, the zip
directory of an xlsx (a small file that inflates to gigabytes is refused before openpyxl
opens it), the header row and the row count. Every refusal is a ValidationError with a
Chinese message and a code. The same readers back the admin, the commands and the
background imports, so what the admin exports, the admin imports unchanged.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
import zipfile
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from import_export.formats import base_formats

from core.uploads import check_zip_expansion

XLSX = "xlsx"
CSV = "csv"
KINDS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
ZIP_MAGIC = b"PK\x03\x04"


def max_upload_bytes() -> int:
    return settings.FAO_MAX_UPLOAD_BYTES


def max_import_rows() -> int:
    return settings.FAO_MAX_IMPORT_ROWS


@dataclass
class UploadInfo:
    kind: str
    size: int
    rows: int
    headers: list[str] = field(default_factory=list)


# OOXML text escaping (ST_Xstring), as Excel does it: XML cannot carry a bare carriage
# return (parsers turn it into a line feed) or other control characters, so they are
# written as _xHHHH_, and a literal "_xHHHH_" in the text as "_x005F_xHHHH_".
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x0d\x0e-\x1f]")
_XSTRING_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_XSTRING_CODE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_encode_text(text: str) -> str:
    text = _XSTRING_LITERAL.sub(r"_x005F_\1", text)
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_decode_text(text: str) -> str:
    if "_x" not in text:
        return text
    return _XSTRING_CODE.sub(lambda m: chr(int(m.group(1), 16)), text)


def kind_from_name(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in KINDS:
        raise ValidationError(
            gettext("只能导入 xlsx 或 csv 文件，“%(name)s”不是。") % {"name": name},
            code="bad_type",
        )
    return suffix


def inspect_upload(data: bytes, name: str, *, kind: str | None = None, resource=None) -> UploadInfo:
    """All checks that come before parsing. Raises ValidationError (Chinese, with a code)."""
    size = len(data)
    if size > max_upload_bytes():
        raise ValidationError(
            gettext("文件大小 %(size)s，超过允许的上限 %(max)s。")
            % {"size": filesizeformat(size), "max": filesizeformat(max_upload_bytes())},
            code="too_large",
        )
    kind = kind or kind_from_name(name)
    if size == 0:
        raise ValidationError(gettext("文件是空的。"), code="empty")
    if kind == XLSX:
        rows, headers = _inspect_xlsx(data)
    else:
        rows, headers = _inspect_csv(data)
    if rows > max_import_rows():
        raise ValidationError(
            gettext("文件有 %(rows)s 行数据，超过单次导入上限 %(max)s 行，请拆分后再导入。")
            % {"rows": rows, "max": max_import_rows()},
            code="too_many_rows",
        )
    if resource is not None:
        resource.check_headers(headers)
    if rows == 0:
        raise ValidationError(gettext("文件中没有数据行。"), code="no_rows")
    return UploadInfo(kind=kind, size=size, rows=rows, headers=headers)


def _inspect_xlsx(data: bytes) -> tuple[int, list[str]]:
    not_xlsx = ValidationError(
        gettext("文件内容不是有效的 xlsx 工作簿，请用 Excel 或 WPS 另存为 xlsx 后再导入。"),
        code="bad_xlsx",
    )
    if not data.startswith(ZIP_MAGIC):
        raise not_xlsx
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or len(members) > 2000:
        raise not_xlsx
    check_zip_expansion(members)
    sheet = _first_sheet_member(archive, names)
    if sheet is None:
        raise not_xlsx
    rows = 0
    try:
        with archive.open(sheet) as stream:
            tail = b""
            while chunk := stream.read(1024 * 1024):
                window = tail + chunk
                rows += len(re.findall(rb"<(?:\w+:)?row[ >]", window))
                # Keep a small tail so a tag split across chunks is counted once.
                tail = window[-16:]
                rows -= len(re.findall(rb"<(?:\w+:)?row[ >]", tail))
            rows += len(re.findall(rb"<(?:\w+:)?row[ >]", tail))
        headers = _xlsx_header(data)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        raise not_xlsx from None
    return max(rows - 1, 0), headers


def _first_sheet_member(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


def _xlsx_header(data: bytes) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for row in book.active.iter_rows(max_row=1, values_only=True):
            return _clean_headers(row)
        return []
    finally:
        book.close()


def _clean_headers(row) -> list[str]:
    headers = [str(v).strip() if v is not None else "" for v in row]
    while headers and headers[-1] == "":
        headers.pop()
    return headers


def decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096] or data.startswith(ZIP_MAGIC):
        raise ValidationError(
            gettext("文件内容不是文本格式的 CSV，请确认文件类型。"), code="bad_csv"
        )
    # Excel in a Chinese locale saves CSV as GB18030/GBK; everything else is UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        gettext("无法识别 CSV 文件的编码，请保存为 UTF-8 编码后再导入。"), code="bad_encoding"
    )


def _csv_rows(text: str):
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if any(cell.strip() for cell in row):
                yield row
    except csv.Error:
        raise ValidationError(
            gettext("CSV 文件格式有误（引号或分隔符不匹配），无法读取。"), code="bad_csv"
        ) from None


def _inspect_csv(data: bytes) -> tuple[int, list[str]]:
    text = decode_csv(data)
    rows = _csv_rows(text)
    headers = _clean_headers(next(rows, []))
    count = sum(1 for _ in rows)
    return count, headers


def read_dataset(data: bytes, kind: str) -> tablib.Dataset:
    """Parse an upload that passed `inspect_upload` into a tablib Dataset (blank rows
    dropped, header cells trimmed)."""
    dataset = tablib.Dataset()
    if kind == XLSX:
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
            raise ValidationError(
                gettext("文件内容不是有效的 xlsx 工作簿，请用 Excel 或 WPS 另存为 xlsx 后再导入。"),
                code="bad_xlsx",
            ) from None
        try:
            rows = book.active.iter_rows(values_only=True)
            headers = _clean_headers(next(rows, ()))
            width = len(headers)
            dataset.headers = headers
            for row in rows:
                values = [xlsx_decode_text(v) if isinstance(v, str) else v for v in row[:width]]
                if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                    values += [None] * (width - len(values))
                    dataset.append(values)
        finally:
            book.close()
    else:
        rows = _csv_rows(decode_csv(data))
        headers = _clean_headers(next(rows, []))
        width = len(headers)
        dataset.headers = headers
        for row in rows:
            values = row[:width] + [""] * (width - len(row))
            dataset.append(values)
    if len(dataset) > max_import_rows():
        raise ValidationError(
            gettext("文件有 %(rows)s 行数据，超过单次导入上限 %(max)s 行，请拆分后再导入。")
            % {"rows": len(dataset), "max": max_import_rows()},
            code="too_many_rows",
        )
    return dataset


def write_dataset(dataset: tablib.Dataset, kind: str) -> bytes:
    """xlsx with real date and number cells and bold headers, or UTF-8 csv with a BOM so
    Excel shows the Chinese correctly."""
    if kind == CSV:
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(dataset.headers or [])
        for row in dataset:
            writer.writerow(["" if v is None else _csv_text(v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=(dataset.title or "Sheet1")[:31])
    headers = list(dataset.headers or [])
    for index, header in enumerate(headers, 1):
        width = min(max(len(str(header)) * 2 + 2, 10), 40)
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_encode_text(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.freeze_panes = "A2"
    sheet.append(header_cells)
    for row in dataset:
        cells = []
        for value in row:
            if isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
            elif value is None:
                cell = WriteOnlyCell(sheet, value=None)
            else:
                cell = WriteOnlyCell(sheet, value=xlsx_encode_text(str(value)))
                # Escaped already (dataio.resources); this makes sure openpyxl never turns
                # a string into a formula cell whatever it starts with.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


# --- import-export format classes, so the admin uses the same readers and writers -----


class PortalXLSX(base_formats.XLSX):
    native_types = True

    def create_dataset(self, in_stream, **kwargs):
        return read_dataset(_as_bytes(in_stream), XLSX)

    def export_data(self, dataset, **kwargs):
        return write_dataset(dataset, XLSX)


class PortalCSV(base_formats.CSV):
    native_types = False

    def is_binary(self):
        # Read as bytes: the encoding (UTF-8 or GB18030) is decided by `decode_csv`.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_dataset(_as_bytes(in_stream), CSV)

    def export_data(self, dataset, **kwargs):
        return write_dataset(dataset, CSV)

    def get_content_type(self):
        return CONTENT_TYPES[CSV]


FORMAT_CLASSES = {XLSX: PortalXLSX, CSV: PortalCSV}


def kind_of_format(file_format) -> str:
    return XLSX if isinstance(file_format, PortalXLSX) else CSV


def _as_bytes(in_stream) -> bytes:
    if isinstance(in_stream, str):
        return in_stream.encode("utf-8")
    if hasattr(in_stream, "read"):
        return in_stream.read()
    return bytes(in_stream)
