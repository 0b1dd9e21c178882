"""The meeting's minutes (会议纪要) as .docx (the dispatch sheet, 调度表, is in dispatch.py).

The minutes are a 纪要 as GB/T 9704-2012 lays one out (``tuijin.core.gongwen`` holds the
page, fonts, page numbers and 版记): the red 纪要标志 of the meeting's series
("随州高新区现场办公会议纪要"), the 期号 (〔2026〕3号, numbered per series and year when the
minutes are first issued, ``services.issue_minutes``), the issuing office and date over the red
line, the title, time, place and chair, the text of the minutes with the decisions (议定事项)
printed once, each with its lead unit, deadline and 成效标准, then 出席 / 列席 / 请假, and the
分送 / 印发 lines at the foot of the last page.
"""

import datetime as dt
import re
from difflib import SequenceMatcher
from itertools import groupby

from django.utils import timezone

from tuijin.core.gongwen import HEI_FONT, KAI_FONT, Gongwen, full_width, xml_text
from tuijin.meetings.models import Attendance, MeetingKind
from tuijin.org.models import Role, Unit, UnitKind

__all__ = ["chinese_date", "chinese_number", "minutes_docx", "xml_text"]

DIGITS = "零一二三四五六七八九"
WEEKDAYS = "一二三四五六日"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1..99; larger numbers stay Arabic)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ----------------------------------------------------------------------------------- .docx

# The 纪要标志 of each meeting series: "{zone}{series}纪要".
SERIES = {
    MeetingKind.ONSITE: "现场办公会议",
    MeetingKind.DISPATCH: "项目调度会议",
    MeetingKind.INVESTMENT: "招商项目研讨会议",
    MeetingKind.PLANNING: "项目谋划推进会议",
    MeetingKind.CADRES: "干部大会",
    MeetingKind.OTHER: "会议",
}
UNNUMBERED = "（待编号）"
# More invited units than this: 分送 says "各园区、各部门" instead of naming them.
DISTRIBUTION_NAMES = 8

_LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL_2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_NUMBERING = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*"
)
# "会议议定:", "会议议定事项如下:", "会议研究决定如下:", "议定事项": where the decisions go.
_DECISIONS_HEADING = re.compile(
    r"^(会议)?(研究)?(议定|决定|明确)(了)?(以下|如下)?(事项)?(如下)?[:：]?$"
)
_NOT_WORDS = re.compile(r"[\W_]+")


def minutes_number(meeting) -> str:
    """The 期号 as printed: 〔2026〕3号, or "" while the minutes are not issued."""
    if meeting.minutes_number is None:
        return ""
    return f"〔{meeting.minutes_year}〕{meeting.minutes_number}号"


def minutes_mark(meeting, zone: str) -> str:
    """The red 纪要标志: "随州高新区现场办公会议纪要" (the series the minutes were issued in)."""
    return f"{zone}{SERIES.get(meeting.minutes_kind or meeting.kind, '会议')}纪要"


def _zone_name(meeting) -> str:
    for unit in (meeting.park, meeting.chair.unit if meeting.chair else None):
        if unit is not None:
            return unit.zone.name
    zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()
    return zone.name if zone else ""


def _words_only(text: str) -> str:
    return _NOT_WORDS.sub("", _NUMBERING.sub("", text, count=1))


def _repeats(line: str, decisions: list[str]) -> bool:
    """Is this line of the minutes one of the decisions, numbered or not, slightly edited?"""
    words = _words_only(line)
    if len(words) < 4:
        return False
    for decision in decisions:
        if words == decision or SequenceMatcher(None, words, decision).ratio() >= 0.85:
            return True
        if len(words) >= 10 and (words in decision or decision in words):
            return True
    return False


def _split_minutes(text: str, decisions: list[str]) -> tuple[list[str], list[str], bool]:
    """The minutes' lines before and after where the decisions go, with the lines that repeat
    a decision and the heading over them ("会议议定:") left out: they are printed once, from the
    decisions themselves. Without such a heading the decisions follow the opening lines."""
    before, after, seen_heading = [], [], False
    for raw in text.splitlines():
        line = full_width(raw.strip())
        if not line:
            continue
        if decisions and not seen_heading and _DECISIONS_HEADING.match(line):
            seen_heading = True
            continue
        if decisions and _repeats(line, decisions):
            continue
        (after if seen_heading else before).append(line)
    return before, after, seen_heading


def _names(attendances) -> str:
    """ "王立新，督查室李敏，经济发展局张强、刘洋": units in tree order, each unit's people
    after its name; the zone's own people (its leaders) by name alone."""
    return "，".join(
        ("" if unit.kind == UnitKind.ZONE else unit.name) + "、".join(a.person.name for a in group)
        for unit, group in groupby(attendances, key=lambda a: a.person.unit)
    )


