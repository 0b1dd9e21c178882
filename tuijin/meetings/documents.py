"""The meeting's documents: the minutes (会议纪要) as .docx and the dispatch sheet (调度表) as .xlsx.

The minutes follow the usual layout of a government meeting summary (GB/T 9704 in spirit):
A4, 上3.7 下3.5 左2.8 右2.6 cm, a 小标宋 title, body in 仿宋 三号. Fonts are named, never
embedded: Word and WPS substitute what the machine lacks, helped by the font table's
alternate names (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体).
"""

import datetime as dt
from itertools import groupby

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tuijin.core.xlsx import SheetWriter
from tuijin.meetings.models import Attendance
from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.models import Feedback
from tuijin.supervision.rules import item_light

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
LABEL_FONT = "黑体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋"}
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
LINE_SPACING = 1.5
INDENT = BODY_SIZE * 2  # 首行缩进两字

DIGITS = "零一二三四五六七八九"
LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1..99; larger numbers stay Arabic)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def xml_text(text: str) -> str:
    """`text` without the control characters XML cannot hold (python-docx refuses them, which
    would fail the whole document for one pasted character)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ----------------------------------------------------------------------------------- .docx


def _set_font(run, name: str, size=None, bold=None) -> None:
    run.font.name = name  # ascii / hAnsi
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _add_font_fallbacks(document) -> None:
    """Declare the fonts with their alternate names so a machine without 仿宋_GB2312 or
    方正小标宋简体 shows 仿宋 / 宋体 rather than an arbitrary face."""
    part = next(
        p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    )
    fonts = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        fonts.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/>'
                "</w:font>"
            )
        )
    # A plain (non-XML) part in python-docx: replace its bytes.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))
    fmt = normal.paragraph_format
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    _add_font_fallbacks(document)


def _paragraph(document, text: str = "", *, indent=True, align=None, label: str = ""):
    """A body paragraph: an optional 黑体 label ("时间:") then 仿宋 text."""
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if align is not None:
        paragraph.alignment = align
    if label:
        _set_font(paragraph.add_run(label), LABEL_FONT)
    if text:
        _set_font(paragraph.add_run(xml_text(text)), BODY_FONT)
    return paragraph


def _grouped_names(attendances) -> list[str]:
    """["经济发展局:张强、刘洋", "督查室:李敏"], units in tree order (as attendances are sorted)."""
    return [
        f"{unit.name}:" + "、".join(a.person.name for a in group)
        for unit, group in groupby(attendances, key=lambda a: a.person.unit)
    ]


def _zone_name(meeting) -> str:
    for unit in (meeting.park, meeting.chair.unit if meeting.chair else None):
        if unit is not None:
            return unit.zone.name
    zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()
    return zone.name if zone else ""


def _decision_units(item) -> str:
    parts = [f"牵头单位:{item.lead_unit.name}"]
    if co := [unit.name for unit in item.co_units.all()]:
        parts.append("配合单位:" + "、".join(co))
    parts.append(f"完成时限:{chinese_date(item.deadline)}")
    return "(" + ";".join(parts) + ")"


def minutes_docx(meeting, file, issued_on: dt.date | None = None) -> None:
    """Write the meeting's 会议纪要 to `file` (a path or a binary file object).

    `issued_on` dates the signature line; the meeting's day by default.
    """
    starts = timezone.localtime(meeting.starts_at)
    attendances = list(
        meeting.attendances.select_related("person__unit").order_by(
            "person__unit__path", "person__name"
        )
    )
    decisions = list(
        meeting.decisions.select_related("item__lead_unit")
        .prefetch_related("item__co_units")
        .order_by("number")
    )
    zone = _zone_name(meeting)

    document = Document()
    _setup(document)
    document.core_properties.title = xml_text(f"{meeting.title}纪要")
    document.core_properties.author = f"{zone}督查室"

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(24)
    _set_font(
        title.add_run(xml_text(f"{meeting.title}纪要")), TITLE_FONT, size=TITLE_SIZE, bold=True
    )

    _paragraph(document, f"{chinese_date(starts.date())} {starts:%H:%M}", label="时间:")
    place = meeting.place or ("云视频会议" if meeting.video_link else "")
    if place:
        _paragraph(document, place, label="地点:")
    if meeting.chair:
        _paragraph(document, meeting.chair.name, label="主持:")
    for status, label in ((Attendance.Status.PRESENT, "出席:"), (Attendance.Status.LEAVE, "请假:")):
        groups = _grouped_names(a for a in attendances if a.status == status)
        if not groups:
            continue
        # One line per unit, continuation lines aligned under the first name.
        paragraph = _paragraph(document, label=label)
        paragraph.paragraph_format.left_indent = INDENT + BODY_SIZE * 3
        paragraph.paragraph_format.first_line_indent = -BODY_SIZE * 3
        for i, group in enumerate(groups):
            run = paragraph.add_run(xml_text(group))
            _set_font(run, BODY_FONT)
            if i < len(groups) - 1:
                run.add_break()

    if decisions:
        _paragraph(document, "会议议定事项如下:")
        for position, decision in enumerate(decisions, start=1):
            paragraph = _paragraph(document)
            _set_font(paragraph.add_run(f"{chinese_number(position)}、"), BODY_FONT, bold=True)
            text = decision.text.strip()
            if decision.item is not None:
                text += _decision_units(decision.item)
            _set_font(paragraph.add_run(xml_text(text)), BODY_FONT)

    lines = [line.strip() for line in meeting.minutes.splitlines() if line.strip()]
    if lines:
        heading = _paragraph(document, label="会议纪要正文")
        heading.paragraph_format.space_before = Pt(12)
        for line in lines:
            _paragraph(document, line)

    signature = _paragraph(document, f"{zone}督查室", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.space_before = Pt(32)
    signature.paragraph_format.right_indent = BODY_SIZE * 2
    dated = _paragraph(
        document,
        chinese_date(issued_on or starts.date()),
        indent=False,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    dated.paragraph_format.right_indent = BODY_SIZE * 2
    document.save(file)


# ------------------------------------------------------------------------------------ .xlsx

DISPATCH_COLUMNS = [
    ("序号", 6, "int"),
    ("牵头单位", 16, "text"),
    ("事项", 36, "text"),
    ("成效标准", 36, "text"),
    ("配合单位", 22, "text"),
    ("责任人", 10, "text"),
    ("办理期限", 12, "date"),
    ("原定期限", 12, "date"),
    ("状态", 8, "text"),
    ("灯色", 6, "text"),
    ("进展", 48, "text"),
]


def dispatch_xlsx(items, file, today: dt.date) -> int:
    """Write the 调度表 of `items` (a SupervisionItem queryset, written as given: the caller
    chooses which items, e.g. ``.open()``) to `file`; returns the number of rows.

    Rows go by lead unit (tree order), overdue first, then deadline. Two queries whatever the
    number of items: the items with their latest feedback (a subquery), then their co-units.
    """
    latest = Feedback.objects.filter(item=OuterRef("pk")).order_by("-submitted_at", "-pk")
    rows = []
    for item in (
        items.select_related("lead_unit", "responsible")
        .prefetch_related("co_units")
        .annotate(latest_feedback=Subquery(latest.values("text")[:1]))
    ):
        light = item_light(item, today)
        rows.append((item, light))
    rows.sort(
        key=lambda row: (
            row[0].lead_unit.path,
            row[1].key != "red",
            row[0].deadline,
            row[0].pk,
        )
    )

    sheet = SheetWriter("调度表", DISPATCH_COLUMNS, freeze="D2")
    for number, (item, light) in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                item.lead_unit.name,
                item.title,
                item.result_standard,
                "、".join(unit.name for unit in item.co_units.all()),
                item.responsible.name if item.responsible else "",
                item.deadline,
                item.original_deadline,
                item.get_state_display(),
                LIGHT_WORDS.get(light.key, light.text),
                item.latest_feedback or "",
            ]
        )
    return sheet.save(file)
