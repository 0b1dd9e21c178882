"""The indicator rules: each figure of a unit's month computed from the records, as plain
functions, with the facts behind it.

``gather`` reads a month's records for a set of units in a fixed number of queries (whatever
the number of units and records); each ``*_indicator`` function then turns one unit's share of
them into an ``Indicator``: the score, one line saying how it came about, and the facts, each
with the points it moved and a link to its record. ``Rules`` are the scheme's numbers (weights
and deduction rules, models.Scheme), so a month computed with one version of the scheme is
computed with it again.

Rules (DESIGN §3 and A13, defaults in brackets, each editable in the scheme):

- 督办 [30]: the unit's items led whose deadline (after approved extensions) falls in the month,
  cancelled ones aside. −[1] per item answered late: closed late, or past its deadline and not
  closed (unless its report came by the deadline and awaits verification); +[1] per item closed
  before its deadline. Kept between 0 and the weight.
- 问题解决 [20]: the unit's problems outstanding in the month (raised by its end, not resolved
  before it began, not reported upward): weight × share resolved in the month; none: full marks.
- 周末日志 [15]: for every weekend whose Saturday is in the month, each cadre of the unit on the
  roster owes a log (leave and exemptions excepted): weight × share submitted; none owed: full.
- 项目灯色 [20]: the unit's projects (a park's: also every project in the park), with the light frozen for the month's (last) reporting
  period (the current light when the period has not closed): green 1, yellow [0.5], red 0;
  weight × the mean; no projects: full marks.
- 核查属实 [10]: verifications of the unit's reports in the month: −[2] per 不属实 (弄虚作假),
  −[1] per 部分属实; kept between 0 and the weight.
- 企业诉求 [0: off]: the enterprise requests the unit handled (tuijin/enterprise_requests, as
  its ``services.unit_rates``): resolution rate = resolved in the month ÷ (resolved in the month
  + still open past the resolve clock + withdrawn in the month and found improper by the
  sampling check), satisfaction rate = 满意/基本满意 ÷ rated in the month; weight × (1 − [0.5]) ×
  the resolution rate + weight × [0.5] × the satisfaction rate (the share is the scheme's);
  a part with nothing to count: full marks for it.
- 分管领导评分 [0: off]: weight × the mean of the leaders' ratings / 100; not rated: full marks.
- 加减分 [±5]: −[0.5] per person of the unit absent (缺席, not 请假) from a meeting, +[1] per
  leader's approving 批示, and the 督查室's bonus/penalty entries; the sum kept within ±cap.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from tuijin.core.templatetags.tuijin import cn_date
from tuijin.enterprise_requests.models import (
    RUNNING_STATES,
    CheckResult,
    EnterpriseRequest,
    Satisfaction,
)
from tuijin.enterprise_requests.models import State as RequestState
from tuijin.meetings.models import Attendance
from tuijin.projects.models import Light, PeriodLight, Project
from tuijin.supervision.models import (
    Feedback,
    ItemState,
    Problem,
    SupervisionItem,
    Verification,
)
from tuijin.worklogs import rules as log_rules

CENT = Decimal("0.01")
ZERO = Decimal(0)

# Indicator keys in the order they are shown; names as printed.
NAMES = {
    "duban": "督办按期办结",
    "problems": "问题解决",
    "worklogs": "周末日志",
    "lights": "项目灯色",
    "truth": "核查属实",
    "requests": "企业诉求",
    "rating": "分管领导评分",
    "adjust": "加减分",
}


def q(value) -> Decimal:
    """Two decimals, half up (as a person rounds)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


@dataclass
class Rules:
    """The scheme's numbers for one class of unit (``Scheme.SCHEME_VALUE_FIELDS``)."""

    values: dict

    def __getattr__(self, name):
        try:
            return Decimal(str(self.values[name]))
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Indicator:
    key: str
    weight: Decimal
    score: Decimal
    summary: str
    facts: list[dict] = field(default_factory=list)
    met: bool = True  # the target reached (full marks; for 加减分: nothing deducted)

    @property
    def name(self) -> str:
        return NAMES[self.key]


def fact(kind: str, text: str, points=None, url: str = "", day: dt.date | None = None) -> dict:
    return {
        "kind": kind,
        "text": text,
        "points": "" if points is None else f"{q(points):+}",
        "url": url,
        "day": day.isoformat() if day else "",
    }


