"""Who may take texts in. Creating ledger records through intake also needs the ledger's
rules (``tuijin.projects.permissions``), checked row by row."""

from tuijin.org.access import can_write, role_of
from tuijin.org.models import Role


def can_use_intake(user) -> bool:
    """Writers only: inspectors read, enterprise liaisons raise requests elsewhere."""
    return can_write(user) and role_of(user) != Role.LIAISON
