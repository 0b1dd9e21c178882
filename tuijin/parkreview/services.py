"""Every change to a park review goes through these verbs: each checks its rule
(``permissions``), writes in one transaction under ``audit_context`` with the verb's name, and
refuses a stale form (``core.versions``). The last park's pledge becomes a 督办 item through
supervision's own ``assign_item``."""

import datetime as dt
from dataclasses import astuple, dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.core.audit import audit_context
from tuijin.core.versions import check_version, locked, unique_write
from tuijin.org.access import person_of, zone_units
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.parkreview import queries, rules
from tuijin.parkreview.models import (
    Award,
    AwardKind,
    Criterion,
    Evaluator,
    ParkEntry,
    ParkReview,
    ScoreSheet,
    State,
    Stop,
)
from tuijin.parkreview.permissions import can_manage_reviews, can_record_pledge, can_score
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.services import assign_item

# The rules a new review takes over from the zone's last one (else the model's defaults).
CARRIED = [
    "start_time",
    "stops_per_park",
    "exclude_quarters",
    "min_invest_share",
    "stop_minutes",
    "travel_minutes",
    "subjective_weight",
    "trim_from",
    "plan_points",
    "start_points",
    "light_points",
]
WHAT = gettext_lazy("该观摩拉练")


def _manager(user) -> None:
    if not can_manage_reviews(user):
        raise PermissionDenied(_("只有区领导和督查室可以组织观摩拉练。"))


def _in_state(review: ParkReview, *states: str, doing: str) -> None:
    if review.state not in states:
        raise ValidationError(
            _("观摩拉练当前为“%(state)s”,不能%(doing)s。")
            % {"state": review.get_state_display(), "doing": doing}
        )


def zone_of(user) -> Unit:
    person = person_of(user)
    if person is not None:
        return person.unit.zone
    return Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()


@transaction.atomic
def create_review(
    user, *, year: int, quarter: int, title: str, tour_date: dt.date, zone: Unit | None = None
) -> ParkReview:
    """组织观摩: a review of the quarter with every park of the zone, the rules of the zone's
    last review and the default criteria."""
    _manager(user)
    zone = zone or zone_of(user)
    if not zone_units(user).filter(pk=zone.pk).exists():
        raise PermissionDenied(_("只能为本开发区组织观摩拉练。"))
    if ParkReview.objects.filter(zone=zone, year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("该季度的观摩拉练已经建立。")})
    last = ParkReview.objects.filter(zone=zone).order_by("-year", "-quarter").first()
    carried = {name: getattr(last, name) for name in CARRIED} if last else {}
    carried.setdefault("start_time", dt.time(8, 30))
    with audit_context(actor=user, action="create_review"):
        with unique_write(_("该季度的观摩拉练已经建立。"), "quarter"):
            review = ParkReview.objects.create(
                zone=zone,
                year=year,
                quarter=quarter,
                title=title.strip() or f"{year}年第{'一二三四'[quarter - 1]}季度项目观摩拉练",
                tour_date=tour_date,
                **carried,
            )
        parks = zone.subtree().filter(kind=UnitKind.PARK).order_by("sort_order", "path")
        for position, park in enumerate(parks, start=1):
            ParkEntry.objects.create(review=review, park=park, position=position)
        source = list(last.criteria.all()) if last else []
        rows = [(c.name, c.weight) for c in source] or rules.DEFAULT_CRITERIA
        for order, (name, weight) in enumerate(rows):
            Criterion.objects.create(review=review, name=name, weight=weight, sort_order=order)
    return review


@dataclass
class CriterionRow:
    pk: int | None
    name: str
    weight: Decimal
    delete: bool = False


