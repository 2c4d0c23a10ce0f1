"""What goes under a slide's title, drawn with python-pptx: a native table, a native chart, a
text box of paragraphs or bullets, and the executive summary's headline figures.

With a firm's template (``styled=False``) nothing here sets a font or a colour: text takes the
theme's fonts, tables the theme's table style and charts the theme's colours, except the
client's own series, drawn in the brand colour. Sizes are set, since fitting depends on them.
"""

from __future__ import annotations

from collections.abc import Sequence

from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from pmo_assess.charts.style import CATEGORY_COLOURS, MUTED, PEER, TARGET
from pmo_assess.report.content import Table
from pmo_assess.report.deck.charts import ChartData, Series
from pmo_assess.report.deck.fit import EMU_PER_PT, TableFit
from pmo_assess.report.deck.layouts import Rect

CHART_FONT = 11  # points: axis labels and legend
_BAR_TYPES = {XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED}


def rgb(colour: str) -> RGBColor:
    """``#0B3C5D`` as python-pptx's colour."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def pt_emu(points: float) -> Emu:
    return Emu(int(points * EMU_PER_PT))


def draw_table(
    slide: Slide, table: Table, rows: Sequence[int], fit: TableFit, area: Rect, styled: bool
) -> None:
    """The table's header and the given rows, at the fitted size, widths and row heights."""
    shown = [table.rows[i] for i in rows]
    height = fit.header_height + sum(fit.row_heights[i] for i in rows)
    left, top, across, _ = area.box()
    frame = slide.shapes.add_table(
        len(shown) + 1, len(table.headers), left, top, across, pt_emu(height)
    )
    grid = frame.table
    grid.horz_banding = False  # rows highlighted on purpose stand out only where marked
    for index, width in enumerate(fit.widths):
        grid.columns[index].width = pt_emu(width)
    grid.rows[0].height = pt_emu(fit.header_height)
    for slot, index in enumerate(rows, start=1):
        grid.rows[slot].height = pt_emu(fit.row_heights[index])
    emphasis = table.emphasis or (0,) * len(table.rows)
    lines = [(table.headers, True), *((table.rows[i], emphasis[i] > 0) for i in rows)]
    for r, (cells, bold) in enumerate(lines):
        for c, text in enumerate(cells):
            cell = grid.cell(r, c)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            _cell_text(cell.text_frame, text, fit.size, bold, table.numeric[c])


def _cell_text(frame: TextFrame, text: str, size: float, bold: bool, numeric: bool) -> None:
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT if numeric else PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold or None


def draw_chart(slide: Slide, data: ChartData, area: Rect, brand: str, styled: bool) -> Chart:
    """A native chart of ``data`` filling ``area``: its numbers open with "Edit Data"."""
    source = CategoryChartData(number_format=data.number_format)
    source.categories = data.categories
    for series in data.series:
        source.add_series(series.name, series.values)
    frame = slide.shapes.add_chart(data.chart_type, *area.box(), source)  # type: ignore[arg-type]
    chart: Chart = frame.chart  # type: ignore[attr-defined]
    chart.font.size = Pt(CHART_FONT)
    chart.has_legend = data.legend
    if data.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    _axes(chart, data)
    others = iter(CATEGORY_COLOURS * len(data.series))
    for plotted, series in zip(chart.plots[0].series, data.series, strict=True):
        colour = {"client": brand, "target": TARGET, "peer": PEER}.get(series.role)
        if series.role == "other":
            colour = next(others)
        if not styled and series.role != "client":  # a firm's template colours the rest
            colour = None
        _series_look(plotted, series, data.chart_type, colour)
    if data.chart_type in _BAR_TYPES:
        chart.plots[0].gap_width = 60
        if data.chart_type == XL_CHART_TYPE.BAR_STACKED:
            chart.plots[0].overlap = 100
    if data.kind == "gap":
        chart.plots[0].has_data_labels = True
        chart.plots[0].data_labels.number_format = data.number_format
        chart.plots[0].data_labels.number_format_is_linked = False
    return chart


