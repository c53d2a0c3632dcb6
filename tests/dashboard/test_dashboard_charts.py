"""Server-drawn SVG charts: named for assistive technology, values in text, safe with any label."""

import re
import xml.etree.ElementTree as ET

from dashboard.charts import Row, bar_chart, column_chart, describe, series_names

SVG = "{http://www.w3.org/2000/svg}"
SERIES = ("2021年", "2020年")


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own markup)


def test_bar_chart_is_an_image_named_by_its_title_and_description():
    svg = bar_chart(
        chart_id="kinds",
        title="学法活动形式",
        rows=[("党组理论学习中心组学法", 4, 1), ("专题讲座", 2, 0)],
        series=SERIES,
        unit="次",
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kinds-title kinds-desc"
    assert root.find(f"{SVG}title").get("id") == "kinds-title"
    assert root.find(f"{SVG}title").text == "学法活动形式"
    description = root.find(f"{SVG}desc")
    assert description.get("id") == "kinds-desc"
    assert description.text == (
        "2021年：党组理论学习中心组学法 4次，专题讲座 2次；"
        "2020年：党组理论学习中心组学法 1次，专题讲座 0次。"
    )


def test_values_are_written_as_text_and_years_differ_by_pattern_not_only_colour():
    svg = bar_chart(chart_id="c", title="t", rows=[("A", 3, 5)], series=SERIES, unit="件")
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "3件" in texts and "5件" in texts
    assert "2021年" in texts and "2020年" in texts  # the legend names both series
    rects = list(root.iter(f"{SVG}rect"))
    fills = {r.get("class"): r.get("fill") for r in rects}
    assert fills["c-prev"] == "url(#c-hatch)"  # hatched, outlined
    assert fills["c-now"].startswith("#")  # solid
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == "c-hatch"


def test_labels_are_escaped():
    svg = bar_chart(
        chart_id="x",
        title="<b>标题</b>",
        rows=[('<script>alert("x")</script>', 1, 0)],
        series=SERIES,
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    _parse(svg)  # still well-formed XML


def test_all_zero_data_draws_empty_bars_without_error():
    svg = column_chart(
        chart_id="m", title="月度", columns=[(f"{m}月", 0, 0) for m in range(1, 13)], series=SERIES
    )
    root = _parse(svg)
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect") if r.get("class")]
    assert max(heights[:-2]) == 0  # the last two are the legend swatches
    assert [t.text for t in root.iter(f"{SVG}text")].count("12月") == 1


def test_column_chart_writes_non_zero_values_above_columns():
    svg = column_chart(
        chart_id="m", title="月度", columns=[("1月", 2, 0), ("2月", 0, 3)], series=SERIES
    )
    texts = [t.text for t in _parse(svg).iter(f"{SVG}text")]
    assert texts.count("2") == 1 and texts.count("3") == 1
    assert "0" not in texts


def test_a_chart_without_a_previous_year_has_one_series():
    svg = bar_chart(chart_id="s", title="t", rows=[("A", 1)], series=("2021年", None))
    root = _parse(svg)
    assert not [r for r in root.iter(f"{SVG}rect") if r.get("class") == "c-prev"]
    assert root.find(f"{SVG}desc").text == "2021年：A 1。"


def test_describe_and_series_names_read_naturally():
    assert series_names(2021, 2020) == ("2021年", "2020年")
    assert describe([Row("完成率", 33.3, 100.0)], series=SERIES, unit="%") == (
        "2021年：完成率 33.3%；2020年：完成率 100%。"
    )


def test_ids_are_unique_per_chart_so_several_fit_on_one_page():
    page = bar_chart(chart_id="a", title="t", rows=[("A", 1, 1)], series=SERIES) + bar_chart(
        chart_id="b", title="t", rows=[("A", 1, 1)], series=SERIES
    )
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