@transaction.atomic
def update_review(
    user,
    review: ParkReview,
    *,
    version: int | None,
    fields: dict,
    evaluators: list[Person] | None = None,
    criteria: list[CriterionRow] | None = None,
) -> ParkReview:
    """修改观摩方案: the title, date, rules and weights; the evaluators (评委); the criteria,
    which are fixed once scoring starts."""
    _manager(user)
    review = locked(ParkReview.objects.all(), review.pk, version, WHAT)
    _in_state(review, State.PLANNING, State.SCORING, doing=_("修改方案"))
    rule_fields = set(fields) - {"title", "tour_date", "start_time"}
    if review.state != State.PLANNING and any(
        getattr(review, name) != value for name, value in fields.items() if name in rule_fields
    ):
        raise ValidationError(_("评分开始后不能再修改计分规则。"))
    with audit_context(actor=user, action="update_review"):
        for name, value in fields.items():
            setattr(review, name, value)
        review.save()
        if evaluators is not None:
            wanted = {p.pk for p in evaluators}
            scored = set(
                ScoreSheet.objects.filter(entry__review=review).values_list(
                    "evaluator_id", flat=True
                )
            )
            if scored - wanted:
                raise ValidationError(_("已经评分的评委不能移出。"))
            for evaluator in review.evaluators.exclude(person_id__in=wanted):
                evaluator.delete()
            have = set(review.evaluators.values_list("person_id", flat=True))
            for person in evaluators:
                if person.pk not in have:
                    Evaluator.objects.create(review=review, person=person)
        if criteria is not None:
            _save_criteria(review, criteria)
    return review


def _save_criteria(review: ParkReview, rows: list[CriterionRow]) -> None:
    existing = {c.pk: c for c in review.criteria.all()}
    # A row naming no criterion of this review (another review's, a tampered form) is a new one.
    rows = [
        row if row.pk in existing or row.pk is None else CriterionRow(None, *astuple(row)[1:])
        for row in rows
    ]
    changed = [
        row
        for row in rows
        if row.pk is None
        or row.delete
        or (existing[row.pk].name, existing[row.pk].weight) != (row.name, row.weight)
    ]
    if not changed:
        return
    if review.state != State.PLANNING:
        raise ValidationError(_("评分开始后不能再修改评分项。"))
    kept = [row for row in rows if not row.delete]
    if not kept:
        raise ValidationError(_("至少保留一个评分项。"))
    for order, row in enumerate(rows):
        if row.pk is not None and row.delete:
            existing[row.pk].delete()
        elif row.pk is not None:
            criterion = existing[row.pk]
            criterion.name, criterion.weight, criterion.sort_order = row.name, row.weight, order
            criterion.save()
        elif not row.delete:
            Criterion.objects.create(
                review=review, name=row.name, weight=row.weight, sort_order=order
            )


@transaction.atomic
def propose_route(user, review: ParkReview, version: int | None = None) -> dict:
    """生成观摩点: replace the stops with the rule's proposal (看新不看旧、看大不看小), the
    parks in their order, each stop's arrival time from the departure. Returns the proposal
    per park, with what was left out and why."""
    _manager(user)
    review = locked(ParkReview.objects.all(), review.pk, version, WHAT)
    _in_state(review, State.PLANNING, doing=_("重新生成观摩点"))
    entries = list(review.entries.select_related("park").order_by("position", "park__path"))
    proposal = rules.propose_stops(
        queries.candidates(review, [e.park_id for e in entries]),
        year=review.year,
        quarter=review.quarter,
        per_park=review.stops_per_park,
        exclude_quarters=review.exclude_quarters,
        min_share=review.min_invest_share,
    )
    with audit_context(actor=user, action="propose_route"):
        for stop in review.stops.all():
            stop.delete()
        chosen = [
            (entry, candidate, reason)
            for entry in entries
            for candidate, reason in proposal.get(entry.park_id, rules.Proposal()).chosen
        ]
        times = rules.route_times(
            review.start_time, len(chosen), review.stop_minutes, review.travel_minutes
        )
        for position, ((entry, candidate, reason), time) in enumerate(
            zip(chosen, times, strict=True), start=1
        ):
            Stop.objects.create(
                review=review,
                entry=entry,
                project_id=candidate.project_id,
                position=position,
                arrive_at=time,
                minutes=review.stop_minutes,
                reason=reason,
            )
        review.save()  # the plan changed: forms showing the old one are stale
    return proposal


@dataclass
class RouteRow:
    stop_pk: int
    position: int
    arrive_at: dt.time | None
    minutes: int
    remove: bool = False


