"""Native Excel charts over a sheet's own cells: lines against a category, clustered columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wuhai_zs.render.excel.book import BODY, HEAD

if TYPE_CHECKING:
    from openpyxl.chart._chart import ChartBase
    from openpyxl.worksheet.worksheet import Worksheet

BLUE, ORANGE, GREY = "2F5597", "ED7D31", "A5A5A5"


def _text_font(chart: Any) -> None:
    """Chinese fonts for the chart's title and labels (Excel falls back to a Latin font)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties

    latin = Font(typeface=BODY)
    props = CharacterProperties(latin=latin, ea=Font(typeface=BODY), sz=900)
    chart.txPr = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(chart: Any, text: str) -> None:
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Font,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
    )

    props = CharacterProperties(latin=Font(typeface=HEAD), ea=Font(typeface=HEAD), sz=1200, b=False)
    run = RegularTextRun(rPr=props, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    chart.title = Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _axes(chart: Any, y_title: str, y_format: str = "#,##0") -> None:
    # openpyxl >= 3.1 leaves axes' "delete" unset, which newer Excel reads as hidden axes
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = y_format
    chart.legend.position = "b"
    _text_font(chart)


def _line_colour(series: Any, rgb: str, dash: str | None = None, width: int = 28575) -> None:
    line = series.graphicalProperties.line
    line.solidFill = rgb
    line.width = width
    if dash:
        line.dashStyle = dash
    series.smooth = False
    series.marker.symbol = "none"


def _bar_colour(series: Any, rgb: str) -> None:
    series.graphicalProperties.solidFill = rgb
    series.graphicalProperties.line.solidFill = rgb


def _series(ws: Worksheet, col: int, header: int, first: int, last: int, name: str | None) -> Any:
    """A chart series over rows first..last of a column, named by the column's header."""
    from openpyxl.chart import Reference, Series
    from openpyxl.chart.series import SeriesLabel

    series = Series(Reference(ws, min_col=col, min_row=first, max_row=last))
    label = name or str(ws.cell(row=header, column=col).value or "").replace("\n", "")
    series.tx = SeriesLabel(v=label)
    return series


def _categories(ws: Worksheet, col: int, first: int, last: int) -> Any:
    from openpyxl.chart import Reference

    return Reference(ws, min_col=col, min_row=first, max_row=last)


def line_chart(
    ws: Worksheet,
    title: str,
    y_title: str,
    header: int,
    first: int,
    last: int,
    cat_col: int,
    series: Sequence[tuple[int, str, str | None, str]],
) -> ChartBase:
    """Lines for the (column, colour, dash, name) series over rows first..last."""
    from openpyxl.chart import LineChart

    chart = LineChart()
    _title(chart, title)
    for col, rgb, dash, name in series:
        chart.series.append(_series(ws, col, header, first, last, name))
        _line_colour(chart.series[-1], rgb, dash)
    chart.set_categories(_categories(ws, cat_col, first, last))
    _axes(chart, y_title)
    chart.x_axis.tickLblSkip = 3
    return chart


def bar_chart(
    ws: Worksheet,
    title: str,
    y_title: str,
    header: int,
    first: int,
    last: int,
    cat_col: int,
    series: Sequence[tuple[int, str, str]],
) -> ChartBase:
    """Clustered columns for the (column, colour, name) series over rows first..last."""
    from openpyxl.chart import BarChart

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    _title(chart, title)
    for col, rgb, name in series:
        chart.series.append(_series(ws, col, header, first, last, name))
        _bar_colour(chart.series[-1], rgb)
    chart.set_categories(_categories(ws, cat_col, first, last))
    chart.gapWidth = 80
    _axes(chart, y_title)
    return chart
