from django import template

register = template.Library()


@register.filter
def row_unchanged(row) -> bool:
    """True for a preview row that would update a record without changing any value (the
    row's before/after display holds no insertion or deletion)."""
    if getattr(row, "import_type", "") != "update":
        return False
    cells = "".join(str(cell) for cell in (getattr(row, "diff", None) or []))
    return "<ins" not in cells and "<del" not in cells
