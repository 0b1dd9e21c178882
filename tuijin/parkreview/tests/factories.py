"""Builders for park review tests (the ``org`` fixture provides the zone, parks and personas)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from tuijin.org.models import Person, Unit
from tuijin.parkreview import services
from tuijin.parkreview.models import ParkReview
from tuijin.projects.models import Stage
from tuijin.projects.tests.factories import make_project, report

PARKS = ["青春化工园", "城东产业园", "铁北产业园", "府南产业园"]
EVALUATORS = ["leader", "duban", "jingfa", "zhaoshang", "ziran"]
TOUR = dt.date(2026, 10, 16)


def user(username: str):
    return get_user_model().objects.get(username=username)


def people(*usernames: str) -> list[Person]:
    found = {p.user.username: p for p in Person.objects.filter(user__username__in=usernames)}
    return [found[name] for name in usernames]


def site(park: str, name: str, total=10000, done=5000, started=dt.date(2026, 3, 1), **fields):
    """A project under way in a park, with its completed investment reported in September."""
    project = make_project(
        name=name,
        park=park,
        unit=park,
        total_investment=Decimal(total),
        actual_start=started,
        stage=fields.pop("stage", Stage.CONSTRUCTION),
        **fields,
    )
    if done:
        report(project, dt.date(2026, 9, 10), investment=done)
    return project


def make_review(
    evaluators=EVALUATORS,
    year=2026,
    quarter=3,
    scoring=True,
    sites_per_park=1,
    organiser="duban",
) -> ParkReview:
    """A review of the quarter with a project site in every park, the evaluators named and the
    route proposed (and confirmed, unless ``scoring=False``), set up by ``organiser``."""
    organiser = user(organiser)
    for park in PARKS:
        for n in range(sites_per_park):
            site(park, f"{park}观摩项目{n + 1}")
    review = services.create_review(organiser, year=year, quarter=quarter, title="", tour_date=TOUR)
    review = services.update_review(
        organiser,
        review,
        version=review.version,
        fields={},
        evaluators=people(*evaluators),
    )
    services.propose_route(organiser, review)
    review.refresh_from_db()
    if scoring:
        review = services.confirm_route(organiser, review, review.version)
    return review


def entry_of(review: ParkReview, park: str):
    return review.entries.select_related("park", "review").get(park__name=park)


def score(review: ParkReview, park: str, username: str, points: list) -> None:
    """The evaluator's sheet for a park: ``points`` per criterion, in the criteria's order."""
    criteria = list(review.criteria.all())
    services.submit_scores(
        user(username),
        entry_of(review, park),
        points={c.pk: Decimal(str(p)) for c, p in zip(criteria, points, strict=True)},
    )


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)
