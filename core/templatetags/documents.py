"""Template filters for the text of published documents.

`document_body` renders a document's plain text as the disclosure page shows it: one
paragraph per block (blocks separated by a blank line; a text with single line breaks is read
one paragraph a line), and a block that is a numbered heading ("一、…", "（一）…") without a
full stop as a heading, as in the document itself (GB/T 9704-2012 7.3.3: 结构层次序数).
"""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。；]*$")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。；]*$")


def paragraphs(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return []
    if "\n\n" in text:
        return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return [line.strip() for line in text.split("\n") if line.strip()]


@register.filter
def document_body(text: str, level: int = 2):
    out = []
    for block in paragraphs(text):
        if HEADING.match(block):
            out.append(format_html('<h{0} class="doc-heading">{1}</h{0}>', level, block))
        elif SUBHEADING.match(block):
            out.append(format_html('<h{0} class="doc-subheading">{1}</h{0}>', level + 1, block))
        elif "\n" in block:
            lines = format_html_join(
                mark_safe("<br>"), "{}", ((line,) for line in block.split("\n"))
            )
            out.append(format_html('<p class="doc-signature">{}</p>', lines))
        else:
            out.append(format_html("<p>{}</p>", block))
    return mark_safe("\n".join(out))  # noqa: S308 - every piece escaped by format_html
