"""Charts drawn on the server as accessible SVG: no JavaScript, no build step.

Each chart is one inline `<svg role="img">` named by its `<title>` and `<desc>` (through
`aria-labelledby`), the description spelling out every figure so a screen reader gets the
data, not a picture. Values are written as text next to each bar, and the two years differ
by pattern (solid against hatched and outlined), not only by colour, so the chart reads the
same printed in black and white, in Windows high-contrast mode and in the PDF pipeline
(WeasyPrint draws inline SVG). Colours are presentation attributes, which a strict
Content-Security-Policy allows; the classes (`c-now`, `c-prev`, `c-text`, …) let
dashboard.css switch them to system colours under `forced-colors` and to black in print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CURRENT_FILL = "#1f4e79"
PREVIOUS_STROKE = "#333333"
TEXT_FILL = "#000000"
GRID_STROKE = "#767676"
FONT_SIZE = 13


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    previous: float | None = None


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _rows(data: Sequence) -> list[Row]:
    return [row if isinstance(row, Row) else Row(*row) for row in data]


def describe(rows: Sequence[Row], *, series: tuple[str, str | None], unit: str = "") -> str:
    """The chart's data in words, e.g. "2021年：党组理论学习中心组学法 4次；……"."""
    parts = []
    for index, name in enumerate(series):
        if name is None:
            continue
        values = [row.value if index == 0 else row.previous for row in rows]
        items = "，".join(
            f"{row.label} {_number(value)}{unit}" for row, value in zip(rows, values, strict=True)
        )
        parts.append(f"{name}：{items}")
    return "；".join(parts) + "。"


def _open_svg(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="{1}" '
        'height="{2}" font-size="{3}" font-family="inherit">'
        '<title id="{0}-title">{4}</title><desc id="{0}-desc">{5}</desc>',
        chart_id,
        width,
        height,
        FONT_SIZE,
        title,
        description,
    )


def _defs(chart_id: str) -> str:
    return format_html(
        '<defs><pattern id="{0}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<line class="c-hatch" x1="0" y1="0" x2="0" y2="6" stroke="{1}" stroke-width="2"/>'
        "</pattern></defs>",
        chart_id,
        PREVIOUS_STROKE,
    )


def _bar(chart_id: str, x: float, y: float, w: float, h: float, *, current: bool) -> str:
    if current:
        return format_html(
            '<rect class="c-now" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
            round(x, 1),
            round(y, 1),
            round(w, 1),
            round(h, 1),
            CURRENT_FILL,
        )
    return format_html(
        '<rect class="c-prev" x="{}" y="{}" width="{}" height="{}" fill="url(#{}-hatch)" '
        'stroke="{}" stroke-width="1"/>',
        round(x, 1),
        round(y, 1),
        round(w, 1),
        round(h, 1),
        chart_id,
        PREVIOUS_STROKE,
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int | None = None):
    return format_html(
        '<text class="c-text" x="{}" y="{}" text-anchor="{}" fill="{}"{}>{}</text>',
        round(x, 1),
        round(y, 1),
        anchor,
        TEXT_FILL,
        mark_safe(f' font-size="{int(size)}"') if size else "",  # noqa: S308  (an int)
        text,
    )


