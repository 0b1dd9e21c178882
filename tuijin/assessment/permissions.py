"""Who may do what in the monthly assessment (per-verb rules; the services check them).

- the 督查室 (and admins) run the assessment: schemes, computing, bonus/penalty, veto, review,
  appeal decisions, publishing and corrections;
- zone leaders rate units (分管领导评分) and record their 批示;
- a unit head appeals (申诉) their own unit's figures while the month is in 公示;
- who reads which figures is the querysets' ``visible_to`` (models.py).
"""

from django.utils import timezone

from tuijin.org.access import ZONE_WIDE_ROLES, person_of, role_of, sees_everything
from tuijin.org.models import Role


def user_zone(user):
    """The zone whose assessment the user takes part in (None: admins without a unit, liaisons
    and accounts without a person record)."""
    person = person_of(user)
    if person is None or person.role == Role.LIAISON:
        return None
    return person.unit.zone


def sees_all_scores(user) -> bool:
    """Leaders, the 督查室 and inspectors read every unit's figures, published or not."""
    return sees_everything(user) or role_of(user) in ZONE_WIDE_ROLES


def can_manage_assessment(user) -> bool:
    return sees_everything(user) or role_of(user) == Role.SUPERVISOR


def can_rate(user) -> bool:
    """分管领导评分: the zone's leaders."""
    return role_of(user) == Role.ZONE_LEADER and person_of(user) is not None


def can_record_instruction(user) -> bool:
    """A leader's 批示 is recorded by the 督查室 or by a leader."""
    return can_manage_assessment(user) or can_rate(user)


def can_appeal(user, indicator) -> bool:
    """The head of the unit, while the month is in 公示 (to its last day)."""
    person = person_of(user)
    period = indicator.unit_score.period
    return (
        person is not None
        and person.role == Role.UNIT_HEAD
        and person.unit_id == indicator.unit_score.unit_id
        and period.in_publicity(timezone.localdate())
    )


def can_see_cadres(user, unit_score) -> bool:
    """Cadre-level figures: the unit's own people, leaders and the 督查室; never zone-wide."""
    if sees_all_scores(user):
        return True
    person = person_of(user)
    return (
        person is not None
        and person.role == Role.UNIT_HEAD
        and unit_score.unit.is_within(person.unit)
    )
