"""Sample records of the park review for the URL walk (tests/test_every_url.py): a review being
scored by the zone leader and the 督查室, with the unit's project as a stop of its park, the
leader's sheet for that park, and the demo's published review."""

import datetime as dt
import itertools

from tuijin.org.models import Person, Unit, UnitKind
from tuijin.parkreview.models import (
    Criterion,
    Evaluator,
    ParkEntry,
    ParkReview,
    ScoreSheet,
    State,
    Stop,
)
from tuijin.parkreview.rules import DEFAULT_CRITERIA

_years = itertools.count(2031)  # one review per target unit, each its own quarter


def walk_records(unit: Unit, project) -> dict:
    zone = unit.zone
    review = ParkReview.objects.create(
        zone=zone,
        year=next(_years),
        quarter=1,
        title=f"{unit.name}观摩拉练",
        tour_date=dt.date(2026, 12, 20),
        start_time=dt.time(8, 30),
        state=State.SCORING,
    )
    for order, (name, weight) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.create(review=review, name=name, weight=weight, sort_order=order)
    parks = zone.subtree().filter(kind=UnitKind.PARK).order_by("sort_order")
    entries = {
        park.pk: ParkEntry.objects.create(review=review, park=park, position=n)
        for n, park in enumerate(parks, start=1)
    }
    leader, duban = (Person.objects.get(user__username=name) for name in ("leader", "duban"))
    for person in (leader, duban):
        Evaluator.objects.create(review=review, person=person)
    entry = entries[project.park_id]
    Stop.objects.create(review=review, entry=entry, project=project, position=1)
    points = {str(c.pk): str(c.weight) for c in review.criteria.all()}
    sheet = ScoreSheet.objects.create(
        entry=entry,
        evaluator=leader,
        points=points,
        total=100,
        submitted_at=dt.datetime(2026, 12, 20, 3, tzinfo=dt.UTC),
    )
    return {
        "park_review": review,
        "park_entry": entry,
        "park_sheet": sheet,
        "park_review_published": ParkReview.objects.filter(state=State.PUBLISHED).first(),
    }
