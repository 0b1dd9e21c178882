"""What the rules read from the database, in a constant number of queries whatever the number
of parks, projects, evaluators and sheets: the proposal's candidates, the ledger's facts per
park, and a review's results (``results``: the same figures whenever it runs on the same
records; ``services.publish_review`` freezes them)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, Sum

from tuijin.parkreview import rules
from tuijin.parkreview.models import ParkEntry, ParkReview, ScoreSheet, State, Stop
from tuijin.projects.models import AnnualPlan, Light, ProgressReport, Project, Stage

TOURED_STAGES = {Stage.CONSTRUCTION, Stage.COMPLETED, Stage.OPERATING}
LEDGER_STAGES = {Stage.SIGNED, Stage.PREPARING, Stage.CONSTRUCTION, Stage.SUSPENDED}


def candidates(review: ParkReview, park_ids: list[int]) -> list[rules.Candidate]:
    """The projects a tour may visit (started, not suspended) in the parks, with their completed
    investment through the quarter's end and the quarter they were last toured in."""
    end = rules.quarter_end(review.year, review.quarter)
    projects = list(
        Project.objects.filter(park_id__in=park_ids, stage__in=TOURED_STAGES)
        .annotate(
            done=Sum(
                "reports__investment",
                filter=Q(reports__period_start__lte=end),
                default=Decimal(0),
            )
        )
        .values("pk", "park_id", "name", "code", "total_investment", "done", "actual_start")
    )
    last_toured = {
        row["project_id"]: row["last"]
        for row in Stop.objects.filter(
            project_id__in=[p["pk"] for p in projects], review__state=State.PUBLISHED
        )
        .exclude(review=review)
        .values("project_id")
        .annotate(last=Max(review_index()))
    }
    return [
        rules.Candidate(
            project_id=p["pk"],
            park_id=p["park_id"],
            name=p["name"],
            code=p["code"],
            total=p["total_investment"],
            completed=p["done"],
            started_on=p["actual_start"],
            toured_in=last_toured.get(p["pk"]),
        )
        for p in projects
    ]


def review_index():
    from django.db.models import F

    return F("review__year") * 4 + F("review__quarter") - 1


def ledger_facts(review: ParkReview, park_ids: list[int]) -> dict[int, rules.LedgerFacts]:
    """Each park's ledger as of the quarter's end: this year's plan and completed investment,
    the starts due and made, and the lights of its projects under way (four queries)."""
    end = rules.quarter_end(review.year, review.quarter)
    year_start = end.replace(month=1, day=1)
    plan = dict(
        AnnualPlan.objects.filter(project__park_id__in=park_ids, year=review.year)
        .values("project__park_id")
        .annotate(s=Sum("amount"))
        .values_list("project__park_id", "s")
    )
    done = dict(
        ProgressReport.objects.filter(
            project__park_id__in=park_ids, period_start__gte=year_start, period_start__lte=end
        )
        .values("project__park_id")
        .annotate(s=Sum("investment"))
        .values_list("project__park_id", "s")
    )
    starts = defaultdict(lambda: [0, 0])
    lights = defaultdict(lambda: {Light.GREEN: 0, Light.YELLOW: 0, Light.RED: 0})
    rows = Project.objects.filter(park_id__in=park_ids).values_list(
        "park_id", "planned_start", "actual_start", "stage", "light"
    )
    for park_id, planned, actual, stage, light in rows:
        if planned and planned.year == review.year and planned <= end:
            starts[park_id][0] += 1
            starts[park_id][1] += bool(actual and actual <= end)
        if stage in LEDGER_STAGES:
            lights[park_id][light] += 1
    return {
        park_id: rules.LedgerFacts(
            plan=plan.get(park_id) or Decimal(0),
            completed=done.get(park_id) or Decimal(0),
            starts_due=starts[park_id][0],
            started=starts[park_id][1],
            green=lights[park_id][Light.GREEN],
            yellow=lights[park_id][Light.YELLOW],
            red=lights[park_id][Light.RED],
        )
        for park_id in park_ids
    }


@dataclass
class Row:
    """One park's line of the results."""

    entry: ParkEntry
    facts: rules.LedgerFacts
    objective: rules.Objective
    totals: list[tuple[ScoreSheet, Decimal]] = field(default_factory=list)
    dropped: set[int] = field(default_factory=set)  # sheet pks
    subjective: Decimal | None = None
    final: Decimal = Decimal(0)
    rank: int = 0

    @property
    def figures(self) -> dict:
        """What publishing freezes on the entry, as plain JSON."""
        return {
            "plan": str(self.facts.plan),
            "completed": str(self.facts.completed),
            "starts_due": self.facts.starts_due,
            "started": self.facts.started,
            "lights": [self.facts.green, self.facts.yellow, self.facts.red],
            "plan_rate": str(self.objective.plan_rate),
            "start_rate": str(self.objective.start_rate),
            "light_rate": str(self.objective.light_rate),
            "sheets": {str(s.pk): str(t) for s, t in self.totals},
            "dropped": sorted(self.dropped),
        }


def results(review: ParkReview) -> list[Row]:
    """The review's results computed from the records as they are now, best first: objective
    points from the ledger, the evaluators' totals (scaled to 100 when the criteria's weights
    add up to something else), their trimmed mean, the merge and the rank."""
    entries = list(review.entries.select_related("park").order_by("position", "park__path"))
    park_ids = [e.park_id for e in entries]
    facts = ledger_facts(review, park_ids)
    weights = {c.pk: c.weight for c in review.criteria.all()}
    scale = sum(weights.values(), Decimal(0))
    sheets = defaultdict(list)
    for sheet in (
        ScoreSheet.objects.filter(entry__review=review)
        .select_related("evaluator")
        .order_by("evaluator__name", "pk")
    ):
        sheets[sheet.entry_id].append(sheet)
    rows = []
    for entry in entries:
        objective = rules.objective_points(
            facts[entry.park_id],
            review.quarter,
            (review.plan_points, review.start_points, review.light_points),
        )
        row = Row(entry, facts[entry.park_id], objective)
        row.totals = [
            (s, rules.sheet_total(s.points, weights) * 100 / scale if scale else Decimal(0))
            for s in sheets[entry.pk]
        ]
        trimmed = rules.trimmed_mean([t for _, t in row.totals], review.trim_from)
        row.dropped = {row.totals[i][0].pk for i in trimmed.dropped}
        row.subjective = trimmed.mean
        row.final = rules.merged(objective.points, trimmed.mean, review.subjective_weight)
        rows.append(row)
    for row, rank in zip(rows, rules.ranks([r.final for r in rows]), strict=True):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank, r.entry.park.path))
    return rows


def rank_history(zone_id: int, park_ids: list[int], limit: int = 8):
    """The published reviews of the zone (latest ``limit``, oldest first) and each park's rank
    in them: ([review], {park_id: {review_id: rank}}). Two queries."""
    reviews = list(
        ParkReview.objects.filter(zone_id=zone_id, state=State.PUBLISHED).order_by(
            "-year", "-quarter"
        )[:limit]
    )[::-1]
    ranks = defaultdict(dict)
    for park_id, review_id, rank in ParkEntry.objects.filter(
        review__in=[r.pk for r in reviews], park_id__in=park_ids
    ).values_list("park_id", "review_id", "rank"):
        ranks[park_id][review_id] = rank
    return reviews, ranks
