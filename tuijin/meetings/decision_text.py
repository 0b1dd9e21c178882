"""Read a decision as the note-taker types it (议定事项), and propose the fields of its 督办 item.

"自然资源和规划分局牵头,三天内完成人才公寓地块清表" proposes: lead unit 自然资源和规划分局,
deadline 3 calendar days, project 人才公寓, requirement 完成人才公寓地块清表 and the result
standard 人才公寓地块清表完成. The note-taker confirms or corrects what is proposed; nothing is
saved from here.

Rules, not a model: the names come from the database (units, projects, enterprises, people the
user may see), the phrases officials use from the lists below. ``parse`` reads plain values
(testable without a database); ``draft_for`` fetches the candidates for a user. Project and
enterprise names are normalised as intake does (``tuijin.intake.matching``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tuijin.intake.matching import enterprise_candidates, project_candidates

CALENDAR, WORKING, DATE = "calendar", "working", "date"
_NUM = r"[\d零〇一二两三四五六七八九十百]+"
_WITHIN = r"(?:内|之内|以内|为限)"
_BEFORE = r"(?:前|之前|以前)"
# Dates first: "12月20日前" is a date, not "20日" of a span.
_ON_DATE = re.compile(rf"(?:(\d{{4}})年)?({_NUM})月({_NUM})(?:日|号){_BEFORE}?(?:完成|办结)?")
_MONTH_END = re.compile(rf"(?:({_NUM})月|本月|月)底{_BEFORE}?")
_YEAR_END = re.compile(rf"(?:年底|年内){_BEFORE}?")
_WORKING_DAYS = re.compile(rf"(?:限期)?({_NUM})个?工作日{_WITHIN}?")
_DAYS = re.compile(rf"(?:限期({_NUM})(?:天|日){_WITHIN}?|({_NUM})(?:天|日){_WITHIN})")
_WEEKS = re.compile(rf"({_NUM})(?:周|个星期|星期){_WITHIN}")
_MONTHS = re.compile(rf"({_NUM})个月{_WITHIN}")
# Who leads and who helps: "X牵头", "由X负责", "X会同Y、Z", "Y配合".
_LEAD_WORDS = ("牵头", "负责")
_CO_BEFORE = ("会同", "协调", "联合")
_CO_AFTER = ("配合", "协助", "协同")
_EDGES = " \t\r\n,,、。;;::.!!"
MIN_PREFIX = 4  # a project named by the start of its name: "犇星二期" for 犇星二期年产3万吨…


@dataclass
class Draft:
    """What the sentence proposes (pks, so the form takes them as its initial values)."""

    lead_unit: int | None = None
    co_units: list[int] = field(default_factory=list)
    project: int | None = None
    enterprise: int | None = None
    responsible: int | None = None
    deadline_mode: str = ""
    deadline_days: int | None = None
    deadline_date: dt.date | None = None
    requirement: str = ""
    result_standard: str = ""

    @property
    def found(self) -> list[str]:
        """What was read, in the form's words, for the note under the text."""
        names = {
            _("牵头单位"): self.lead_unit,
            _("配合单位"): self.co_units,
            _("项目"): self.project,
            _("企业"): self.enterprise,
            _("责任人"): self.responsible,
            _("期限"): self.deadline_mode,
            _("工作要求"): self.requirement,
        }
        return [name for name, value in names.items() if value]

    def initial(self) -> dict:
        """The values read, as form initial values (what was not read is left out)."""
        values = {
            "lead_unit": self.lead_unit,
            "co_units": self.co_units,
            "project": self.project,
            "enterprise": self.enterprise,
            "responsible": self.responsible,
            "deadline_mode": self.deadline_mode,
            "deadline_days": self.deadline_days,
            "deadline_date": self.deadline_date,
            "requirement": self.requirement,
            "result_standard": self.result_standard,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class Name:
    """A record that a sentence may name: its pk and the names it goes by."""

    pk: int
    names: tuple[str, ...]
    unit: int | None = None  # a person's unit


def number(text: str) -> int | None:
    """3, 三, 十五, 二十, 两 → int (up to 999); None when it is no number."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for char in text:
        if char in digits:
            current = digits[char]
        elif char in "十百":
            total += (current or 1) * (10 if char == "十" else 100)
            current = 0
        else:
            return None
    return total + current


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def read_deadline(text: str, today: dt.date) -> tuple[str, int | None, dt.date | None, tuple]:
    """(mode, days, date, span of the phrase) of the deadline the text states, counted from
    `today` (the meeting's day); ("", None, None, ()) when it states none. A month and day
    already past this year mean next year's."""

    def upcoming(month: int, day_of: int | None) -> dt.date | None:
        for year in (today.year, today.year + 1):
            last = calendar.monthrange(year, month)[1]
            day = day_of or last
            if not 1 <= day <= last:
                return None
            if dt.date(year, month, day) >= today:
                return dt.date(year, month, day)
        return None

    if m := _ON_DATE.search(text):
        month, day = number(m.group(2)), number(m.group(3))
        if month and 1 <= month <= 12 and day:
            if m.group(1):
                year = int(m.group(1))
                last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 0
                found = dt.date(year, month, day) if 1 <= day <= last else None
            else:
                found = upcoming(month, day)
            if found:
                return DATE, None, found, m.span()
    if (m := _WORKING_DAYS.search(text)) and (count := number(m.group(1))):
        return WORKING, count, None, m.span()
    if (m := _DAYS.search(text)) and (count := number(m.group(1) or m.group(2))):
        return CALENDAR, count, None, m.span()
    if (m := _WEEKS.search(text)) and (count := number(m.group(1))):
        return CALENDAR, count * 7, None, m.span()
    if (m := _MONTHS.search(text)) and (count := number(m.group(1))) and count <= 120:
        return DATE, None, _add_months(today, count), m.span()
    if m := _MONTH_END.search(text):
        month = number(m.group(1)) if m.group(1) else today.month
        if month and 1 <= month <= 12 and (found := upcoming(month, None)):
            return DATE, None, found, m.span()
    if m := _YEAR_END.search(text):
        return DATE, None, dt.date(today.year, 12, 31), m.span()
    return "", None, None, ()


def _mentions(text: str, records, taken: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, pk) of each record named in `text`, longest names first, none overlapping
    a span already taken (a unit's name inside a project's)."""
    names = sorted(
        ((name, record.pk) for record in records for name in record.names if len(name) >= 2),
        key=lambda pair: -len(pair[0]),
    )
    found = []
    for name, pk in names:
        for m in re.finditer(re.escape(name), text):
            span = m.span()
            if _overlaps(span, taken):
                continue
            taken.append(span)
            found.append((span[0], span[1], pk))
    return sorted(found)


def _overlaps(span: tuple[int, int], spans) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _plain(text: str) -> str:
    """Full-width letters and digits as intake's names have them, one character for one (the
    positions stay those of `text`)."""
    return "".join(unicodedata.normalize("NFKC", c)[:1] or c for c in text).lower()


def _best_named(text: str, candidates, avoid: list[tuple[int, int]], park: int | None):
    """(start, end, pk) of the candidate `text` names most surely: its whole normalised name,
    else the longest start of it (at least MIN_PREFIX characters) outside the `avoid` spans
    (units' names: "城东产业" is the park, not the start of 城东产业园标准化厂房)."""
    plain = _plain(text)
    best = None
    for pk, _name, norm, park_id in candidates:
        size = len(norm)
        while size >= min(MIN_PREFIX, len(norm)) and size >= 2:
            start = plain.find(norm[:size])
            whole = size == len(norm)
            if start >= 0 and (whole or not _overlaps((start, start + size), avoid)):
                key = (whole, size, park_id == park and park is not None, -start)
                if best is None or key > best[0]:
                    best = (key, (start, start + size, pk))
                break
            size -= 1
    return best[1] if best else None


def _lead_and_co(text: str, units: list[tuple[int, int, int]]):
    """The lead unit and the co-units among the units named, by the words around them."""
    lead = None
    for start, end, pk in units:
        after, before = text[end : end + 2], text[max(start - 1, 0) : start]
        if after in _LEAD_WORDS or before == "由":
            lead = pk
            break
    if lead is None and units:
        lead = units[0][2]  # "招商局会同青春化工园…": who acts first leads
    co = [pk for _start, _end, pk in units if pk != lead]
    return lead, list(dict.fromkeys(co))


def _requirement(text: str, cut: list[tuple[int, int]], units, lead) -> str:
    """The sentence without the deadline phrase and the words naming who does it."""
    spans = list(cut)
    for start, end, pk in units:
        after = text[end : end + 2]
        lead_words = after in _LEAD_WORDS or after in _CO_AFTER
        opens = start == 0 or text[start - 1] in _EDGES + "由"  # a clause starts with it
        if pk == lead and (lead_words or opens):
            spans.append((start - (1 if text[max(start - 1, 0) : start] == "由" else 0), end))
            if lead_words:
                spans.append((end, end + 2))
        elif pk != lead:
            before = text[max(start - 2, 0) : start]
            if before in _CO_BEFORE:
                spans.append((start - 2, end))
            elif after in _CO_AFTER:
                spans.append((start, end + 2))
            elif text[max(start - 1, 0) : start] == "、" and any(s[1] == start - 1 for s in spans):
                spans.append((start - 1, end))  # "会同A、B": B goes with A
    kept, position = [], 0
    for start, end in sorted(spans):
        if start >= position:
            kept.append(text[position:start])
        position = max(position, end)
    kept.append(text[position:])
    parts = [part.strip(_EDGES) for part in kept]
    result = ",".join(part for part in parts if part)
    return result.strip(_EDGES)


def _result_standard(requirement: str) -> str:
    """What must be seen when it is due: 完成人才公寓地块清表 → 人才公寓地块清表完成."""
    if m := re.fullmatch(r"(?:完成|实现)(.{2,})", requirement):
        return f"{m.group(1)}完成" if "," not in m.group(1) else ""
    return ""


def parse(
    text: str,
    *,
    today: dt.date,
    units=(),
    projects=(),
    enterprises=(),
    people=(),
    park: int | None = None,
) -> Draft:
    """Propose a decision's fields from its text. `units` and `people` are ``Name`` records;
    `projects` and `enterprises` intake's candidates ``(pk, name, normalised name, park)``;
    `park`: the meeting's park, whose projects win a tie."""
    text = (text or "").strip()
    draft = Draft()
    if not text:
        return draft
    draft.deadline_mode, draft.deadline_days, draft.deadline_date, deadline = read_deadline(
        text, today
    )
    unit_spans = [(start, end) for start, end, _pk in _mentions(text, units, [])]
    taken: list[tuple[int, int]] = []
    if project := _best_named(text, projects, unit_spans, park):
        draft.project = project[2]
        taken.append(project[:2])
    enterprise = _best_named(text, enterprises, unit_spans, None)
    if enterprise and not _overlaps(enterprise[:2], taken):
        draft.enterprise = enterprise[2]
    named = _mentions(text, units, list(taken) + ([deadline] if deadline else []))
    draft.lead_unit, draft.co_units = _lead_and_co(text, named)
    people_named = _mentions(text, people, [])
    by_pk = {person.pk: person for person in people}
    for _start, _end, pk in people_named:
        if draft.lead_unit is None or by_pk[pk].unit in (draft.lead_unit, None):
            draft.responsible = pk
            break
    cut = [deadline] if deadline else []
    cut += [(start, end) for start, end, _pk in people_named]
    draft.requirement = _requirement(text, cut, named, draft.lead_unit)
    draft.result_standard = _result_standard(draft.requirement)
    return draft


def draft_for(user, text: str, *, today: dt.date, units, people, park=None) -> Draft:
    """``parse`` with the records `user` may see: `units` and `people` are the querysets the
    decision form offers, projects and enterprises those intake proposes from."""
    unit_names = [
        Name(pk, tuple(name for name in (name, short) if name))
        for pk, name, short in units.values_list("pk", "name", "short_name")
    ]
    person_names = [
        Name(pk, (name,), unit) for pk, name, unit in people.values_list("pk", "name", "unit")
    ]
    return parse(
        text,
        today=today,
        units=unit_names,
        projects=project_candidates(user),
        enterprises=enterprise_candidates(user),
        people=person_names,
        park=park,
    )
