"""The organisation: one tree of units, the people in them and their roles."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from tuijin.core.audit import AuditedModel


class UnitKind(models.TextChoices):
    ZONE = "zone", _("开发区")
    DEPARTMENT = "department", _("部门")
    PARK = "park", _("园区")
    TOWN = "town", _("乡镇")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")


class UnitQuerySet(MP_NodeQuerySet):
    def visible_to(self, user):
        return self.filter(pk__in=visible_units(user).values("pk"))

    def editable_by(self, user):
        # Units are changed in the admin site only.
        return self.visible_to(user) if sees_everything(user) else self.none()


class UnitManager(MP_NodeManager):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)


class Unit(AuditedModel, MP_Node):
    """A unit (单位) of the zone: the zone itself, a department, park, town, village or community.

    Stored as a materialized path (django-treebeard), so a subtree is one indexed
    ``path LIKE 'prefix%'`` query on SQLite and PostgreSQL alike.
    """

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    node_order_by = ["sort_order", "name"]
    objects = UnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:unit_detail", args=[self.pk])

    @property
    def zone(self) -> "Unit":
        """The zone this unit belongs to (the tree's root for a single-zone deployment)."""
        if self.kind == UnitKind.ZONE:
            return self
        return (
            Unit.objects.filter(kind=UnitKind.ZONE, path__in=self.ancestor_paths())
            .order_by("-depth")
            .first()
            or Unit.objects.get_root_nodes().filter(path=self.path[: self.steplen]).first()
        )

    def ancestor_paths(self) -> list[str]:
        step = self.steplen
        return [self.path[:n] for n in range(step, len(self.path), step)]

    def is_within(self, other: "Unit") -> bool:
        """This unit is ``other`` or under it (in memory: a path prefix)."""
        return self.path.startswith(other.path)

    def subtree(self):
        """This unit and every unit under it, as a queryset."""
        return Unit.objects.filter(path__startswith=self.path, depth__gte=self.depth)


class Role(models.TextChoices):
    """Roles as in DESIGN §1; what each may see is decided by the functions below (``tuijin.org.access``)."""

    ZONE_LEADER = "zone_leader", _("区领导")
    SUPERVISOR = "supervisor", _("督查人员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    UNIT_STAFF = "unit_staff", _("单位工作人员")
    CADRE = "cadre", _("包保干部")
    INSPECTOR = "inspector", _("纪检监察")
    LIAISON = "liaison", _("企业联络人")
    ADMIN = "admin", _("系统管理员")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit__in=visible_units(user))

    def editable_by(self, user):
        # People and their roles are changed in the admin site only.
        return self.visible_to(user) if sees_everything(user) else self.none()


class Person(AuditedModel):
    """A person (人员) of a unit, with titles, a role and, when they log in, a user account."""

    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="people", verbose_name=_("单位"))
    title = models.CharField(
        _("职务"),
        max_length=200,
        blank=True,
        help_text=_("多个职务用顿号分隔,如:党工委书记、管委会主任"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNIT_STAFF)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    is_active = models.BooleanField(_("在职"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "name"]
        indexes = [models.Index(fields=["role"], name="person_role_idx")]

    def __str__(self):
        return f"{self.name}({self.title})" if self.title else self.name

    def get_absolute_url(self):
        return reverse("org:person_detail", args=[self.pk])

    @property
    def titles(self) -> list[str]:
        return [t for t in self.title.replace(",", "、").split("、") if t]


# --- Who a user is, and which units they see (re-exported by tuijin.org.access) ---------------
# They live here, beside Unit and Person, so that the querysets above need no import back.

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


def sees_everything(user) -> bool:
    return getattr(user, "is_superuser", False) or role_of(user) == Role.ADMIN


def home_unit(user) -> Unit | None:
    """The unit whose subtree a user sees: their zone for zone-wide roles, else their unit."""
    person = person_of(user)
    if person is None:
        return None
    return person.unit.zone if person.role in ZONE_WIDE_ROLES else person.unit


def visible_units(user) -> models.QuerySet:
    """Units whose records the user may see by ownership."""
    if sees_everything(user):
        return Unit.objects.all()
    unit = home_unit(user)
    # Enterprise liaisons see only their own enterprise's records, never a unit's.
    if unit is None or role_of(user) == Role.LIAISON:
        return Unit.objects.none()
    return unit.subtree()


class UnitScope:
    """The units whose records a user sees by ownership, worked out once per request.

    Querysets filter on ``unit_id IN (…ids)`` (one indexed condition on the owning foreign
    key) rather than a semi-join over ``unit`` per query, and add no condition at all for a
    reader who sees every unit (an admin, or a zone leader of a single-zone deployment).
    """

    def __init__(self, unit_ids: list[int], everything: bool):
        self.unit_ids = unit_ids
        self.everything = everything

    def rule(self, *fields: str) -> Q | None:
        """Records owned through any of ``fields`` (foreign keys to Unit) by a unit in scope;
        None when every record qualifies (the caller then filters nothing)."""
        if self.everything:
            return None
        return reduce(or_, (Q(**{f"{f}_id__in": self.unit_ids}) for f in fields))


def unit_scope(user) -> UnitScope:
    """``visible_units`` as ids, cached on the user object for the request (as ``person_of``)."""
    if not hasattr(user, "_tuijin_unit_scope"):
        if sees_everything(user):
            scope = UnitScope([], everything=True)
        else:
            unit = home_unit(user)
            if unit is None or role_of(user) == Role.LIAISON:
                scope = UnitScope([], everything=False)
            else:
                # One query: the subtree, and the other roots (zones) if any. A zone that is
                # the only root is the whole tree (one deployment, one zone): nothing to filter.
                rows = list(
                    Unit.objects.filter(
                        Q(path__startswith=unit.path, depth__gte=unit.depth) | Q(depth=1)
                    ).values_list("pk", "path")
                )
                ids = [pk for pk, path in rows if path.startswith(unit.path)]
                whole = unit.depth == 1 and len(ids) == len(rows)
                scope = UnitScope(ids, everything=whole)
        user._tuijin_unit_scope = scope
    return user._tuijin_unit_scope


# --- Passwords (tuijin.org.passwords) ----------------------------------------------------------


class PasswordRecord(models.Model):
    """One password a user has had: its hash (for the "not one of the last N" rule), when it
    was set, and whether it must be changed at the next login because someone else (an admin,
    the import) set it. Not audited: a hash has no place in the audit chain; the change
    itself is an access event there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="password_records",
        verbose_name=_("账号"),
    )
    password = models.CharField(_("密码(哈希)"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"))
    must_change = models.BooleanField(_("须在登录后修改"), default=False)

    class Meta:
        verbose_name = _("密码记录")
        verbose_name_plural = _("密码记录")
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["user", "-set_at"], name="password_user_recent_idx")]

    def __str__(self):
        return f"{self.user_id} {self.set_at:%Y-%m-%d %H:%M}"
