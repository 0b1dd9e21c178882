"""Who may do what in a park review. Plain rules, checked by ``parkreview/services.py``; views
use them only to decide which forms, buttons and figures to show."""

from tuijin.org.access import ZONE_WIDE_ROLES, can_write, person_of, role_of, sees_everything
from tuijin.parkreview.models import State
from tuijin.supervision.permissions import can_assign_items


def can_manage_reviews(user) -> bool:
    """Set up a review, name its evaluators, plan and confirm the route, publish, record the
    last park's pledge: those who assign 督办 items (zone leaders, 督查室, admins), since the
    pledge becomes one."""
    return can_assign_items(user)


def is_evaluator(user, review) -> bool:
    person = person_of(user)
    return person is not None and review.evaluators.filter(person=person).exists()


def can_score(user, review) -> bool:
    """Score the parks: the review's evaluators, while it is being scored."""
    return can_write(user) and review.state == State.SCORING and is_evaluator(user, review)


def sees_all_figures(user) -> bool:
    """Every park's figures before publishing: the zone's leaders, 督查室, inspectors, admins
    (``visible_to`` keeps them to their zone)."""
    return sees_everything(user) or role_of(user) in ZONE_WIDE_ROLES


def can_see_figures(user, entry) -> bool:
    """A park's figures (scores, points, rank): everyone who sees it once the review is
    published; before that the zone's leaders and 督查室, and the park's own people."""
    if entry.review.state == State.PUBLISHED or sees_all_figures(user):
        return True
    person = person_of(user)
    return person is not None and person.unit.is_within(entry.park)


def can_record_pledge(user, entry) -> bool:
    """The last park's 表态 becomes a 督办 item on it: recorded by those who run reviews, once
    the review is published, once."""
    return (
        can_manage_reviews(user)
        and entry.review.state == State.PUBLISHED
        and entry.pledge_item_id is None
    )
