"""Files of each kind staff upload, generated for the pre-publication tests and the bench:
a PDF (WeasyPrint, metadata set with pikepdf), Word packages built by hand (so tracked
changes and comments are exactly what Word writes), Excel (openpyxl), images (Pillow).
Every number in them is invented; the ID numbers are made valid with their check digit."""

from __future__ import annotations

import io
import zipfile
from html import escape

from publication.scan import id_check_character


def resident_id(first17: str = "32040219900101123") -> str:
    """A valid mainland ID number (GB 11643 check character) from 17 invented digits."""
    return first17 + id_check_character(first17)


def wrong_check_id(first17: str = "32040219900101123") -> str:
    """The same digits with a wrong check character."""
    right = id_check_character(first17)
    return first17 + next(c for c in "0123456789" if c != right)


def pdf_bytes(
    pages: list[str] | None = None,
    *,
    table_rows: list[tuple[str, str]] = (),
    author: str = "",
    creator: str = "",
) -> bytes:
    """A PDF with one page per text (the table on the first page), then the document
    information and XMP set with pikepdf."""
    import pikepdf
    from weasyprint import HTML

    pages = pages or ["常州市外事办公开信息。"]
    rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in table_rows)
    table = f"<table border='1'><tr><th>姓名</th><th>证件号码</th></tr>{rows}</table>"
    body = "".join(
        f"<section style='page-break-before:{'always' if i else 'auto'}'>"
        f"<p>{escape(text)}</p>{table if i == 0 and table_rows else ''}</section>"
        for i, text in enumerate(pages)
    )
    html = (
        "<html><head><style>body{font-family:'Noto Sans CJK SC',sans-serif}</style></head>"
        f"<body>{body}</body></html>"
    )
    data = HTML(string=html).write_pdf()
    if not (author or creator):
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            if author:
                meta["dc:creator"] = [author]
            if creator:
                meta["xmp:CreatorTool"] = creator
        if author:
            pdf.docinfo["/Author"] = author
        if creator:
            pdf.docinfo["/Creator"] = creator
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OOXML = "application/vnd.openxmlformats-"
PKG = "http://schemas.openxmlformats.org/package/2006"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    XML_HEAD + f'<Types xmlns="{PKG}/content-types">'
    f'<Default Extension="rels" ContentType="{OOXML}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    f'ContentType="{OOXML}officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    f'ContentType="{OOXML}package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    f'ContentType="{OOXML}officedocument.extended-properties+xml"/>'
    "{extra}</Types>"
)
RELS = (
    XML_HEAD + f'<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{PKG}/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
CORE = (
    XML_HEAD + f'<cp:coreProperties xmlns:cp="{PKG}/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>关于拟授予荣誉市民的公示</dc:title><dc:creator>{author}</dc:creator>"
    "<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2022-03-01T08:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP = (
    XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Office Word</Application>'
    "<Company>{company}</Company><Manager>{author}</Manager></Properties>"
)
COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="王小明">
<w:p><w:r><w:t>这一段要再核对</w:t></w:r></w:p></w:comment></w:comments>"""


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def docx_bytes(
    paragraphs: list[str],
    *,
    table: list[list[str]] = (),
    tracked_insert: str = "",
    tracked_delete: str = "",
    comment: bool = False,
    author: str = "王小明",
    company: str = "常州市某某科技有限公司",
) -> bytes:
    """A Word package: paragraphs, then a table, then an optional paragraph with a tracked
    insertion or deletion, and an optional comment (word/comments.xml)."""
    body = [f"<w:p>{_run(text)}</w:p>" for text in paragraphs]
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc><w:p>{_run(cell)}</w:p></w:tc>" for cell in row) + "</w:tr>"
            for row in table
        )
        body.append(f"<w:tbl>{rows}</w:tbl>")
    if tracked_insert or tracked_delete:
        change = ""
        if tracked_insert:
            change += (
                f'<w:ins w:id="1" w:author="{author}" w:date="2022-03-01T08:00:00Z">'
                f"{_run(tracked_insert)}</w:ins>"
            )
        if tracked_delete:
            change += (
                f'<w:del w:id="2" w:author="{author}" w:date="2022-03-01T08:00:00Z">'
                f'<w:r><w:delText xml:space="preserve">{escape(tracked_delete)}</w:delText>'
                "</w:r></w:del>"
            )
        body.append(f"<w:p>{_run('修订段落：')}{change}</w:p>")
    if comment:
        body.append(
            '<w:p><w:commentRangeStart w:id="0"/>'
            + _run("有批注的段落")
            + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>'
    )
    extra = ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if comment:
            extra = (
                '<Override PartName="/word/comments.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>\n'
            )
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(extra=extra))
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
        z.writestr("docProps/core.xml", CORE.format(author=author))
        z.writestr("docProps/app.xml", APP.format(company=company, author=author))
        if comment:
            z.writestr("word/comments.xml", COMMENTS)
    return out.getvalue()


def xlsx_bytes(rows: list[list], *, sheet: str = "名单", author: str = "王小明") -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def jpeg_with_exif(*, artist: str = "王小明", orientation: int = 6) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    exif[0x0112] = orientation
    exif[0x010F] = "Camera Maker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"internal note")
    return out.getvalue()


def png_with_text(text: str = "Author: 王小明") -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    key, _sep, value = text.partition(": ")
    info.add_itxt(key, value)
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()