# ------------------------------------------------------------------------ reading the month


@dataclass
class MonthData:
    """A month's records for a set of units, grouped by unit id."""

    start: dt.date
    end: dt.date
    as_of: dt.datetime
    items: dict = field(default_factory=lambda: defaultdict(list))
    reported_by_deadline: set = field(default_factory=set)
    problems: dict = field(default_factory=lambda: defaultdict(list))
    weekends: list = field(default_factory=list)  # [(saturday, {unit_id: UnitTally})]
    lights: dict = field(
        default_factory=lambda: defaultdict(list)
    )  # unit → [(project, light, frozen?)]
    verifications: dict = field(default_factory=lambda: defaultdict(list))
    absences: dict = field(default_factory=lambda: defaultdict(list))
    instructions: dict = field(default_factory=lambda: defaultdict(list))
    adjustments: dict = field(default_factory=lambda: defaultdict(list))
    ratings: dict = field(default_factory=lambda: defaultdict(list))
    requests: dict = field(default_factory=lambda: defaultdict(list))


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def saturdays(start: dt.date, end: dt.date) -> list[dt.date]:
    first = start + dt.timedelta(days=(5 - start.weekday()) % 7)
    return [first + dt.timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]


def gather(units, month: dt.date, as_of: dt.datetime, period=None) -> MonthData:
    """Everything the rules read for `units` in the month, in a fixed number of queries
    (about twelve, plus three per weekend)."""
    start, end = month_bounds(month)
    after_end, begin = _aware(end + dt.timedelta(days=1)), _aware(start)
    unit_ids = [u.pk for u in units]
    data = MonthData(start, end, as_of)

    items = list(
        SupervisionItem.objects.filter(lead_unit__in=unit_ids, deadline__range=(start, end))
        .exclude(state=ItemState.CANCELLED)
        .only("pk", "title", "lead_unit_id", "deadline", "state", "closed_on", "closed_on_time")
        .order_by("deadline", "pk")
    )
    for item in items:
        data.items[item.lead_unit_id].append(item)
    first_reports = (
        Feedback.objects.filter(item__in=[i.pk for i in items], claims_done=True)
        .values("item")
        .annotate(first=Min("submitted_at"))
        .values_list("item", "first")
    )
    deadlines = {i.pk: i.deadline for i in items}
    data.reported_by_deadline = {
        pk for pk, first in first_reports if timezone.localtime(first).date() <= deadlines[pk]
    }

    for problem in (
        Problem.objects.filter(unit__in=unit_ids, raised_at__lt=after_end)
        .exclude(status=Problem.Status.REPORTED_UP)
        .exclude(resolved_at__lt=begin)
        .only("pk", "description", "unit_id", "status", "raised_at", "resolved_at")
        .order_by("raised_at", "pk")
    ):
        data.problems[problem.unit_id].append(problem)

    for saturday in saturdays(start, end):
        tallies = log_rules.weekend_roster(units, saturday, as_of)
        data.weekends.append((saturday, {t.unit.pk: t for t in tallies}))

    # A department answers for the projects it is responsible for; a park also for every
    # project in it (its project list).
    projects = list(
        Project.objects.filter(Q(unit__in=unit_ids) | Q(park__in=unit_ids)).only(
            "pk", "name", "code", "unit_id", "park_id", "light"
        )
    )
    frozen = {}
    for row in PeriodLight.objects.filter(
        project__in=[p.pk for p in projects], period_start__range=(start, end)
    ).order_by("period_start"):
        frozen[row.project_id] = row.light  # the month's last period wins
    for project in sorted(projects, key=lambda p: p.code):
        light = frozen.get(project.pk)
        entry = (project, light or project.light, light is not None)
        for owner in {project.unit_id, project.park_id} & set(unit_ids):
            data.lights[owner].append(entry)

    for verification in (
        Verification.objects.filter(unit__in=unit_ids, verified_at__gte=begin)
        .filter(verified_at__lt=after_end)
        .select_related("item", "feedback__submitted_by")
        .order_by("verified_at", "pk")
    ):
        data.verifications[verification.unit_id].append(verification)

    for attendance in (
        Attendance.objects.filter(
            status=Attendance.Status.ABSENT,
            person__unit__in=unit_ids,
            meeting__starts_at__gte=begin,
            meeting__starts_at__lt=after_end,
        )
        .select_related("meeting", "person")
        .order_by("meeting__starts_at", "pk")
    ):
        data.absences[attendance.person.unit_id].append(attendance)

    # Enterprise requests: resolved, withdrawn (improperly) or rated in the month, or still
    # open past their resolve clock (as the records stand when computed). One query.
    today = timezone.localtime(as_of).date()
    for request in (
        EnterpriseRequest.objects.filter(unit__in=unit_ids)
        .filter(
            Q(state=RequestState.RESOLVED, closed_on__range=(start, end))
            | Q(check_result=CheckResult.IMPROPER, closed_on__range=(start, end))
            | Q(state__in=RUNNING_STATES, resolve_due__lt=min(today, end + dt.timedelta(days=1)))
            | Q(rated_at__gte=begin, rated_at__lt=after_end)
        )
        .select_related("enterprise")
        .only(
            "pk",
            "unit_id",
            "description",
            "state",
            "closed_on",
            "resolve_due",
            "check_result",
            "satisfaction",
            "rated_at",
            "enterprise__name",
        )
        .order_by("raised_at", "pk")
    ):
        data.requests[request.unit_id].append(request)

    from tuijin.assessment.models import Adjustment, Instruction, LeaderRating

    for instruction in (
        Instruction.objects.filter(unit__in=unit_ids, day__range=(start, end))
        .select_related("leader", "item")
        .order_by("day", "pk")
    ):
        data.instructions[instruction.unit_id].append(instruction)
    if period is not None:
        for adjustment in Adjustment.objects.filter(period=period).order_by("entered_at", "pk"):
            data.adjustments[adjustment.unit_id].append(adjustment)
        for rating in LeaderRating.objects.filter(period=period).select_related("rater"):
            data.ratings[rating.unit_id].append(rating)
    return data