def _axes(chart: Chart, data: ChartData) -> None:
    values = chart.value_axis
    low, high = data.axis
    if low is not None:
        values.minimum_scale = low
    if high is not None:
        values.maximum_scale = high
    if data.major_unit:
        values.major_unit = data.major_unit
    values.has_major_gridlines = True
    values.tick_labels.number_format = data.number_format
    values.tick_labels.number_format_is_linked = False
    if data.reverse:
        chart.category_axis.reverse_order = True
        # the value axis stays at the foot of the chart, under the last category
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM


def _series_look(
    plotted: object, series: Series, chart_type: XL_CHART_TYPE, colour: str | None
) -> None:
    """A series in its colour (None: the theme's), the target dashed, a Gantt's offset
    invisible."""
    fmt = plotted.format  # type: ignore[attr-defined]
    lines = chart_type not in _BAR_TYPES
    if series.role == "hidden":
        fmt.fill.background()
        fmt.line.fill.background()
        return
    if lines:
        if colour:
            fmt.line.color.rgb = rgb(colour)
            plotted.marker.format.fill.solid()  # type: ignore[attr-defined]
            plotted.marker.format.fill.fore_color.rgb = rgb(colour)  # type: ignore[attr-defined]
            plotted.marker.format.line.color.rgb = rgb(colour)  # type: ignore[attr-defined]
        fmt.line.width = Pt(2.5 if series.role == "client" else 1.5)
        if series.role == "target":
            fmt.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        if series.role in ("target", "peer"):  # marks for the client's own scores only
            plotted.marker.style = XL_MARKER_STYLE.NONE  # type: ignore[attr-defined]
        elif series.role == "client":  # named, so a reader sees a radar *with markers*
            plotted.marker.style = XL_MARKER_STYLE.CIRCLE  # type: ignore[attr-defined]
        plotted.smooth = False  # type: ignore[attr-defined]
    elif colour:
        fmt.fill.solid()
        fmt.fill.fore_color.rgb = rgb(colour)


def write_text(
    frame: TextFrame,
    texts: Sequence[str],
    size: float,
    *,
    bullets: bool,
    numbered: bool = False,
    heading: str = "",
    styled: bool = True,
) -> None:
    """Paragraphs (no bullet) or a list into a text frame, replacing what it held, at the size
    fitted (the template's shrink-on-overflow turned off: it would shrink fitted text again)."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    first = frame.paragraphs[0]
    items = ([heading] if heading else []) + list(texts)
    for index, text in enumerate(items):
        paragraph = first if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = (
            f"{index + (0 if heading else 1)}. {text}"
            if numbered and (index or not heading)
            else text
        )
        run.font.size = Pt(size)
        paragraph.space_after = Pt(size * 0.3)
        if heading and index == 0:
            run.font.bold = True
        if not bullets or (heading and index == 0) or numbered:
            _no_bullet(paragraph._p)


def _no_bullet(p: object) -> None:
    """A paragraph without a bullet or indent, whatever its level's style has (in the order
    the schema gives ``a:pPr``'s children, which PowerPoint insists on)."""
    p_pr = p.get_or_add_pPr()  # type: ignore[attr-defined]
    p_pr.set("marL", "0")
    p_pr.set("indent", "0")
    for old in p_pr.findall(qn("a:buNone")):
        p_pr.remove(old)
    later = ("a:buAutoNum", "a:buChar", "a:buBlip", "a:tabLst", "a:defRPr", "a:extLst")
    p_pr.insert_element_before(p_pr.makeelement(qn("a:buNone"), {}), *later)


def draw_figures(
    slide: Slide, figures: Sequence[tuple[str, str]], area: Rect, brand: str, styled: bool
) -> None:
    """The headline figures side by side: a large value over what it is."""
    width = area.width // max(len(figures), 1)
    for index, (value, label) in enumerate(figures):
        box = slide.shapes.add_textbox(
            Emu(area.left + index * width), Emu(area.top), Emu(width), Emu(area.height)
        )
        frame = box.text_frame
        frame.word_wrap = True
        frame.margin_left = 0
        top = frame.paragraphs[0].add_run()
        top.text = value
        top.font.size, top.font.bold = Pt(26), True
        if styled:
            top.font.color.rgb = rgb(brand)
        below = frame.add_paragraph().add_run()
        below.text = label
        below.font.size = Pt(11)
        if styled:
            below.font.color.rgb = rgb(MUTED)