@transaction.atomic
def save_route(
    user,
    review: ParkReview,
    *,
    version: int | None,
    rows: list[RouteRow],
    park_order: dict[int, int] | None = None,
    added: list[tuple[ParkEntry, object]] = (),
) -> ParkReview:
    """调整路线: the 督查室 reorders the parks and the stops, sets times, drops stops and adds
    projects the rule did not propose."""
    _manager(user)
    review = locked(ParkReview.objects.all(), review.pk, version, WHAT)
    _in_state(review, State.PLANNING, doing=_("调整路线"))
    stops = {s.pk: s for s in review.stops.all()}
    with audit_context(actor=user, action="save_route"):
        for entry_pk, position in (park_order or {}).items():
            entry = review.entries.get(pk=entry_pk)
            if entry.position != position:
                entry.position = position
                entry.save()
        for row in rows:
            stop = stops.get(row.stop_pk)
            if stop is None:
                continue
            if row.remove:
                stop.delete()
                continue
            new = (row.position, row.arrive_at, row.minutes)
            if (stop.position, stop.arrive_at, stop.minutes) != new:
                stop.position, stop.arrive_at, stop.minutes = new
                stop.save()
        taken = set(review.stops.values_list("project_id", flat=True))
        kept = list(review.stops.order_by("entry__position", "position"))
        last = max((s.position for s in kept), default=0)
        timed = [s for s in kept if s.arrive_at]
        after = timed[-1] if timed else None
        for entry, project in added:
            if entry.review_id != review.pk or project.park_id != entry.park_id:
                raise ValidationError(_("只能添加本园区的项目。"))
            if project.pk in taken:
                continue
            last += 1
            arrive_at = (
                rules.route_times(after.arrive_at, 2, after.minutes, review.travel_minutes)[1]
                if after
                else review.start_time
            )
            after = Stop.objects.create(
                review=review,
                entry=entry,
                project=project,
                position=last,
                arrive_at=arrive_at,
                minutes=review.stop_minutes,
                reason=_("督查室添加"),
            )
            taken.add(project.pk)
        review.save()
    return review


@transaction.atomic
def confirm_route(user, review: ParkReview, version: int | None) -> ParkReview:
    """确认路线: the route is fixed and the evaluators may score."""
    _manager(user)
    review = locked(ParkReview.objects.all(), review.pk, version, WHAT)
    _in_state(review, State.PLANNING, doing=_("确认路线"))
    if not review.evaluators.exists():
        raise ValidationError(_("请先确定评委。"))
    if not review.criteria.exists():
        raise ValidationError(_("请先确定评分项。"))
    empty = [e.park.name for e in review.entries.select_related("park") if not e.stops.exists()]
    if empty:
        raise ValidationError(_("以下园区还没有观摩点:%(parks)s") % {"parks": "、".join(empty)})
    with audit_context(actor=user, action="confirm_route"):
        review.state = State.SCORING
        review.save()
    return review


def parse_points(review: ParkReview, raw: dict) -> dict[str, str]:
    """Points per criterion from what was typed: each a number from 0 to its weight, at most
    one decimal place. Errors name the criterion, in Chinese."""
    points, errors = {}, []
    for criterion in review.criteria.all():
        value = raw.get(criterion.pk)
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            errors.append(_("请填写“%(name)s”的得分。") % {"name": criterion.name})
            continue
        if not number.is_finite() or number < 0 or number > criterion.weight:
            errors.append(
                _("“%(name)s”的得分应在0到%(max)s之间。")
                % {"name": criterion.name, "max": criterion.weight}
            )
        elif number != number.quantize(Decimal("0.1")):
            errors.append(_("“%(name)s”的得分最多保留一位小数。") % {"name": criterion.name})
        else:
            points[str(criterion.pk)] = str(number.quantize(Decimal("0.1")))
    if errors:
        raise ValidationError(errors)
    return points


