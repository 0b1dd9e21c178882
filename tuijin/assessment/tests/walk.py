"""Sample assessment records of a unit for the URL walk (tests/test_every_url.py): the current
month opened and computed (in draft: unpublished, so only the unit's own people and the
zone-wide roles see its figures), a bonus, a veto and a pending appeal of the unit."""

from decimal import Decimal

from django.utils import timezone

from tuijin.assessment import services
from tuijin.assessment.models import Adjustment, Appeal, Period, Veto
from tuijin.org.models import Person, Role


def walk_records(unit) -> dict:
    duban = Person.objects.get(user__username="duban")
    today = timezone.localdate()
    period = Period.objects.filter(zone=unit.zone, month=today.replace(day=1)).first()
    if period is None:
        period = services.open_period(duban.user, today)
    if period.computed_at is None:
        period = services.compute_period(duban.user, period.pk)
    score = period.scores.get(unit=unit)
    indicator = score.indicators.get(key="duban")
    head = Person.objects.filter(unit=unit, role=Role.UNIT_HEAD).first() or duban
    now = timezone.now()
    return {
        "assessment_period": period,
        "assessment_score": score,
        "assessment_indicator": indicator,
        "assessment_adjustment": Adjustment.objects.create(
            period=period,
            unit=unit,
            points=Decimal(1),
            reason="表扬",
            entered_by=duban,
            entered_at=now,
        ),
        "assessment_veto": Veto.objects.create(
            period=period, unit=unit, reason="安全事故", entered_by=duban, entered_at=now
        ),
        "assessment_appeal": Appeal.objects.create(
            indicator=indicator,
            filed_by=head,
            filed_at=now,
            reason="已按期反馈",
            old_score=indicator.score,
        ),
    }
