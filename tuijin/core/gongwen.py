"""Documents laid out as 党政机关公文 (GB/T 9704-2012) with python-docx.

A4 with the standard's page: 版心 156 × 225 mm (top 37 mm, left 28 mm), 三号 仿宋 body, 22
lines of 28 characters (exact line pitch 225 mm / 22, characters a quarter point closer), page
numbers "— 1 —" in 四号 宋体 outside the 版心 (odd pages right, even pages left, one character
in), the red 版头 (发文机关标志 and separator line), a 小标宋 title broken only between words,
level headings in 黑体 / 楷体, and the 版记 (分送, 印发机关 and 印发日期 between lines) at the
foot of the last page.

Fonts are named, never embedded. Each face carries in the font table the name Word and WPS
substitute when the GB font is missing (w:altName: 仿宋_GB2312 → 仿宋); on Linux,
``deploy/fonts/65-tuijin-gongwen.conf`` maps the names to Noto Serif / Sans CJK, which
LibreOffice otherwise replaces with whatever CJK face it finds first.

Text goes in through ``full_width``: half-width , : ; ( ) ? ! and straight double quotes in
Chinese text become their full-width forms, so a pasted "完成,下周" prints as 完成，下周.
"""

import logging
import re
import unicodedata
import warnings
from functools import cache

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
# face → (what Word/WPS substitute when it is missing, the Noto face the fontconfig file maps it to)
FONTS = {
    TITLE_FONT: ("宋体", "Noto Serif CJK SC"),
    BODY_FONT: ("仿宋", "Noto Serif CJK SC"),
    HEI_FONT: ("SimHei", "Noto Sans CJK SC"),
    KAI_FONT: ("楷体", "Noto Serif CJK SC"),
    SONG_FONT: ("SimSun", "Noto Serif CJK SC"),
}

SIZE_2 = Pt(22)  # 二号: the title
SIZE_3 = Pt(16)  # 三号: the body
SIZE_4 = Pt(14)  # 四号: page numbers, the 版记
TABLE_LINE = Pt(22)  # a table row's line pitch (Gongwen.table)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 225 mm / 22 = 28.99 pt, rounded down to whole twips (Word's unit) so that 22 lines fit.
LINE = Pt(int(TEXT_HEIGHT.pt / LINES_PER_PAGE * 20) / 20)  # 28.95 pt
# 28 characters of 16 pt are 158 mm: a quarter point less per character fits them in 156 mm.
CHAR_SPACING = -5  # twentieths of a point
CHAR = SIZE_3  # "空一字", "左空二字"
RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
COLOPHON_LINE = Pt(22)  # the 版记's rows: 四号 with a little air
MARK_TOP = Mm(35)  # the 纪要标志's top edge under the 版心's (GB/T 9704 10.3)
TITLE_MAX_WIDTH = 19  # characters of 二号 per title line (20 fit; one kept in hand)

# --------------------------------------------------------------------------------- text


