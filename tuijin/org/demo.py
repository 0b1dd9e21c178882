"""Demo organisation built from the source report (DESIGN §5): 随州高新区 and its units.

People are fictional: nobody named in the report gets invented records.
"""

from django.contrib.auth import get_user_model

from tuijin.org.models import Person, Role, Unit, UnitKind

ZONE = "随州高新区"
PARKS = ["青春化工园", "城东产业园", "铁北产业园", "府南产业园"]
DEPARTMENTS = [
    "党政办",
    "经济发展局",
    "招商局",
    "财政局",
    "住建局",
    "自然资源和规划分局",
    "生态环境分局",
    "督查室",
    "纪检监察工委",
]
TOWNS = {"淅河镇": (UnitKind.VILLAGE, ["碑岗村", "挑水村"])}
COMMUNITIES = [f"城东{n}社区" for n in "一二三四五六"]

DEMO_PASSWORD = "tuijin2026"
# username, name, unit, title, role
DEMO_PEOPLE = [
    ("leader", "王立新", ZONE, "管委会常务副主任", Role.ZONE_LEADER),
    ("duban", "李敏", "督查室", "督查室主任", Role.SUPERVISOR),
    ("jingfa", "张强", "经济发展局", "局长", Role.UNIT_HEAD),
    ("jingfa_staff", "刘洋", "经济发展局", "科员", Role.UNIT_STAFF),
    ("zhaoshang", "陈晨", "招商局", "副局长、包保干部", Role.CADRE),
    ("chengdong", "孙伟", "城东产业园", "园区办主任", Role.UNIT_HEAD),
    ("ziran", "吴海燕", "自然资源和规划分局", "副局长", Role.UNIT_HEAD),
    ("jijian", "赵磊", "纪检监察工委", "监察员", Role.INSPECTOR),
    ("qiye", "周婷", "青春化工园", "企业联络人", Role.LIAISON),
    ("admin", "系统管理员", "党政办", "信息化专员", Role.ADMIN),
]


def ensure_unit(name: str, kind: str, parent: Unit | None = None, order: int = 0) -> Unit:
    if parent is None:
        existing = Unit.objects.get_root_nodes().filter(name=name).first()
        return existing or Unit.objects.add_root(
            instance=Unit(name=name, kind=kind, sort_order=order)
        )
    parent.refresh_from_db()  # treebeard needs the parent's current numchild
    existing = Unit.objects.get_children(parent).filter(name=name).first()
    return existing or Unit.objects.add_child(
        parent, instance=Unit(name=name, kind=kind, sort_order=order)
    )


def load_org() -> dict[str, Unit]:
    zone = ensure_unit(ZONE, UnitKind.ZONE)
    units = {ZONE: zone}
    for i, name in enumerate(DEPARTMENTS):
        units[name] = ensure_unit(name, UnitKind.DEPARTMENT, zone, 10 + i)
    for i, name in enumerate(PARKS):
        units[name] = ensure_unit(name, UnitKind.PARK, zone, 100 + i)
    for town_name, (kind, children) in TOWNS.items():
        town = units[town_name] = ensure_unit(town_name, UnitKind.TOWN, zone, 200)
        for j, child in enumerate(children):
            units[child] = ensure_unit(child, kind, town, j)
    for i, name in enumerate(COMMUNITIES):
        units[name] = ensure_unit(name, UnitKind.COMMUNITY, zone, 300 + i)
    return units


def load_people(units: dict[str, Unit]) -> list[tuple[str, str]]:
    User = get_user_model()
    logins = []
    for username, name, unit_name, title, role in DEMO_PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not Person.objects.filter(user=user).exists():
            Person.objects.create(
                name=name, unit=units[unit_name], title=title, role=role, user=user
            )
        logins.append((username, f"{name} · {unit_name} · {Role(role).label}"))
    return logins
