"""What the Sunday dispatch (周日云视频调度会) reads: what changed on each 督办 item since the
last dispatch, one line per item, and the 调度表 .xlsx with each item's latest verification
verdict next to the progress its unit claims.

A change is a state change (新交办, 签收, 反馈, 退回, 办结 …), a new report (反馈), a verification
verdict (核查属实 / 部分属实 / 不属实) or a deadline change (an approved extension, a holiday
adjustment); 催办 and other timeline rows are not changes. Lines go by lead unit (tree order),
overdue first, then by deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuijin.core.templatetags.tuijin import cn_date
from tuijin.core.xlsx import SheetWriter
from tuijin.supervision.models import (
    Feedback,
    ItemActivity,
    ItemState,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.rules import item_light
from tuijin.supervision.workflow import TRANSITIONS

LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}
# verb → the state it leads to, for the timeline's verbs that move an item ("verify" that is
# not 属实 is logged as "return").
MOVES = {verb: target for verb, (_sources, target) in TRANSITIONS.items() if target} | {
    "verify": ItemState.CLOSED
}
DEADLINE_VERBS = {"decide_extension", "apply_holiday_calendar"}
SNIPPET = 40
SHEET_LANGUAGE = "zh-hans"


@dataclass
class ItemChange:
    """One item's changes in the window, in the order an official reads them."""

    item: SupervisionItem
    overdue: bool
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.item.title}:{';'.join(self.parts)}"


def _snippet(text: str) -> str:
    text = re.sub(r"[。;;]+$", "", " ".join(text.split()))  # the line goes on with ";"
    return text if len(text) <= SNIPPET else f"{text[:SNIPPET]}…"


def item_changes(since: dt.datetime, until: dt.datetime, today: dt.date) -> list[ItemChange]:
    """Each item that changed in [since, until): one ``ItemChange``, sorted by lead unit (tree
    order), overdue first, then deadline. Four queries whatever the number of items."""
    activities = (
        ItemActivity.objects.filter(at__gte=since, at__lt=until)
        .filter(verb__in=[*MOVES, "assign", *DEADLINE_VERBS])
        .order_by("at", "pk")
        .values_list("item_id", "verb", "text")
    )
    feedbacks = Feedback.objects.filter(submitted_at__gte=since, submitted_at__lt=until).order_by(
        "submitted_at", "pk"
    )
    verifications = Verification.objects.filter(
        verified_at__gte=since, verified_at__lt=until
    ).order_by("verified_at", "pk")
    moves: dict[int, list[tuple[str, str]]] = {}
    for item_pk, verb, text in activities:
        moves.setdefault(item_pk, []).append((verb, text))
    latest_feedback = {f.item_id: f for f in feedbacks.only("item", "text", "claims_done")}
    latest_verdict = {v.item_id: v for v in verifications.only("item", "result", "notes")}
    pks = set(moves) | set(latest_feedback) | set(latest_verdict)
    items = SupervisionItem.objects.filter(pk__in=pks).select_related("lead_unit")
    changes = []
    for item in items:
        change = ItemChange(item, item.is_open and item.deadline < today)
        verbs = moves.get(item.pk, [])
        if any(verb == "assign" for verb, _text in verbs):
            change.parts.append(
                _("新交办,期限%(date)s") % {"date": cn_date(item.original_deadline)}
            )
        states = [MOVES[verb] for verb, _text in verbs if verb in MOVES]
        if states:
            label = ItemState(states[-1]).label
            change.parts.append(_("状态转为“%(state)s”") % {"state": label})
        if feedback := latest_feedback.get(item.pk):
            words = _("报告完成") if feedback.claims_done else _("反馈进展")
            change.parts.append(f"{words}:{_snippet(feedback.text)}")
        if verdict := latest_verdict.get(item.pk):
            change.parts.append(
                _("核查%(result)s:%(notes)s")
                % {"result": verdict.get_result_display(), "notes": _snippet(verdict.notes)}
            )
        for verb, text in verbs:
            if verb == "apply_holiday_calendar":
                change.parts.append(
                    _("期限因节假日调整为%(date)s") % {"date": cn_date(item.deadline)}
                )
            elif verb == "decide_extension" and text.startswith("同意"):
                change.parts.append(_("期限:%(verdict)s") % {"verdict": text.split("。")[0]})
        if change.parts:
            changes.append(change)
    changes.sort(key=lambda c: (c.item.lead_unit.path, not c.overdue, c.item.deadline, c.item.pk))
    return changes


# ------------------------------------------------------------------------------------ .xlsx

COLUMNS = [
    ("序号", 5, "int"),
    ("牵头单位", 14, "text"),
    ("事项", 30, "text"),
    ("成效标准", 26, "text"),
    ("配合单位", 16, "text"),
    ("责任人", 8, "text"),
    ("办理期限", 11, "date"),
    ("原定期限", 11, "date"),
    ("状态", 7, "text"),
    ("灯色", 5, "text"),
    ("单位反馈进展", 36, "text"),
    ("最近核查结论", 30, "text"),
]


def dispatch_xlsx(items, file, today: dt.date, *, heading: str = "", unit: str = "") -> int:
    """Write the 调度表 of `items` (a SupervisionItem queryset, written as given: the caller
    chooses which, e.g. ``.open()``) to `file`; returns the number of rows.

    Each row: the unit's latest report (what it claims, dated) beside the latest verification
    verdict (属实 / 部分属实 / 不属实, dated, with what was found), so an item verified 不属实 says
    so. Rows by lead unit (tree order), overdue first, then deadline. Two queries. The sheet
    is Chinese whatever the UI language (its states and verdicts under its Chinese headers).
    """
    with translation.override(SHEET_LANGUAGE):
        return _write_sheet(items, file, today, heading, unit)


def _write_sheet(items, file, today: dt.date, heading: str, unit: str) -> int:
    feedback = Feedback.objects.filter(item=OuterRef("pk")).order_by("-submitted_at", "-pk")
    verification = Verification.objects.filter(item=OuterRef("pk")).order_by("-verified_at", "-pk")
    rows = []
    for item in (
        items.select_related("lead_unit", "responsible")
        .prefetch_related("co_units")
        .annotate(
            feedback_text=Subquery(feedback.values("text")[:1]),
            feedback_at=Subquery(feedback.values("submitted_at")[:1]),
            verdict=Subquery(verification.values("result")[:1]),
            verdict_at=Subquery(verification.values("verified_at")[:1]),
            verdict_notes=Subquery(verification.values("notes")[:1]),
        )
    ):
        rows.append((item, item_light(item, today)))
    rows.sort(
        key=lambda row: (
            row[0].lead_unit.path,
            not (row[0].is_open and row[0].deadline < today),
            row[0].deadline,
            row[0].pk,
        )
    )
    sheet = SheetWriter("调度表", COLUMNS, freeze="D2", heading=heading, unit=unit, as_of=today)
    for number, (item, light) in enumerate(rows, start=1):
        progress = ""
        if item.feedback_text:
            progress = f"{_day(item.feedback_at)}:{item.feedback_text}"
        verdict = ""
        if item.verdict:
            verdict = f"{Verification.Result(item.verdict).label}({_day(item.verdict_at)})"
            if item.verdict_notes:
                verdict += f":{item.verdict_notes}"
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
                progress,
                verdict,
            ]
        )
    return sheet.save(file)


def _day(moment: dt.datetime) -> str:
    """The local date of a moment: 2026年12月3日."""
    return cn_date(timezone.localtime(moment).date())