def xml_text(text: str) -> str:
    """`text` without the control characters XML cannot hold (python-docx refuses them, which
    would fail the whole document for one pasted character)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_cjk(char: str) -> bool:
    """A Chinese character or full-width punctuation (what makes a neighbour "Chinese text")."""
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def width(text: str) -> float:
    """Printed width in characters: a Chinese character 1, a half-width digit or letter ½."""
    return sum(1 if is_cjk(char) else 0.5 for char in text)


FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_SPACES_AROUND = re.compile(r"\s*([，：；？！（）“”])\s*")


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def full_width(text: str) -> str:
    """Half-width , : ; ? ! next to Chinese text become ，：；？！; a pair of ( ) or " " that
    holds or touches Chinese text becomes （ ） / “ ”. Numbers and Latin text keep theirs:
    "9:30", "1,000", "(A)" alone, "http://…" stay as typed. Spaces around what was converted go."""
    chars = list(text)
    # Brackets and quotes by pairs, so "(2026)" after a Chinese word converts both halves.
    stack, pairs, quote = [], [], None
    for i, char in enumerate(chars):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            pairs.append((stack.pop(), i, "（", "）"))
        elif char == '"':
            if quote is None:
                quote = i
            else:
                pairs.append((quote, i, "“", "”"))
                quote = None
    for start, end, left, right in pairs:
        inside = text[start + 1 : end]
        if (
            any(is_cjk(c) for c in inside)
            or is_cjk(_neighbour(text, start, -1))
            or is_cjk(_neighbour(text, end, 1))
        ):
            chars[start], chars[end] = left, right
    for i, char in enumerate(chars):
        if char in FULL or char in "()":
            before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
            if char in FULL and (char != ":" or not after.startswith("/")):
                if is_cjk(before) or is_cjk(after):
                    chars[i] = FULL[char]
            elif char in "()" and (is_cjk(before) or is_cjk(after)):
                chars[i] = "（" if char == "(" else "）"  # an unpaired bracket in Chinese text
    converted = "".join(chars)
    return _SPACES_AROUND.sub(r"\1", converted) if converted != text else converted


def clean(text: str) -> str:
    """What every piece of text goes through: XML-safe, full-width punctuation."""
    return full_width(xml_text(text))


@cache
def _jieba():
    with warnings.catch_warnings():  # its regexes have invalid escapes (DeprecationWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." on stderr
    return jieba


_OPENERS = "（“《〔【"
_CLOSERS = "）”》〕】，、。：；？！"
_GOOD_AFTER = ("的", "关于", "和", "与", "及", "暨", "、", "）", "》", "”")


def _words(text: str) -> list[str]:
    """jieba's words, with an opening bracket joined to the next word, closing ones and single
    characters (会, 局, 的 …: mostly suffixes) to the previous: a line never starts with ）or
    会 nor ends with （."""
    words: list[str] = []
    for word in _jieba().cut(text, HMM=False):
        joins_previous = word[0] in _CLOSERS or (len(word) == 1 and word not in _OPENERS)
        if words and (joins_previous or words[-1][-1] in _OPENERS):
            words[-1] += word
        else:
            words.append(word)
    return words


def title_lines(text: str, max_width: float = TITLE_MAX_WIDTH) -> list[str]:
    """The title on as few lines as fit `max_width`, broken only between words, the lines as
    even as the words allow (GB/T 9704 7.3.1: 词意完整, 排列对称, 梯形或菱形)."""
    if width(text) <= max_width:
        return [text]
    words = _words(text)
    count = -(-int(width(text) * 2) // int(max_width * 2))  # ceil(width / max_width)
    target = width(text) / count
    # best[i]: (cost, lines) for words[:i]; a break after a 的, 关于 or ） costs less.
    best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
    for end in range(1, len(words) + 1):
        options = []
        for start in range(end):
            if start not in best:
                continue
            line = "".join(words[start:end])
            if width(line) > max_width and end - start > 1:
                continue
            cost = best[start][0] + (width(line) - target) ** 2
            if end < len(words) and not (line.endswith(_GOOD_AFTER) or words[end][0] in _OPENERS):
                cost += 4.0  # rather a little less even than a break inside a phrase
            options.append((cost, [*best[start][1], line]))
        if options:
            best[end] = min(options, key=lambda option: (len(option[1]), option[0]))
    return best[len(words)][1]


# ----------------------------------------------------------------------------- document


def _fonts(run, east_asian: str, ascii_font: str | None = None) -> None:
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), ascii_font or east_asian)
    fonts.set(qn("w:hAnsi"), ascii_font or east_asian)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


# The order of a paragraph's properties (CT_PPr): Word refuses a pPr whose children are not in it.
_PPR_ORDER = tuple(
    [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def _ppr_child(paragraph, tag: str):
    """The paragraph's `tag` property element, added in its schema place if missing."""
    ppr = paragraph._p.get_or_add_pPr()
    element = ppr.find(qn(f"w:{tag}"))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        later = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
        ppr.insert_element_before(element, *(f"w:{name}" for name in later))
    return element


