"""Who may change what in the ledger. Reading is decided by each model's visible_to.

The edit rule has two forms that must agree: ``ledger_edit_scope`` (a filter, used by
``Project.objects.editable_by`` and ``Enterprise.objects.editable_by``) and
``can_edit_project`` / ``can_edit_enterprise`` (one record in memory, via ``Unit.is_within``).
"""

from django.db.models import Q

from tuijin.org.access import in_own_subtree, person_of, role_of, sees_everything
from tuijin.org.models import Role

LEDGER_EDITORS = {Role.ZONE_LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF}


def edits_all_it_sees(user) -> bool:
    """Zone leaders and admins change any ledger record they can read."""
    return sees_everything(user) or role_of(user) == Role.ZONE_LEADER


def _unit_editor(user):
    """The person of a unit head or staff member, or None."""
    person = person_of(user)
    return person if person is not None and person.role in LEDGER_EDITORS else None


def ledger_edit_scope(user) -> Q:
    """Filter on a record's ``unit`` and ``park``: the records the user may change."""
    if edits_all_it_sees(user):
        return Q()
    person = _unit_editor(user)
    if person is None:
        return Q(pk__in=[])
    return Q(unit__in=person.unit.subtree()) | Q(park=person.unit)


def _edits_record(user, record) -> bool:
    if edits_all_it_sees(user):
        return True
    person = _unit_editor(user)
    if person is None:
        return False
    return in_own_subtree(user, record.unit) or record.park_id == person.unit_id


def can_create_project(user) -> bool:
    return sees_everything(user) or role_of(user) in LEDGER_EDITORS


def can_edit_project(user, project) -> bool:
    """Zone leaders and admins anywhere they see; unit people on their unit's projects
    (responsible unit in their subtree, or their own park)."""
    return _edits_record(user, project)


def can_edit_enterprise(user, enterprise) -> bool:
    """As for projects: the enterprise's responsible unit or park decides."""
    return _edits_record(user, enterprise)


can_create_enterprise = can_create_project


def can_report_progress(user, project) -> bool:
    """Editors, plus the project's assigned leaders (包保) and cadres."""
    if can_edit_project(user, project):
        return True
    person = person_of(user)
    return person is not None and project.leaders.filter(pk=person.pk).exists()
