"""The one chokepoint for reading and writing records: ``get_for_user``.

Every domain model's queryset answers two questions about a user:

- ``visible_to(user)``: the records the user may read;
- ``editable_by(user)``: the records the user may change (a subset of the first).

Views, exports, searches, jobs and the API load single objects only through
``get_for_user(user, Model, write=..., **lookup)``: a record outside the read scope is a 404
(its existence is not leaked); a record the user may read but not change, loaded for a
write, is a 403. Per-verb rules (who may resolve a problem, comment on a log …) are plain
functions in each app's ``permissions.py``, checked by the services that do the verb.

``core`` knows no organisation: who sees which units lives in ``tuijin.org.access``.
How a new model plugs in: docs/development/access.md and adding-a-model.md.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


def get_for_user(user, queryset_or_model, *, write: bool = False, **lookup) -> models.Model:
    """One object through its model's scoping functions: 404 outside read scope, 403 (on a
    write) inside read scope without the right to change it."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    if write:
        try:
            return queryset.editable_by(user).get(**lookup)
        except queryset.model.DoesNotExist:
            if queryset.visible_to(user).filter(**lookup).exists():
                raise PermissionDenied from None
            raise Http404 from None
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def require(allowed: bool, message: str = "") -> None:
    """Raise 403 with a message the user reads, unless a rule allowed the action."""
    if not allowed:
        raise PermissionDenied(message)


class ScopedThroughParent(models.QuerySet):
    """A child record (annual plan, feedback, attendance …) is seen and changed exactly as
    its parent is. Subclasses name the foreign key: ``parent = "project"``."""

    parent: str = ""

    def _parent_scope(self, method: str, user):
        parent_model = self.model._meta.get_field(self.parent).related_model
        scope = getattr(parent_model._default_manager.all(), method)(user)
        return self.filter(**{f"{self.parent}__in": scope.values("pk")})

    def visible_to(self, user):
        return self._parent_scope("visible_to", user)

    def editable_by(self, user):
        return self._parent_scope("editable_by", user)
