"""Who may publish a project as open data: the zone's leaders and admins."""

from tuijin.org.access import can_write, role_of, sees_everything


def can_publish(user) -> bool:
    return can_write(user) and (sees_everything(user) or role_of(user) == "zone_leader")
