"""The pre-publication personal-data scan (publication/scan.py) against reading the same
files' text alone.

Two files as staff attach them to a disclosure: a 20-page PDF (WeasyPrint; every page a
table of names, posts, mobile and ID numbers among ordinary text) and a 5,000-row xlsx
list (name, employer, post, mobile, ID number, remark). "Reading alone" is the plainest
read with the same libraries: PDFium's text of every page (pypdfium2), every cell value of
openpyxl's read-only mode. The scan reads the same way and looks for every kind of personal
data, with locations, masks and fingerprints. Best of 3 in one process; the ratio is the
scan's cost over reading. Also reported: stripping the PDF's metadata (pikepdf).
"""

import io

from harness import best_of, emit, setup_django

PAGES = 20
ROWS = 5_000
REPEAT = 3


def resident_id(n: int) -> str:
    from publication.scan import id_check_character

    first17 = f"320402{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + id_check_character(first17)


def make_pdf() -> bytes:
    from weasyprint import HTML

    pages = []
    for page in range(PAGES):
        rows = "".join(
            f"<tr><td>{page * 20 + r + 1}</td><td>张{r}某</td><td>常州某单位</td>"
            f"<td>科员</td><td>139{page:02d}{r:06d}</td><td>{resident_id(page * 20 + r)}</td></tr>"
            for r in range(20)
        )
        pages.append(
            f"<section style='page-break-before:{'always' if page else 'auto'}'>"
            f"<p>第{page + 1}部分：2021年，市外事办坚持依法行政，规范因公出国（境）管理，"
            "严格执行外事审批制度，落实政府信息公开要求。</p>"
            f"<table>{rows}</table></section>"
        )
    html = "<html><body style=\"font-family:'Noto Sans CJK SC'\">" + "".join(pages)
    return HTML(string=html + "</body></html>").write_pdf()


def make_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(["序号", "姓名", "单位", "职务", "手机", "证件号码", "备注"])
    for n in range(ROWS):
        sheet.append(
            [n + 1, f"李{n}", "常州某外资企业", "经理", f"138{n:08d}", resident_id(n), "无"]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_pdf(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    total = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        total += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return total


def read_xlsx(data: bytes) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = sum(
        1 for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for _ in row
    )
    workbook.close()
    return cells


def main() -> None:
    setup_django("scan")
    from publication.metadata import strip_metadata
    from publication.scan import scan

    pdf, xlsx = make_pdf(), make_xlsx()
    pdf_findings = len(scan(pdf, allow=(), name="名单.pdf").findings)
    xlsx_findings = len(scan(xlsx, allow=(), name="名单.xlsx").findings)
    for label, data, name, reader, findings, size in (
        ("pdf", pdf, "名单.pdf", read_pdf, pdf_findings, f"{PAGES} pages"),
        ("xlsx", xlsx, "名单.xlsx", read_xlsx, xlsx_findings, f"{ROWS} rows"),
    ):
        read = best_of(lambda data=data, reader=reader: reader(data), repeat=REPEAT)
        scanned = best_of(
            lambda data=data, name=name: scan(data, allow=(), name=name), repeat=REPEAT
        )
        emit(
            f"scan_{label}_ratio",
            round(scanned / read, 2),
            "×",
            compared_with=f"reading the text of the same {size} alone",
            scan_seconds=round(scanned, 3),
            read_seconds=round(read, 3),
            findings=findings,
            bytes=len(data),
        )
    strip = best_of(lambda: strip_metadata(pdf, "名单.pdf"), repeat=REPEAT)
    emit(
        "strip_pdf_metadata",
        round(strip, 3),
        "s",
        compared_with=f"pikepdf open and save of the same {PAGES}-page PDF",
    )


if __name__ == "__main__":
    main()
