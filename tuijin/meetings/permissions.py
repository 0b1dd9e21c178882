"""Who may do what with meetings. Plain rules, checked by ``meetings/services.py``; views
use them only to decide which buttons to show."""

from tuijin.supervision.permissions import can_assign_items


def can_manage_meetings(user) -> bool:
    """Schedule a meeting, edit its agenda and minutes, record attendance and decisions, settle
    problems at it: whoever assigns 督办 items (zone leaders, the 督查室, admins), since every
    decision of a meeting becomes one."""
    return can_assign_items(user)