# ---------------------------------------------------------------------------- the rules


def _title(text: str) -> str:
    """A record's title inside a sentence: without its own closing punctuation."""
    return text.rstrip("。；，：.;,: ")


def duban_indicator(rules: Rules, items, reported_by_deadline: set, today: dt.date) -> Indicator:
    weight = rules.weight_duban
    facts, late, early, on_time, waiting = [], 0, 0, 0, 0
    for item in items:
        url = reverse("supervision:item_detail", args=[item.pk])
        deadline = cn_date(item.deadline)
        if item.state == ItemState.CLOSED:
            if item.closed_on_time:
                on_time += 1
                if item.closed_on and item.closed_on < item.deadline:
                    early += 1
                    text = f"{_title(item.title)}:提前办结(期限{deadline},{cn_date(item.closed_on)}办结)"
                    facts.append(fact("early", text, rules.early_item_points, url, item.closed_on))
                else:
                    facts.append(
                        fact(
                            "on_time",
                            f"{_title(item.title)}:按期办结(期限{deadline})",
                            None,
                            url,
                            item.closed_on,
                        )
                    )
            else:
                late += 1
                text = (
                    f"{_title(item.title)}:逾期办结(期限{deadline},{cn_date(item.closed_on)}办结)"
                )
                facts.append(fact("late", text, -rules.late_item_points, url, item.closed_on))
        elif item.deadline < today:
            if item.pk in reported_by_deadline and item.state in (
                ItemState.REPORTED,
                ItemState.VERIFYING,
            ):
                waiting += 1
                text = f"{_title(item.title)}:期限内已反馈,待核查(期限{deadline})"
                facts.append(fact("waiting", text, None, url, item.deadline))
            else:
                late += 1
                text = f"{_title(item.title)}:超期未办结(期限{deadline})"
                facts.append(fact("late", text, -rules.late_item_points, url, item.deadline))
        else:
            waiting += 1
            facts.append(fact("waiting", f"{_title(item.title)}:未到期(期限{deadline})", None, url))
    raw = weight - rules.late_item_points * late + rules.early_item_points * early
    score = q(clamp(raw, ZERO, weight))
    summary = f"本月到期督办{len(items)}项:按期{on_time}项(其中提前{early}项),逾期{late}项" + (
        f",待核查或未到期{waiting}项" if waiting else ""
    )
    if not items:
        summary = "本月无到期督办事项,按满分计"
    return Indicator("duban", weight, score, summary, facts, met=late == 0)