def _border(paragraph, edge: str, size_eighths: int, color: str = "000000", space: int = 1):
    """A line along `edge` of the paragraph (the width of the 版心), `size_eighths` of a point,
    `space` points from the text."""
    borders = _ppr_child(paragraph, "pBdr")
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", size_eighths), ("space", space), ("color", color)):
        line.set(qn(f"w:{key}"), str(value))
    # top, left, bottom, right, between, bar: in that order
    order = ["top", "left", "bottom", "right", "between", "bar"]
    later = [qn(f"w:{name}") for name in order[order.index(edge) + 1 :]]
    following = next((child for child in borders if child.tag in later), None)
    if following is not None:
        following.addprevious(line)
    else:
        borders.append(line)


def _field(paragraph, instruction: str, placeholder: str = "1"):
    """A field (PAGE, NUMPAGES) as begin / instruction / separate / shown value / end runs."""
    runs = []
    for kind in ("begin", None, "separate", "text", "end"):
        run = paragraph.add_run()
        if kind in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = placeholder
        runs.append(run)
    return runs


def repeat_header(table) -> None:
    """The table's first row printed again at the top of every page the table runs onto
    (Word's 标题行重复; LibreOffice and WPS read it too), and no row split between two pages."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.insert(0, OxmlElement("w:cantSplit"))  # first: nothing before it here
        if index == 0:
            properties.append(OxmlElement("w:tblHeader"))


def _exact(paragraph, line=LINE) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line


def _text_box(content, box_width, box_height):
    """A w:drawing holding `content` (a w:txbxContent): a borderless text box as wide as the
    版心, at the bottom of the page's margin box, centred, text wrapping above and below."""
    cx, cy = int(box_width), int(box_height)
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    drawing = parse_xml(
        f'<w:drawing {nsdecls("w", "wp", "a")} xmlns:wps="{wps}">'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2"'
        ' behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapTopAndBottom/><wp:docPr id="1001" name="版记"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{wps}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        "</wps:spPr><wps:txbx/>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0"'
        ' anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    drawing.find(f".//{{{wps}}}txbx").append(content)
    return drawing


class Gongwen:
    """One 公文 being written: call the parts top to bottom, then ``save``."""

    def __init__(self, *, title: str = "", author: str = ""):
        self.document = Document()
        self.document.core_properties.title = clean(title)
        self.document.core_properties.author = clean(author)
        self._page()
        self._styles()
        self._declare_fonts()
        self._page_numbers()

    # -- set-up ------------------------------------------------------------------------

    def _page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.left_margin = Mm(37), Mm(28)
        section.right_margin = Mm(210 - 28 - 156)  # 26 mm
        section.bottom_margin = Mm(297 - 37 - 225)  # 35 mm
        # The page number's dashes sit 7 mm under the 版心: its 14 pt line ends ~24 mm up.
        section.footer_distance = Mm(24)
        section.header_distance = Mm(15)

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = SIZE_3
        rpr = normal.element.get_or_add_rPr()
        rpr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
        rpr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{CHAR_SPACING}"/>'))
        rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False  # 22 lines on every page, none held back
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _declare_fonts(self) -> None:
        """The GB faces in the font table, each with the Windows face to substitute."""
        part = next(
            p
            for p in self.document.part.package.iter_parts()
            if str(p.partname) == "/word/fontTable.xml"
        )
        fonts = etree.fromstring(part.blob)
        for name, (alt, _noto) in FONTS.items():
            family = "swiss" if name == HEI_FONT else "roman"
            fonts.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                    f'<w:charset w:val="86"/><w:family w:val="{family}"/>'
                    '<w:pitch w:val="variable"/></w:font>'
                )
            )
        # A plain (non-XML) part in python-docx: replace its bytes.
        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        """ "— 1 —" in 四号 宋体 with half-width digits: odd pages right, even pages left, one
        character in from the 版心's edge (GB/T 9704 7.5)."""
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            fmt = paragraph.paragraph_format
            _exact(paragraph, SIZE_4)
            fmt.first_line_indent = Pt(0)
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = SIZE_4
            else:
                fmt.left_indent = SIZE_4
            runs = [paragraph.add_run("— "), *_field(paragraph, "PAGE"), paragraph.add_run(" —")]
            for run in runs:
                _fonts(run, SONG_FONT)
                run.font.size = SIZE_4

    # -- pieces ------------------------------------------------------------------------

    def paragraph(self, *, indent: float = 2, align=None, line=LINE):
        """A body paragraph, first line `indent` characters in."""
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = CHAR * indent if indent else Pt(0)
        if align is not None:
            paragraph.alignment = align
        if line is not None:
            _exact(paragraph, line)
        return paragraph

    def run(self, paragraph, text: str, font: str = BODY_FONT, *, size=None, color=None):
        run = paragraph.add_run(clean(text))
        _fonts(run, font)
        if size is not None:
            run.font.size = size
        if color is not None:
            run.font.color.rgb = color
        return run

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.paragraph(indent=0)

    def mark(self, text: str, *, top=MARK_TOP):
        """The red 标志 (发文机关标志 / "×××纪要"), centred on one line, as large as fits up to
        42 pt, `top` from the 版心's top edge (纪要: 35 mm, GB/T 9704 10.3)."""
        size = Pt(min(42, int(TEXT_WIDTH.pt * 0.94 / max(width(text), 1))))
        paragraph = self.paragraph(indent=0, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(size.pt * 1.25)
        fmt.space_before = top
        self.run(paragraph, text, TITLE_FONT, size=size, color=RED)
        return paragraph

    def centred(self, text: str, font: str = BODY_FONT, *, space_before_lines: int = 0):
        paragraph = self.paragraph(indent=0, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_before = LINE * space_before_lines
        self.run(paragraph, text, font)
        return paragraph

    def red_rule(self, left: str = "", right: str = ""):
        """A line with `left` (one character in) and `right` (one character from the right
        edge), then the red separator line as wide as the 版心, 4 mm below (GB/T 9704 7.2.7)."""
        paragraph = self.paragraph(indent=1)
        paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - CHAR, WD_TAB_ALIGNMENT.RIGHT)
        if left:
            self.run(paragraph, left)
        if right:
            self.run(paragraph, "\t" + right)
        # The border spans the paragraph (no side indents: the 版心's width), 4 mm ≈ 11 pt under.
        _border(paragraph, "bottom", 12, RED_HEX, space=11)
        return paragraph

    def title(self, text: str, *, space_before_lines: int = 2):
        """二号 小标宋, centred, two lines under the red line; long titles break between words
        (``title_lines``), each line kept whole."""
        lines = title_lines(clean(text))
        paragraph = self.paragraph(indent=0, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(SIZE_2.pt * 1.5)
        fmt.space_before = LINE * space_before_lines
        fmt.space_after = LINE
        for i, line in enumerate(lines):
            run = self.run(paragraph, line, TITLE_FONT, size=SIZE_2)
            if i < len(lines) - 1:
                run.add_break()
        return paragraph

    def text(self, text: str, *, label: str = "", label_font: str = HEI_FONT, font=BODY_FONT):
        """A body paragraph: an optional label ("时间：") then the text."""
        paragraph = self.paragraph()
        if label:
            self.run(paragraph, label, label_font)
        if text:
            self.run(paragraph, text, font)
        return paragraph

    def table(self, header: list[str], rows: list[list[str]], widths=None, left=(), keep=False):
        """A ruled table in 四号 at 22 pt a line: header in 黑体 (repeated on every page the
        table runs onto), cells centred but for the ``left`` columns (long text); ``widths`` in
        mm, adding up to the 版心's 156; ``keep`` holds a small table on one page."""
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = not widths
        if widths:  # the grid (LibreOffice reads it) and each cell (Word reads these)
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Mm(width)
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                if widths:
                    cell.width = Mm(widths[c])
                paragraph = cell.paragraphs[0]
                fmt = paragraph.paragraph_format
                _exact(paragraph, TABLE_LINE)
                fmt.first_line_indent = Pt(0)
                centred = r == 0 or c not in left
                paragraph.alignment = (
                    WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
                )
                fmt.keep_with_next = keep and r < len(rows)
                self.run(paragraph, str(value), HEI_FONT if r == 0 else BODY_FONT, size=SIZE_4)
        repeat_header(table)
        return table

    def heading(self, text: str, level: int = 1):
        """一、 in 黑体 (level 1), （一） in 楷体 (level 2), the text as given; kept on the
        page of the paragraph that follows (never alone at a page's foot)."""
        paragraph = self.text(text, font=HEI_FONT if level == 1 else KAI_FONT)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def names(self, label: str, text: str):
        """出席 / 列席 / 请假 (GB/T 9704 10.3), also 时间 / 地点: the label in 黑体 two
        characters in, a full-width colon, the text in 仿宋; further lines aligned under its
        first character."""
        paragraph = self.paragraph()
        label = f"{label}："
        fmt = paragraph.paragraph_format
        fmt.left_indent = CHAR * (2 + len(label))
        fmt.first_line_indent = -CHAR * len(label)
        self.run(paragraph, label, HEI_FONT)
        self.run(paragraph, text)
        return paragraph

    def colophon(self, distribution: str, issuer: str, date_text: str, *, label: str = "分送"):
        """The 版记 at the foot of the last page (GB/T 9704 7.4): a thick line, 分送 in 四号
        (one character in, further lines under the first name), a thin line, 印发机关 one
        character from the left and "2026年12月6日印发" one from the right, a thick line; the
        lines as wide as the 版心.

        A text box anchored to the bottom of the page's 版心 (text wraps above it), held by
        the document's last paragraph: Word, WPS and LibreOffice all place it at the foot of
        the last page however long the text. (Framed paragraphs, the older way, lose their
        frame in LibreOffice as soon as they carry a border.)"""
        lead = f"{label}："
        rows = [
            (lead + clean(distribution), len(lead)),
            (f"{clean(issuer)}\t{clean(date_text)}印发", 0),
        ]
        content = OxmlElement("w:txbxContent")
        height = Pt(0)
        for thickness in (8, 0, 6, 0, 8):  # lines (eighths of a point) between the two rows
            paragraph = Paragraph(OxmlElement("w:p"), self.document.part)
            content.append(paragraph._p)
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            if thickness:
                _exact(paragraph, Pt(2))
                _border(paragraph, "bottom", thickness, space=0)
                height += Pt(3)
                continue
            text, hanging = rows.pop(0)
            _exact(paragraph, COLOPHON_LINE)
            fmt.left_indent = SIZE_4 * (1 + hanging)
            fmt.first_line_indent = -SIZE_4 * hanging
            fmt.right_indent = SIZE_4
            fmt.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_4 * 2, WD_TAB_ALIGNMENT.RIGHT)
            for i, piece in enumerate(text.split("\t")):
                if i:
                    paragraph.add_run().add_tab()
                run = paragraph.add_run(piece)
                _fonts(run, BODY_FONT)
                run.font.size = SIZE_4
            per_line = int((TEXT_WIDTH.pt - SIZE_4.pt * (2 + hanging)) / SIZE_4.pt) - 1
            height += COLOPHON_LINE * -(-int(width(text) - hanging) // per_line)
        anchor = self.document.add_paragraph()
        _exact(anchor, Pt(1))
        anchor.add_run()._r.append(_text_box(content, TEXT_WIDTH, height + Pt(4)))
        return anchor

    def save(self, file) -> None:
        self.document.save(file)