def _attendance(meeting, attendances) -> list[tuple[str, str]]:
    """出席: the chair and the zone leaders present; 列席: everyone else present, by unit;
    请假: those on leave (GB/T 9704 10.3). Those recorded absent are not printed."""
    present = [a for a in attendances if a.status == Attendance.Status.PRESENT]
    leaders = [a for a in present if a.person.role == Role.ZONE_LEADER or a.person == meeting.chair]
    others = [a for a in present if a not in leaders]
    names = [a.person.name for a in leaders]
    if meeting.chair and meeting.chair.name not in names:
        names.insert(0, meeting.chair.name)
    elif meeting.chair:  # the chair first
        names.insert(0, names.pop(names.index(meeting.chair.name)))
    leave = [a for a in attendances if a.status == Attendance.Status.LEAVE]
    rows = [("出席", "、".join(names)), ("列席", _names(others)), ("请假", _names(leave))]
    return [(label, text) for label, text in rows if text]


def _distribution(meeting) -> str:
    units = sorted(meeting.invited_units.all(), key=lambda unit: unit.path)
    if not units or len(units) > DISTRIBUTION_NAMES:
        return "区领导，各园区、各部门。"
    return "区领导，" + "、".join(unit.name for unit in units) + "。"


def _decision(doc: Gongwen, position: int, decision) -> None:
    """一、 the decision; under it, in 楷体, who leads, with whom, by when, to what standard."""
    paragraph = doc.paragraph()
    doc.run(paragraph, f"{chinese_number(position)}、", HEI_FONT)
    doc.run(paragraph, decision.text.strip())
    item = decision.item
    if item is None:
        return
    parts = [f"牵头单位：{item.lead_unit.name}"]
    if co := [unit.name for unit in item.co_units.all()]:
        parts.append("配合单位：" + "、".join(co))
    if item.responsible:
        parts.append(f"责任人：{item.responsible.name}")
    parts.append(f"完成时限：{chinese_date(item.deadline)}前")
    doc.text("；".join(parts) + "。", font=KAI_FONT)
    if standard := item.result_standard.strip():
        doc.text(standard, label="成效标准：", label_font=KAI_FONT, font=KAI_FONT)


def _minutes_line(doc: Gongwen, line: str) -> None:
    """A line of the typed minutes: "一、…" numbered in 黑体, "（一）…" in 楷体, the rest 仿宋;
    a short numbered line (a heading) wholly in its heading font."""
    for pattern, font in ((_LEVEL_1, HEI_FONT), (_LEVEL_2, KAI_FONT)):
        if match := pattern.match(line):
            if len(line) <= 24 and "。" not in line[:-1]:
                doc.text(line, font=font)
            else:
                doc.text(line[match.end() :], label=match.group(), label_font=font)
            return
    doc.text(line)


def minutes_docx(meeting, file, today: dt.date | None = None) -> None:
    """Write the meeting's 会议纪要 to `file` (a path or a binary file object).

    The 期号 and 印发日期 are the meeting's own once issued; before that the 期号 reads
    "（待编号）" and the date is `today` (the local date by default).
    """
    starts = timezone.localtime(meeting.starts_at)
    attendances = list(
        meeting.attendances.select_related("person__unit").order_by(
            "person__unit__path", "person__name"
        )
    )
    decisions = list(
        meeting.decisions.select_related("item__lead_unit", "item__responsible")
        .prefetch_related("item__co_units")
        .order_by("number")
    )
    zone = _zone_name(meeting)
    issuer = f"{zone}督查室"
    issued_on = meeting.minutes_issued_on or today or timezone.localdate()
    title = meeting.title.strip()
    if not title.endswith("纪要"):
        title += "纪要"

    doc = Gongwen(title=title, author=issuer)
    # 版头: 纪要标志, 期号, issuer and date over the red line.
    doc.mark(minutes_mark(meeting, zone))
    doc.centred(minutes_number(meeting) or UNNUMBERED, space_before_lines=1)
    doc.red_rule(issuer, chinese_date(issued_on))
    # 主体
    doc.title(title)
    weekday = WEEKDAYS[starts.weekday()]
    doc.names("时间", f"{chinese_date(starts.date())}（星期{weekday}）{starts:%H:%M}")
    if place := meeting.place or ("云视频会议" if meeting.video_link else ""):
        doc.names("地点", place)
    if meeting.chair:
        doc.names("主持", meeting.chair.name)

    before, after, _heading = _split_minutes(
        meeting.minutes, [_words_only(full_width(d.text)) for d in decisions]
    )
    for line in before:
        _minutes_line(doc, line)
    if decisions:
        doc.text("会议议定事项如下：").paragraph_format.keep_with_next = True
        for position, decision in enumerate(decisions, start=1):
            _decision(doc, position, decision)
    for line in after:
        _minutes_line(doc, line)

    if rows := _attendance(meeting, attendances):
        doc.blank()
        for label, names in rows:
            doc.names(label, names)
    # 版记 at the foot of the last page.
    doc.colophon(_distribution(meeting), issuer, chinese_date(issued_on))
    doc.save(file)
