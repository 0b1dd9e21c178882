"""Who may do what with factors and 亩均 (checked by ``services``; views use them for buttons)."""

from tuijin.factors.access import factor_access, factor_parks
from tuijin.org.models import Role, role_of
from tuijin.projects.models import Enterprise


def can_manage_park(user, park_id: int) -> bool:
    """Enter supply, reserve, commit and release, set a project's needs, flag land."""
    acc = factor_access(user)
    return acc.everything or park_id in acc.edit_parks


def can_manage_zone(user) -> bool:
    """Open and import a 亩均 year, change the weights and the rules."""
    return factor_access(user).manages


def evaluable_enterprises(user):
    """The enterprises whose 亩均 figures the user may import: every enterprise of the parks of
    their zone for those who organise the evaluation (a desk unit does it for the whole zone,
    beyond the enterprises its own ledger shows), none for anyone else."""
    if not can_manage_zone(user):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(park__in=factor_parks(user))


def can_escalate(user, park_id: int) -> bool:
    """Escalate a gap to a problem for the meeting: the park's managers and the 督查室."""
    acc = factor_access(user)
    if acc.everything or park_id in acc.edit_parks:
        return True
    return role_of(user) == Role.SUPERVISOR and park_id in acc.parks


def manages_any_park(user) -> bool:
    acc = factor_access(user)
    return acc.everything or bool(acc.edit_parks)


def escalates_any(user) -> bool:
    acc = factor_access(user)
    return manages_any_park(user) or (role_of(user) == Role.SUPERVISOR and bool(acc.parks))