def problems_indicator(rules: Rules, problems, start: dt.date, end: dt.date) -> Indicator:
    weight = rules.weight_problems
    facts, resolved = [], 0
    for problem in problems:
        url = reverse("supervision:problem_detail", args=[problem.pk])
        text = _title(problem.description[:40])
        resolved_on = (
            timezone.localtime(problem.resolved_at).date() if problem.resolved_at else None
        )
        if (
            problem.status == Problem.Status.RESOLVED
            and resolved_on
            and start <= resolved_on <= end
        ):
            resolved += 1
            facts.append(
                fact("resolved", f"{text}:{cn_date(resolved_on)}已解决", None, url, resolved_on)
            )
        else:
            raised = timezone.localtime(problem.raised_at).date()
            facts.append(fact("open", f"{text}:未解决({cn_date(raised)}提出)", None, url, raised))
    if not problems:
        return Indicator("problems", weight, q(weight), "本月无待解决问题,按满分计")
    score = q(weight * resolved / len(problems))
    summary = f"本月应解决问题{len(problems)}个,已解决{resolved}个"
    return Indicator("problems", weight, score, summary, facts, met=resolved == len(problems))


def worklogs_indicator(rules: Rules, weekends) -> tuple[Indicator, dict]:
    """`weekends`: [(saturday, UnitTally | None)]. Also returns each cadre's tally
    {person_id: {"name", "owed", "submitted", "on_time"}} (the cadre level)."""
    weight = rules.weight_worklogs
    facts, owed, submitted, cadres = [], 0, 0, {}
    for saturday, tally in weekends:
        if tally is None:
            continue
        url = reverse("worklogs:submissions") + f"?weekend={saturday.isoformat()}"
        for row in tally.rows:
            if row.status in (log_rules.EXEMPT, log_rules.PENDING):
                continue
            cadre = cadres.setdefault(
                row.person.pk, {"name": row.person.name, "owed": 0, "submitted": 0, "on_time": 0}
            )
            owed += 1
            cadre["owed"] += 1
            if row.status in (log_rules.ON_TIME, log_rules.LATE):
                submitted += 1
                cadre["submitted"] += 1
                cadre["on_time"] += row.status == log_rules.ON_TIME
                if row.status == log_rules.LATE:
                    text = f"{row.person.name}:{cn_date(saturday)}周末日志迟交"
                    facts.append(fact("late_log", text, None, url, saturday))
            else:
                text = f"{row.person.name}:{cn_date(saturday)}周末日志未提交"
                facts.append(fact("missing", text, None, url, saturday))
    if not owed:
        return Indicator("worklogs", weight, q(weight), "本月无应交周末日志,按满分计"), cadres
    score = q(weight * submitted / owed)
    summary = f"应交周末日志{owed}篇,已交{submitted}篇,缺交{owed - submitted}篇"
    return Indicator("worklogs", weight, score, summary, facts, met=submitted == owed), cadres


LIGHT_WORDS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}


def lights_indicator(rules: Rules, lights) -> Indicator:
    weight = rules.weight_lights
    if not lights:
        return Indicator("lights", weight, q(weight), "本单位无负责项目,按满分计")
    values = {Light.GREEN: Decimal(1), Light.YELLOW: rules.yellow_share, Light.RED: ZERO}
    facts, counts = [], {Light.GREEN: 0, Light.YELLOW: 0, Light.RED: 0}
    for project, light, frozen in lights:
        counts[light] += 1
        if light != Light.GREEN:
            when = "本月填报周期" if frozen else "当前"
            text = f"{project.name}:{when}{LIGHT_WORDS[light]}"
            facts.append(
                fact(light, text, None, reverse("projects:project_detail", args=[project.pk]))
            )
    mean = sum(values[light] for _p, light, _f in lights) / len(lights)
    score = q(weight * mean)
    summary = (
        f"负责项目{len(lights)}个:绿灯{counts[Light.GREEN]}个、黄灯{counts[Light.YELLOW]}个、"
        f"红灯{counts[Light.RED]}个"
    )
    return Indicator(
        "lights", weight, score, summary, facts, met=counts[Light.GREEN] == len(lights)
    )


