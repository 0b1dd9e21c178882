"""Who may do what with integrity records. Plain rules, checked by ``integrity/services.py``;
views use them to decide which pages and buttons to show (DESIGN §1: the inspector records
integrity talks and risk points; only inspectors and zone leaders see integrity records)."""

from tuijin.integrity.models import NilState, keeps_integrity, reads_integrity
from tuijin.org.access import person_of, role_of
from tuijin.org.models import Role

__all__ = [
    "can_keep_integrity",
    "can_read_integrity",
    "can_record_interference",
    "can_submit_nil_report",
    "has_own_integrity_page",
    "sees_only_own_integrity",
]


def can_read_integrity(user) -> bool:
    """The registers, the board and every record of the zone: inspectors and zone leaders."""
    return reads_integrity(user)


def can_keep_integrity(user) -> bool:
    """Plan and record talks, keep risk points, ask for nil reports: the inspectors."""
    return keeps_integrity(user)


def can_record_interference(user) -> bool:
    """Any official with a person record records an attempt to intervene (not enterprise
    liaisons, not the system administrator's account)."""
    return person_of(user) is not None and role_of(user) not in (Role.LIAISON, Role.ADMIN, None)


def can_submit_nil_report(user, report) -> bool:
    """The unit's head, while the report is still asked for."""
    person = person_of(user)
    return (
        person is not None
        and role_of(user) == Role.UNIT_HEAD
        and person.unit_id == report.unit_id
        and report.state == NilState.ASKED
    )


def has_own_integrity_page(user) -> bool:
    """「我的廉政」: own talks, own unit's nil reports, own interference records."""
    return can_record_interference(user)


def sees_only_own_integrity(user) -> bool:
    """The navigation's 「我的廉政」: officials who are not inspectors or zone leaders."""
    return has_own_integrity_page(user) and not can_read_integrity(user)