@transaction.atomic
def submit_scores(
    user,
    entry: ParkEntry,
    *,
    points: dict,
    stop_notes: dict | None = None,
    remark: str = "",
    version: int | None = None,
) -> ScoreSheet:
    """评分: the evaluator's own sheet for a park, made or changed (until publishing)."""
    review = entry.review
    if not can_score(user, review):
        raise PermissionDenied(_("只有本次观摩的评委可以在评分阶段评分。"))
    person = person_of(user)
    parsed = parse_points(review, points)
    weights = {c.pk: c.weight for c in review.criteria.all()}
    stop_pks = {str(pk) for pk in entry.stops.values_list("pk", flat=True)}
    notes = {
        str(k): str(v).strip()[:500]
        for k, v in (stop_notes or {}).items()
        if str(k) in stop_pks and str(v).strip()
    }
    fields = {
        "points": parsed,
        "stop_notes": notes,
        "remark": remark.strip(),
        "total": rules.sheet_total(parsed, weights),
        "submitted_at": timezone.now(),
    }
    with audit_context(actor=user, action="submit_scores"):
        sheet = ScoreSheet.objects.select_for_update().filter(entry=entry, evaluator=person).first()
        if sheet is None:
            with unique_write(_("您已提交过该园区的评分,请刷新后修改。")):
                return ScoreSheet.objects.create(entry=entry, evaluator=person, **fields)
        check_version(sheet, version, _("您的评分表"))
        for name, value in fields.items():
            setattr(sheet, name, value)
        sheet.save()
    return sheet


@transaction.atomic
def publish_review(user, review: ParkReview, version: int | None) -> list:
    """发布: the results computed from the sheets and the ledger are frozen on each park, the
    awards given (流动红旗 to the first, 蜗牛奖 to the last, as configured)."""
    _manager(user)
    review = locked(ParkReview.objects.all(), review.pk, version, WHAT)
    _in_state(review, State.SCORING, doing=_("发布"))
    if not ScoreSheet.objects.filter(entry__review=review).exists():
        raise ValidationError(_("还没有评委评分,不能发布。"))
    rows = queries.results(review)
    with audit_context(actor=user, action="publish_review"):
        for row in rows:
            entry = row.entry
            entry.objective = row.objective.points
            entry.subjective = row.subjective
            entry.final = row.final
            entry.rank = row.rank
            entry.figures = row.figures
            entry.save()
        last_rank = max(row.rank for row in rows)
        for kind in AwardKind.objects.filter(is_active=True):
            rank = 1 if kind.given_to == AwardKind.GivenTo.FIRST else last_rank
            if kind.given_to == AwardKind.GivenTo.LAST and (last_rank == 1 or len(rows) < 2):
                continue  # a single park, or all equal: nobody is last
            for row in rows:
                if row.rank == rank:
                    Award.objects.create(review=review, kind=kind, entry=row.entry)
        review.state = State.PUBLISHED
        review.published_at = timezone.now()
        review.save()
    return rows


@transaction.atomic
def record_pledge(user, entry: ParkEntry, *, text: str, deadline: dt.date) -> SupervisionItem:
    """表态: the last park's pledge, made at the review's closing meeting, becomes a 督办 item
    led by the park (supervision's ``assign_item``), due by ``deadline``."""
    entry = ParkEntry.objects.select_for_update().select_related("review", "park").get(pk=entry.pk)
    if not can_record_pledge(user, entry):
        raise PermissionDenied(_("只有区领导和督查室可以在发布后记录表态,且只记录一次。"))
    last = entry.review.entries.order_by("-rank").values_list("rank", flat=True).first()
    if entry.rank is None or entry.rank != last:
        raise ValidationError(_("表态由排名最后的园区作出。"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写表态内容。")})
    review = entry.review
    item, _warning = assign_item(
        user,
        title=f"{entry.park.name}{review.quarter_label}观摩拉练表态事项"[:200],
        requirement=text,
        result_standard=_("兑现观摩拉练表态:%(text)s") % {"text": text[:150]},
        source=SupervisionItem.Source.ASSESSMENT,
        lead_unit=entry.park,
        deadline_mode=SupervisionItem.DeadlineMode.DATE,
        deadline_date=deadline,
    )
    with audit_context(actor=user, action="record_pledge"):
        entry.pledge = text
        entry.pledge_item = item
        entry.save()
    return item
