"""The review as a Word draft (终期评估报告初稿) a staff member can paste into the city's report."""

# Layout follows the usual style of a government report: A4, margins 3.7/3.5/2.8/2.6 cm, title
# in 黑体 二号, 一级标题 黑体 三号 (一、), 二级标题 楷体_GB2312 三号 ((一)), body 仿宋_GB2312 三号
# with a 28 pt line and two characters of indent, tables in 宋体 五号 with a header row that
# repeats on every page, and "— 1 —" page numbers in the footer. Every Chinese font is named in
# w:eastAsia as well, so Word does not fall back to a Latin font for Chinese text.

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from wuhai_zs.render.review_text import (
    NUMERIC,
    SAMPLE_LINE,
    SAMPLE_MARK,
    Table,
    cell,
    cell_text,
    period_text,
    sections,
    title,
)

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from wuhai_zs.metrics.review import ReviewResult

HEAD = "黑体"
KAI = "楷体_GB2312"
BODY = "仿宋_GB2312"
TABLE_FONT = "宋体"
LATIN = "Times New Roman"
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
TABLE_PT = 10.5  # 五号
CAPTION_PT = 12  # 小四
NOTE_PT = 10.5
LINE_PT = 28  # fixed line spacing of body text
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6
HEADER_FILL = "D9D9D9"
RED = RGBColor(0xC0, 0x00, 0x00)
CENTRED = ("序号", "排名", "年度", "签约年度", "单位", "结果", "阶段", "达到目标增速")


def write_docx(result: ReviewResult, path: Path) -> None:
    """The Word draft at `path`, written atomically."""
    from wuhai_zs.render.excel.book import atomic_write

    atomic_write(path, lambda: docx_bytes(result))


def docx_bytes(result: ReviewResult) -> bytes:
    doc = build(result)
    stamp = dt.datetime.fromisoformat(result.as_of)
    props = doc.core_properties
    props.title = title(result)
    props.author = "wuhai-zs"
    props.last_modified_by = "wuhai-zs"
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = SAMPLE_LINE if result.synthetic else ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue(), stamp)


def _stable_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same package with every member dated `stamp`: equal reports are equal bytes."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- fonts and styles
def set_font(
    run: Run | Any,
    name: str,
    size: float | None = None,
    bold: bool | None = None,
    colour: RGBColor | None = None,
) -> None:
    """A run's (or style's) font: the Chinese name in w:eastAsia, Times New Roman for digits."""
    font = run.font
    font.name = LATIN if name in (BODY, TABLE_FONT, KAI) else name
    element = run.element if hasattr(run, "element") and run.element is not None else None
    r_pr = element.get_or_add_rPr() if element is not None else None
    if r_pr is not None:
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names below
        fonts.set(qn("w:eastAsia"), name)
        fonts.set(qn("w:ascii"), font.name)
        fonts.set(qn("w:hAnsi"), font.name)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour


def _style(doc: DocumentObject, name: str, font: str, size: float, bold: bool = False) -> Any:
    style = doc.styles[name]
    set_font(style, font, size, bold, RGBColor(0, 0, 0))
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return style


def _styles(doc: DocumentObject) -> None:
    normal = _style(doc, "Normal", BODY, BODY_PT)
    normal.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    normal.paragraph_format.widow_control = True
    # The document default language: Chinese, so Word checks and breaks lines as Chinese.
    r_pr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    r_pr.append(lang)
    for name, font in (("Heading 1", HEAD), ("Heading 2", KAI)):
        style = _style(doc, name, font, BODY_PT)
        style.font.italic = False
        style.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(6) if name == "Heading 1" else Pt(0)
    title_style = _style(doc, "Title", HEAD, TITLE_PT)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.line_spacing = Pt(40)
    title_style.paragraph_format.first_line_indent = Pt(0)
    # the default template draws a rule under Title: not in a government report
    p_pr = title_style.element.get_or_add_pPr()
    border = p_pr.find(qn("w:pBdr"))
    if border is not None:
        p_pr.remove(border)


