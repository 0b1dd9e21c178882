"""Who may do what with meetings. Plain rules, checked by ``meetings/services.py``; views
use them only to decide which buttons to show."""

from tuijin.org.access import has_role, sees_everything
from tuijin.org.models import Role

MANAGING_ROLES = {Role.ZONE_LEADER, Role.SUPERVISOR}


def can_manage_meetings(user) -> bool:
    """Schedule a meeting, edit its agenda and minutes, record attendance and decisions, settle
    problems at it: zone leaders and the 督查室 (who also assign the 督办 items decisions become)."""
    return sees_everything(user) or has_role(user, *MANAGING_ROLES)
