"""How each assessment record is made, for tests/test_every_record_visible.py (``MAKERS``):
through its service, as each role that may, and the page that shows it."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.assessment import services
from tuijin.assessment.models import LeaderRating, Period, UnitScore
from tuijin.org.models import Person, Unit

MANAGERS = ("duban", "admin")
UNIT = "经济发展局"


def user(name: str):
    return get_user_model().objects.get(username=name)


def unit() -> Unit:
    return Unit.objects.get(name=UNIT)


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def period_as(name: str) -> Period:
    return services.open_period(user(name), last_month())


def score_as(name: str) -> UnitScore:
    period = services.compute_period(user(name), period_as(name).pk)
    return period.scores.get(unit=unit())


def in_publicity() -> UnitScore:
    score = score_as("duban")
    services.start_publicity(user("duban"), score.period_id)
    return UnitScore.objects.get(pk=score.pk)


def revision_as(name: str):
    score = in_publicity()
    # 公示 over (the month was reviewed long enough ago).
    Period.objects.filter(pk=score.period_id).update(
        publicity_end=timezone.localdate() - dt.timedelta(days=1)
    )
    services.publish(user(name), score.period_id)
    indicator = score.indicators.get(key="truth")
    return services.correct_score(
        user(name), indicator.pk, new_score=Decimal(5), reason="核查结论复核更正"
    )


def rating_as(name: str):
    period = period_as("duban")
    services.rate_units(user(name), period.pk, {unit(): (Decimal("88.5"), "扎实")})
    return LeaderRating.objects.get(period=period, rater__user__username=name)


def score_page(record) -> str:
    score = getattr(record, "unit_score", None) or getattr(record, "indicator", record)
    score = getattr(score, "unit_score", score)
    return reverse("assessment:score_detail", args=[score.pk])


def period_page(record) -> str:
    return reverse("assessment:period_detail", args=[record.period_id])


def makers(made) -> dict:
    """``made``: the test's ``Made`` class (roles, make, page, shows)."""
    return {
        "assessment.scheme": [
            made(
                MANAGERS,
                lambda name: services.save_scheme(
                    user(name), "park", services.default_values(), effective_from=last_month()
                ),
                lambda record: reverse("assessment:scheme_list"),
            )
        ],
        "assessment.period": [
            made(MANAGERS, period_as, lambda p: reverse("assessment:period_detail", args=[p.pk]))
        ],
        "assessment.unitscore": [made(MANAGERS, score_as, score_page, lambda s: s.unit.name)],
        "assessment.indicatorscore": [
            made(
                MANAGERS,
                lambda name: score_as(name).indicators.get(key="duban"),
                score_page,
                lambda i: i.summary,
            )
        ],
        "assessment.adjustment": [
            made(
                MANAGERS,
                lambda name: services.add_adjustment(
                    user(name),
                    period_as(name).pk,
                    unit=unit(),
                    points=Decimal(2),
                    reason="获市政府通报表扬",
                ),
                period_page,
                lambda a: a.reason,
            )
        ],
        "assessment.veto": [
            made(
                MANAGERS,
                lambda name: services.set_veto(
                    user(name), period_as(name).pk, unit=unit(), reason="发生较大安全生产事故"
                ),
                period_page,
                lambda v: v.reason,
            )
        ],
        "assessment.leaderrating": [
            made(
                ("leader",),
                rating_as,
                lambda r: reverse("assessment:rating", args=[r.period_id]),
                lambda r: 'value="88.5"',
            )
        ],
        "assessment.instruction": [
            made(
                ("leader", "duban", "admin"),
                lambda name: services.record_instruction(
                    user(name),
                    unit=unit(),
                    leader=Person.objects.get(user__username="leader"),
                    day=timezone.localdate(),
                    text="工作扎实,予以肯定",
                ),
                lambda i: reverse("assessment:instruction_list"),
                lambda i: i.text,
            )
        ],
        "assessment.appeal": [
            made(
                ("jingfa",),
                lambda name: services.file_appeal(
                    user(name),
                    in_publicity().indicators.get(key="duban").pk,
                    reason="超期事项已获批准延期",
                ),
                score_page,
                lambda a: a.reason,
            )
        ],
        "assessment.revision": [made(MANAGERS, revision_as, period_page, lambda r: r.reason)],
    }