def truth_indicator(rules: Rules, verifications) -> Indicator:
    weight = rules.weight_truth
    facts, untrue, partly = [], 0, 0
    for v in verifications:
        url = reverse("supervision:item_detail", args=[v.item_id])
        day = timezone.localtime(v.verified_at).date()
        if v.result == Verification.Result.UNTRUE:
            untrue += 1
            text = f"{_title(v.item.title)}:{cn_date(day)}现场核查不属实"
            facts.append(fact("untrue", text, -rules.untrue_points, url, day))
        elif v.result == Verification.Result.PARTLY:
            partly += 1
            text = f"{_title(v.item.title)}:{cn_date(day)}现场核查部分属实"
            facts.append(fact("partly", text, -rules.partly_points, url, day))
        else:
            facts.append(
                fact("true", f"{_title(v.item.title)}:{cn_date(day)}核查属实", None, url, day)
            )
    raw = weight - rules.untrue_points * untrue - rules.partly_points * partly
    score = q(clamp(raw, ZERO, weight))
    summary = f"本月核查{len(verifications)}次:不属实{untrue}次,部分属实{partly}次"
    if not verifications:
        summary = "本月无现场核查,按满分计"
    return Indicator("truth", weight, score, summary, facts, met=untrue == partly == 0)


SATISFACTION_WORDS = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASIC: "基本满意",
    Satisfaction.UNSATISFIED: "不满意",
}


def _rule(rules: Rules, name: str, default: str) -> Decimal:
    """A scheme number that versions saved before it was added lack (their default)."""
    return Decimal(str(rules.values.get(name, default)))


def requests_indicator(
    rules: Rules, requests, start: dt.date, end: dt.date, today: dt.date
) -> Indicator:
    """企业诉求: resolution and satisfaction rates of the requests the unit handled."""
    weight = _rule(rules, "weight_requests", "0")
    share = _rule(rules, "request_satisfaction_share", "0.5")
    facts, resolved, overdue, improper, rated, satisfied = [], 0, 0, 0, 0, 0
    for r in requests:
        url = reverse("enterprise_requests:request_detail", args=[r.pk])
        brief = _title(r.description) if len(r.description) <= 30 else r.description[:30] + "…"
        text = f"{r.enterprise.name}:{brief}"
        in_month = r.closed_on is not None and start <= r.closed_on <= end
        if r.state == RequestState.RESOLVED and in_month:
            resolved += 1
            facts.append(
                fact(
                    "resolved", f"{text}:{cn_date(r.closed_on)}企业确认解决", None, url, r.closed_on
                )
            )
        elif r.check_result == CheckResult.IMPROPER and in_month:
            improper += 1
            facts.append(
                fact(
                    "improper",
                    f"{text}:{cn_date(r.closed_on)}撤回,抽查认定承办单位不当劝撤",
                    None,
                    url,
                    r.closed_on,
                )
            )
        elif r.state in RUNNING_STATES and r.resolve_due < min(today, end + dt.timedelta(days=1)):
            overdue += 1
            facts.append(
                fact(
                    "overdue",
                    f"{text}:超过解决期限未办结(期限{cn_date(r.resolve_due)})",
                    None,
                    url,
                    r.resolve_due,
                )
            )
        rated_on = timezone.localtime(r.rated_at).date() if r.rated_at else None
        if r.satisfaction and rated_on and start <= rated_on <= end:
            rated += 1
            good = r.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASIC)
            satisfied += good
            words = SATISFACTION_WORDS.get(r.satisfaction, r.satisfaction)
            facts.append(
                fact(
                    "satisfied" if good else "unsatisfied",
                    f"{text}:{cn_date(rated_on)}企业评价{words}",
                    None,
                    url,
                    rated_on,
                )
            )
    owed = resolved + overdue + improper
    if not owed and not rated:
        return Indicator("requests", weight, q(weight), "本月无承办的企业诉求,按满分计")
    resolution = Decimal(resolved) / owed if owed else Decimal(1)
    satisfaction = Decimal(satisfied) / rated if rated else Decimal(1)
    score = q(weight * (1 - share) * resolution + weight * share * satisfaction)
    summary = (
        f"本月应解决企业诉求{owed}件,已解决{resolved}件"
        + (f",超期未办结{overdue}件" if overdue else "")
        + (f",不当劝撤{improper}件" if improper else "")
        + (f";企业评价{rated}件,满意或基本满意{satisfied}件" if rated else ";本月无企业评价")
    )
    return Indicator(
        "requests", weight, score, summary, facts, met=resolved == owed and satisfied == rated
    )


