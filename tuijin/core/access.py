"""The one place that decides what a user may see.

Every domain model's queryset has ``visible_to(user)``, built from the helpers here:
a user sees records owned by units in their own unit's subtree, records they are assigned
to, and what their role grants (zone leaders, supervisors and inspectors see their whole
zone; admins see everything). Views load single objects only through ``get_for_user``, so
a record outside the user's scope is a 404 and its existence is not leaked.

How a new model plugs in: see docs/development/access.md.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from tuijin.org.models import Person, Role, Unit

ZONE_WIDE_ROLES = {Role.ZONE_LEADER, Role.SUPERVISOR, Role.INSPECTOR}
READ_ONLY_ROLES = {Role.INSPECTOR}


def person_of(user) -> Person | None:
    """The user's person record, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_tuijin_person"):
        user._tuijin_person = (
            Person.objects.select_related("unit").filter(user=user, is_active=True).first()
        )
    return user._tuijin_person


def role_of(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    person = person_of(user)
    return person.role if person else None


def has_role(user, *roles) -> bool:
    return role_of(user) in roles


def sees_everything(user) -> bool:
    return getattr(user, "is_superuser", False) or role_of(user) == Role.ADMIN


def home_unit(user) -> Unit | None:
    """The unit whose subtree a user sees: their zone for zone-wide roles, else their unit."""
    person = person_of(user)
    if person is None:
        return None
    return person.unit.zone if person.role in ZONE_WIDE_ROLES else person.unit


def visible_units(user) -> QuerySet:
    """Units whose records the user may see by ownership."""
    if sees_everything(user):
        return Unit.objects.all()
    unit = home_unit(user)
    # Enterprise liaisons see only their own enterprise's records, never a unit's.
    if unit is None or role_of(user) == Role.LIAISON:
        return Unit.objects.none()
    return unit.subtree()


def get_for_user(user, queryset_or_model, **lookup) -> Model:
    """One object through its model's scoping function, or 404."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def can_write(user) -> bool:
    return user.is_authenticated and role_of(user) not in READ_ONLY_ROLES | {None}


def role_required(*roles):
    """View decorator: 403 unless the user has one of the roles (admins always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (sees_everything(request.user) or has_role(request.user, *roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