# ---------------------------------------------------------------- page
def _page(doc: DocumentObject, synthetic: bool) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(3.7)
    section.bottom_margin = Cm(3.5)
    section.left_margin = Cm(2.8)
    section.right_margin = Cm(2.6)
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(2.5)
    section.different_first_page_header_footer = True  # no page number on the title page
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    set_font(footer.add_run("— "), TABLE_FONT, 14)
    _page_field(footer)
    set_font(footer.add_run(" —"), TABLE_FONT, 14)
    if synthetic:
        for header in (section.header, section.first_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            set_font(p.add_run(f"{SAMPLE_MARK}（合成数据，非真实台账）"), HEAD, 10.5, colour=RED)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the page number."""
    run = paragraph.add_run()
    set_font(run, TABLE_FONT, 14)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
            continue
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._r.append(shown)


# ---------------------------------------------------------------- content
def build(result: ReviewResult) -> DocumentObject:
    doc = Document()
    _styles(doc)
    _page(doc, result.synthetic)
    _title_page(doc, result)
    numbered = 0
    for section in sections(result):
        doc.add_paragraph(section.heading, style="Heading 1")
        for part in section.parts:
            if part.title:
                doc.add_paragraph(part.title, style="Heading 2")
            for text in part.paragraphs:
                _body(doc, text)
            for table in part.tables:
                numbered += 1
                _table(doc, table, numbered)
    _closing(doc, result)
    return doc


def _body(doc: DocumentObject, text: str) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    set_font(p.add_run(sentence(tighten(text))), BODY, BODY_PT)
    return p


# A space between a figure and Chinese text reads as a gap in a printed report (723.00亿元).
_GAP = re.compile(
    r"(?<=[0-9%A-Za-z)）]) (?=[\u4e00-\u9fff（])"
    r"|(?<=[\u4e00-\u9fff）]) (?=[0-9+\-—(（\u4e00-\u9fff])"
)
_DAY = re.compile(r"(?<![0-9-])(\d{4})-(\d{2})-(\d{2})(?![0-9])")
_MONTH = re.compile(r"(?<![0-9-])(\d{4})-(\d{2})(?![0-9-])")


def tighten(text: str) -> str:
    """Text as a Chinese report prints it: no spaces between figures and Chinese words, dates
    as 2025年12月31日 and months as 2025年8月 (they never break across lines)."""
    text = _DAY.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    text = _MONTH.sub(lambda m: f"{m[1]}年{int(m[2])}月", text)
    return _GAP.sub("", text)


def sentence(text: str) -> str:
    """A paragraph ends with a full stop."""
    return text if text.endswith(("。", "；", "：", "！", "？")) else text + "。"


def _centered(doc: DocumentObject, text: str, font: str, size: float, **kw: Any) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    set_font(p.add_run(text), font, size, **kw)
    return p


def _title_page(doc: DocumentObject, result: ReviewResult) -> None:
    for _ in range(3):
        _centered(doc, "", BODY, BODY_PT)
    if result.synthetic:
        mark = _centered(doc, SAMPLE_MARK, HEAD, 26, colour=RED)
        _box(mark)
        _centered(doc, "", BODY, BODY_PT)
    for line in title_lines(result):
        head = doc.add_paragraph(line, style="Title")
        head.paragraph_format.first_line_indent = Pt(0)
    _centered(doc, "（初稿·数据部分）", KAI, BODY_PT)
    for _ in range(3):
        _centered(doc, "", BODY, BODY_PT)
    _centered(doc, f"评估期：{period_text(result)}", BODY, BODY_PT)
    _centered(doc, f"数据截至：{_zh_date(result.as_of)}", BODY, BODY_PT)
    _centered(doc, "数据来源：各区报送的招商引资台账（wuhai-zs 汇总、校验、计算）", BODY, BODY_PT)
    if result.synthetic:
        _centered(doc, "", BODY, BODY_PT)
        note = doc.add_paragraph()
        note.paragraph_format.first_line_indent = Pt(0)
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(note.add_run(SAMPLE_LINE), BODY, 14, colour=RED)
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    body.different_first_page_header_footer = False
    numbers = OxmlElement("w:pgNumType")
    numbers.set(qn("w:start"), "1")  # the body's first page is page 1
    body._sectPr.append(numbers)


def title_lines(result: ReviewResult) -> list[str]:
    """The title broken where a person would break it: before the plan's （2023—2025年）."""
    name = result.plan["name"]
    word = title(result)[len(name) :]
    if "（" in name and name.endswith("）"):
        cut = name.rindex("（")
        return [name[:cut], name[cut:] + word]
    return [name, word] if len(name) > 16 else [name + word]


def _zh_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _box(paragraph: Paragraph) -> None:
    """A red border around a paragraph (the 示例数据 mark on the title page)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "C00000")
        borders.append(edge)
    p_pr.append(borders)
    indent = paragraph.paragraph_format
    indent.left_indent = Cm(5.0)
    indent.right_indent = Cm(5.0)


def _closing(doc: DocumentObject, result: ReviewResult) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.space_before = Pt(12)
    text = (
        f"说明：本稿数字由 wuhai-zs 按计划文件和统计口径从台账计算（数据截至{_zh_date(result.as_of)}），"
        "计算规则见 wuhai-zs 说明文档《目标怎样计算、怎样判断》；文字为按数字生成的初稿，"
        "请结合工作情况修改。"
    )
    set_font(p.add_run(tighten(text)), BODY, 12)


# ---------------------------------------------------------------- tables
def _table(doc: DocumentObject, table: Table, number: int) -> None:
    caption = _centered(doc, tighten(f"表{number}　{table.caption}"), HEAD, CAPTION_PT)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.line_spacing = Pt(22)
    columns = table.columns
    grid = doc.add_table(rows=1, cols=len(columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(w) for w in column_widths(table)]
    for i, width in enumerate(widths):
        grid.columns[i].width = width  # w:gridCol, which LibreOffice and WPS lay out by
    header = grid.rows[0]
    _repeat_header(header)
    for i, column in enumerate(columns):
        _fill(header.cells[i], "\n".join(header_lines(column.header)), widths[i], header=True)
        header.cells[i].paragraphs[0].paragraph_format.keep_with_next = True
        _shade(header.cells[i])
    first_total = len(table.rows) - table.total_rows
    for r, values in enumerate(table.rows):
        row = grid.add_row()
        _keep_row(row)
        # the caption and header never end a page alone; the last row goes with its notes
        together = r == 0 or (r == len(table.rows) - 1 and bool(table.notes))
        for i, column in enumerate(columns):
            value = values[i] if i < len(values) else None
            raw, kind = cell(value, column)
            text = tighten(cell_text(value, column))
            numeric = kind in NUMERIC and not isinstance(raw, str)
            worded = column.kind in NUMERIC and isinstance(raw, str)  # 未满 among rates
            _fill(
                row.cells[i],
                text,
                widths[i],
                numeric=numeric,
                centre=column.header in CENTRED or worded,
                bold=r >= first_total,
            )
            if together:
                row.cells[i].paragraphs[0].paragraph_format.keep_with_next = True
    for note in table.notes:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = Pt(18)
        p.paragraph_format.space_before = Pt(2)
        set_font(p.add_run(tighten(f"注：{note}")), BODY, NOTE_PT)
    spacer = doc.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(12)


CM_PER_UNIT = TABLE_PT / 2 * 2.54 / 72  # one display-width unit (half a CJK glyph)
CELL_PAD_CM = 0.42  # the cell's left and right margins (0.19 cm each), and a little air
TEXT_CAP = 28  # a text column wider than this wraps
HEADER_LINES = 2  # a header may take two lines
HEADER_CAP = 8  # a header line wider than this (four glyphs) wraps inside its cell
SHORT_TEXT = 12  # a text up to this wide (2025年全年, 海勃湾区) is never wrapped


def display_width(text: str) -> int:
    """Half-glyphs a text takes in a Chinese font: CJK, full-width and ambiguous (—, ÷) count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def column_widths(table: Table) -> list[float]:
    """Column widths in cm that fit the text width: numbers never wrap, headers wrap to two
    lines at most, long texts wrap; what is left over goes to the text columns."""
    want: list[float] = []
    least: list[float] = []
    for i, column in enumerate(table.columns):
        texts = [cell_text(row[i] if i < len(row) else None, column) for row in table.rows]
        body = max((display_width(t) for t in texts), default=1)
        head_room = max(
            min(display_width(line), HEADER_CAP) for line in header_lines(column.header)
        )
        numeric = column.kind in NUMERIC or column.kind == "status"
        if numeric:
            body += 1 if table.total_rows else 0  # bold totals are a little wider
            units = max(body, head_room)
            floor = units
        else:
            units = max(min(body, TEXT_CAP), head_room)
            floor = max(head_room, min(body, SHORT_TEXT))  # short texts stay on one line
        want.append((units + 1) * CM_PER_UNIT + CELL_PAD_CM)  # a glyph's slack: fonts differ
        least.append((floor + 1) * CM_PER_UNIT + CELL_PAD_CM)
    total = sum(want)
    if total <= TEXT_WIDTH_CM:  # room to spare: every column a little wider, in proportion
        return [w * TEXT_WIDTH_CM / total for w in want]
    # too wide: shrink what can wrap toward its floor, then everything in proportion
    room = total - TEXT_WIDTH_CM
    give = [w - f for w, f in zip(want, least, strict=True)]
    spare = sum(give)
    if spare >= room:
        return [w - g * room / spare for w, g in zip(want, give, strict=True)]
    scale = TEXT_WIDTH_CM / sum(least)
    return [f * scale for f in least]


def header_lines(header: str) -> list[str]:
    """A header wider than a few glyphs breaks before its unit: 区外到位资金 /（亿元）."""
    if display_width(header) > 10 and "（" in header and not header.startswith("（"):
        head, unit = header.split("（", 1)
        return [head, "（" + unit]
    return [header]


def _fill(
    target: _Cell,
    text: str,
    width: Any,
    *,
    header: bool = False,
    numeric: bool = False,
    centre: bool = False,
    bold: bool = False,
) -> None:
    target.width = width
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = target.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.line_spacing = 1.0
    if header or centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif numeric:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    set_font(p.add_run(text), HEAD if header else TABLE_FONT, TABLE_PT, bold=bold or None)


def _shade(target: _Cell) -> None:
    tc_pr = target._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    tc_pr.append(shading)


def _repeat_header(row: Any) -> None:
    """The header row prints again at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _keep_row(row: Any) -> None:
    """A row is never split across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
