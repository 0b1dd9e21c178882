"""Who may change what in the ledger. Reading is decided by each model's visible_to."""

from tuijin.org.access import person_of, role_of, sees_everything
from tuijin.org.models import Role

LEDGER_EDITORS = {Role.ZONE_LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF}


def can_create_project(user) -> bool:
    return sees_everything(user) or role_of(user) in LEDGER_EDITORS


def can_edit_project(user, project) -> bool:
    """Zone leaders and admins anywhere they see; unit people on their unit's projects."""
    if sees_everything(user) or role_of(user) == Role.ZONE_LEADER:
        return True
    person = person_of(user)
    if person is None or person.role not in LEDGER_EDITORS:
        return False
    return project.unit.path.startswith(person.unit.path) or project.park_id == person.unit_id


def can_report_progress(user, project) -> bool:
    """Editors, plus the project's assigned leaders (包保) and cadres."""
    if can_edit_project(user, project):
        return True
    person = person_of(user)
    return person is not None and project.leaders.filter(pk=person.pk).exists()
