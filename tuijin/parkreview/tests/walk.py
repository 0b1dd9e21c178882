"""Sample records of the park review for the URL walk (tests/test_every_url.py): a review being
scored by the zone leader and the 督查室, with the unit's project as a stop of its park, the
leader's sheet for that park, and a published review of the zone (its figures frozen, the
first and last parks awarded), made here so the walks need no demo."""

import datetime as dt
import itertools
from decimal import Decimal

from tuijin.org.models import Person, Unit, UnitKind
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
        "park_review_published": published_review(zone, parks, project),
    }


def published_review(zone, parks, project) -> ParkReview:
    """A review as ``services.publish_review`` leaves it: every park ranked, the figures
    frozen, the awards given, the project a stop of its park."""
    review = ParkReview.objects.create(
        zone=zone,
        year=next(_years),
        quarter=4,
        title=f"{zone.name}已发布的观摩拉练",
        tour_date=dt.date(2026, 12, 18),
        start_time=dt.time(8, 30),
        state=State.PUBLISHED,
        published_at=dt.datetime(2026, 12, 19, 2, tzinfo=dt.UTC),
    )
    for order, (name, weight) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.create(review=review, name=name, weight=weight, sort_order=order)
    entries = []
    for rank, park in enumerate(parks, start=1):
        final = Decimal(95 - 5 * rank)
        entries.append(
            ParkEntry.objects.create(
                review=review,
                park=park,
                position=rank,
                objective=final,
                subjective=final,
                final=final,
                rank=rank,
            )
        )
    entry = next(e for e in entries if e.park_id == project.park_id)
    Stop.objects.create(review=review, entry=entry, project=project, position=1)
    AwardKind.ensure_defaults()  # seeded by a migration: gone after a flush
    for kind in AwardKind.objects.filter(is_active=True):
        first = kind.given_to == AwardKind.GivenTo.FIRST
        Award.objects.create(review=review, kind=kind, entry=entries[0 if first else -1])
    return review
