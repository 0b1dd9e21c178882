"""Who sees and manages which parks' factors (the scope every factors queryset reads).

- admins: every park;
- the zone's leaders, 督查室 and inspectors, and the desk units (招商局, 发改/经济发展局,
  自然资源和规划分局: ``FactorRules.desk_keywords``): every park of their zone;
- a park's own people (their unit is the park or under it): their park;
- enterprise liaisons, people of other units, accounts without a person: nothing.

Managing (supply, movements, needs, escalation) is for the zone's leaders, the desk units and
a park's own people for their park; 亩均 years and the rules for the zone's leaders and the
desk units. 督查室 and inspectors read only. Worked out once per request (cached on the user).
"""

from dataclasses import dataclass, field

from tuijin.org.models import (
    Role,
    Unit,
    UnitKind,
    person_of,
    role_of,
    sees_everything,
)


@dataclass
class FactorAccess:
    everything: bool = False
    parks: list[int] = field(default_factory=list)  # parks whose factors the user sees
    edit_parks: list[int] = field(default_factory=list)  # parks whose factors the user manages
    zones: list[int] = field(default_factory=list)
    manages: bool = False  # 亩均 years, rules: the zone's leaders and the desk units


def is_desk_unit(unit: Unit, keywords) -> bool:
    return any(word in unit.name for word in keywords)


def factor_access(user) -> FactorAccess:
    if hasattr(user, "_tuijin_factor_access"):
        return user._tuijin_factor_access
    acc = _work_out(user)
    if user is not None and getattr(user, "is_authenticated", False):
        user._tuijin_factor_access = acc
    return acc


def _work_out(user) -> FactorAccess:
    from tuijin.factors.models import DEFAULT_DESK_KEYWORDS, FactorRules

    if sees_everything(user):
        return FactorAccess(everything=True, manages=True)
    person = person_of(user)
    role = role_of(user)
    if person is None or role == Role.LIAISON:
        return FactorAccess()
    zone = person.unit.zone
    if zone is None:
        return FactorAccess()
    rules = FactorRules.objects.filter(zone=zone).only("desk_keywords").first()
    keywords = rules.keywords if rules else DEFAULT_DESK_KEYWORDS.split(",")
    parks = list(
        Unit.objects.filter(kind=UnitKind.PARK, path__startswith=zone.path).values_list(
            "pk", "path"
        )
    )
    desk = is_desk_unit(person.unit, keywords)
    zone_wide = role in (Role.ZONE_LEADER, Role.SUPERVISOR, Role.INSPECTOR) or desk
    own = [pk for pk, path in parks if person.unit.path.startswith(path)]
    seen = [pk for pk, _path in parks] if zone_wide else own
    if not seen:
        return FactorAccess()
    if role in (Role.INSPECTOR, Role.SUPERVISOR):
        edit = []
    elif role == Role.ZONE_LEADER or desk:
        edit = seen
    else:
        edit = own
    manages = role not in (Role.INSPECTOR, Role.SUPERVISOR) and (role == Role.ZONE_LEADER or desk)
    return FactorAccess(parks=seen, edit_parks=edit, zones=[zone.pk], manages=manages)


def factor_parks(user):
    """The parks whose factors the user sees, as a queryset (choice lists, the sheet)."""
    acc = factor_access(user)
    parks = Unit.objects.filter(kind=UnitKind.PARK)
    return parks if acc.everything else parks.filter(pk__in=acc.parks)


def sees_factors(user) -> bool:
    acc = factor_access(user)
    return acc.everything or bool(acc.parks)