def _legend(chart_id: str, y: float, series: tuple[str, str | None]) -> list[str]:
    parts = [_bar(chart_id, 0, y - 10, 14, 12, current=True), _text(20, y, series[0])]
    if series[1] is not None:
        parts += [_bar(chart_id, 110, y - 10, 14, 12, current=False), _text(130, y, series[1])]
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence,
    series: tuple[str, str | None],
    unit: str = "",
    description: str = "",
    label_width: int = 190,
    width: int = 520,
) -> SafeString:
    """Horizontal bars, one group per row: the selected year solid, the previous hatched."""
    rows = _rows(rows)
    with_previous = series[1] is not None
    bar_h, gap = 14, 10
    group_h = bar_h * (2 if with_previous else 1) + gap
    top, legend_h = 6, 26
    height = top + group_h * max(len(rows), 1) + legend_h
    scale_w = width - label_width - 50
    peak = max([row.value for row in rows] + [row.previous or 0 for row in rows] + [1])
    description = description or describe(rows, series=series, unit=unit)
    parts = [_open_svg(chart_id, width, height, title, description), _defs(chart_id)]
    for index, row in enumerate(rows):
        y = top + index * group_h
        parts.append(_text(label_width - 8, y + bar_h - 2, row.label, anchor="end"))
        values = [(row.value, True)] + ([(row.previous or 0, False)] if with_previous else [])
        for offset, (value, current) in enumerate(values):
            bar_y = y + offset * bar_h
            bar_w = scale_w * value / peak
            parts.append(
                _bar(chart_id, label_width, bar_y, max(bar_w, 0), bar_h - 2, current=current)
            )
            parts.append(_text(label_width + bar_w + 4, bar_y + bar_h - 3, _number(value) + unit))
    axis_bottom = top + group_h * max(len(rows), 1) - gap / 2
    parts.append(
        format_html(
            '<line class="c-axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}"/>',
            label_width,
            top - 2,
            round(axis_bottom, 1),
            GRID_STROKE,
        )
    )
    parts += _legend(chart_id, height - 8, series)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece escaped by format_html)


def column_chart(
    *,
    chart_id: str,
    title: str,
    columns: Sequence,
    series: tuple[str, str | None],
    unit: str = "",
    description: str = "",
    width: int = 520,
    height: int = 200,
) -> SafeString:
    """Vertical column pairs (e.g. one per month), values written above non-zero columns."""
    columns = _rows(columns)
    with_previous = series[1] is not None
    left, top, bottom, legend_h = 8, 18, 22, 24
    plot_h = height - top - bottom - legend_h
    slot = (width - left) / max(len(columns), 1)
    bar_w = (slot - 6) / (2 if with_previous else 1)
    peak = max([c.value for c in columns] + [c.previous or 0 for c in columns] + [1])
    description = description or describe(columns, series=series, unit=unit)
    parts = [_open_svg(chart_id, width, height, title, description), _defs(chart_id)]
    base_y = top + plot_h
    for index, column in enumerate(columns):
        x = left + index * slot + 3
        values = [(column.value, True)] + ([(column.previous or 0, False)] if with_previous else [])
        for offset, (value, current) in enumerate(values):
            h = plot_h * value / peak
            bar_x = x + offset * bar_w
            parts.append(_bar(chart_id, bar_x, base_y - h, bar_w - 1, h, current=current))
            if value:
                parts.append(
                    _text(
                        bar_x + bar_w / 2, base_y - h - 3, _number(value), anchor="middle", size=11
                    )
                )
        parts.append(_text(x + (slot - 6) / 2, base_y + 15, column.label, anchor="middle", size=11))
    parts.append(
        format_html(
            '<line class="c-axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}"/>',
            left,
            round(base_y, 1),
            width,
            GRID_STROKE,
        )
    )
    parts += _legend(chart_id, height - 6, series)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece escaped by format_html)


def series_names(year: int, previous: int | None) -> tuple[str, str | None]:
    name = _("%(year)s年")
    return name % {"year": year}, (name % {"year": previous} if previous else None)


def dashboard_charts(data) -> dict[str, SafeString]:
    """The dashboard's charts for `metrics.DashboardData`, shared by the page and the PDF."""
    series = series_names(data.year, data.previous)
    learning = data.panels["learning"].extra
    return {
        "plan": bar_chart(
            chart_id="chart-plan",
            title=_("计划任务完成情况"),
            rows=data.panels["plan"].extra["chart"],
            series=series,
            unit=_("项"),
        ),
        "kinds": bar_chart(
            chart_id="chart-kinds",
            title=_("学法活动形式"),
            rows=learning["kinds"],
            series=series,
            unit=_("次"),
        ),
        "months": column_chart(
            chart_id="chart-months",
            title=_("学法活动月度分布"),
            columns=[
                (_("%(month)s月") % {"month": month}, now, before)
                for month, now, before in learning["months"]
            ],
            series=series,
            unit=_("次"),
        ),
        "classes": bar_chart(
            chart_id="chart-classes",
            title=_("提案建议办理结果分类"),
            rows=data.panels["proposals"].extra["classes"],
            series=series,
            unit=_("件"),
            label_width=60,
        ),
    }