def rating_indicator(rules: Rules, ratings) -> Indicator:
    weight = rules.weight_rating
    if not ratings:
        return Indicator("rating", weight, q(weight), "本月无分管领导评分,按满分计")
    mean = sum(Decimal(r.score) for r in ratings) / len(ratings)
    facts = [
        fact("rating", f"{r.rater.name}评分{r.score}" + (f":{r.comment}" if r.comment else ""))
        for r in ratings
    ]
    score = q(weight * mean / 100)
    summary = f"{len(ratings)}位领导评分,平均{q(mean)}分"
    return Indicator("rating", weight, score, summary, facts, met=score == weight)


def adjust_indicator(rules: Rules, absences, instructions, adjustments) -> Indicator:
    cap = rules.adjust_cap
    facts, total = [], ZERO
    for a in absences:
        day = timezone.localtime(a.meeting.starts_at).date()
        text = f"{a.person.name}缺席{a.meeting.title}"
        points = -rules.missed_meeting_points
        total += points
        facts.append(fact("absent", text, points, a.meeting.get_absolute_url(), day))
    for i in instructions:
        subject = f"对“{i.item.title}”" if i.item else ""
        text = f"{i.leader.name}{cn_date(i.day)}{subject}作出肯定性批示:{i.text[:40]}"
        url = i.item.get_absolute_url() if i.item else reverse("assessment:instruction_list")
        total += rules.instruction_points
        facts.append(fact("instruction", text, rules.instruction_points, url, i.day))
    for a in adjustments:
        total += a.points
        kind = "bonus" if a.points >= 0 else "penalty"
        url = reverse("file", args=["assessment.adjustment", a.pk]) if a.document else ""
        facts.append(fact(kind, a.reason, a.points, url))
    score = q(clamp(total, -cap, cap))
    if not facts:
        return Indicator("adjust", cap, ZERO, "本月无加减分")
    summary = f"加减分合计{q(total):+}" + (f",按上限计{score:+}" if score != q(total) else "")
    return Indicator("adjust", cap, score, summary, facts, met=total >= 0)


def unit_indicators(rules: Rules, data: MonthData, unit_id: int) -> tuple[list[Indicator], dict]:
    """Every indicator of one unit (企业诉求 and the rating only when the scheme weighs
    them)."""
    today = timezone.localtime(data.as_of).date()
    worklogs, cadres = worklogs_indicator(
        rules, [(sat, tallies.get(unit_id)) for sat, tallies in data.weekends]
    )
    result = [
        duban_indicator(rules, data.items[unit_id], data.reported_by_deadline, today),
        problems_indicator(rules, data.problems[unit_id], data.start, data.end),
        worklogs,
        lights_indicator(rules, data.lights[unit_id]),
        truth_indicator(rules, data.verifications[unit_id]),
    ]
    if _rule(rules, "weight_requests", "0") > 0:
        result.append(
            requests_indicator(rules, data.requests[unit_id], data.start, data.end, today)
        )
    if rules.weight_rating > 0:
        result.append(rating_indicator(rules, data.ratings[unit_id]))
    result.append(
        adjust_indicator(
            rules, data.absences[unit_id], data.instructions[unit_id], data.adjustments[unit_id]
        )
    )
    # Cadre level: their verification record next to their logs.
    for v in data.verifications[unit_id]:
        if v.feedback is None:
            continue
        person = v.feedback.submitted_by
        cadre = cadres.setdefault(
            person.pk, {"name": person.name, "owed": 0, "submitted": 0, "on_time": 0}
        )
        cadre.setdefault("verified", {"true": 0, "partly": 0, "untrue": 0})
        cadre["verified"][v.result] += 1
    return result, cadres
