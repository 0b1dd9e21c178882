"""Province scale for `make bench` (B12): 100 zones of the demo zone's shape, through COPY.

The demo zone (随州高新区, ``load_org`` / ``load_people``: the persona logins) is zone 1 of
``zones``; the others are built beside it as further tree roots with the same 22 units
(departments, parks, a town with two villages, communities), their materialized paths,
depths and child counts written as django-treebeard would write them. Every zone then gets
the same share of people, enterprises, projects (with their links, plans, approvals,
milestones and monthly reports), 督办 items (co-units, verifications), problems and work logs.

PostgreSQL only: the big tables are written with ``COPY … FROM STDIN`` (psycopg 3), ids
given explicitly where other rows point at them, sequences moved past them afterwards.
Columns the generator does not name are filled with the model field's default, as
``Model.objects.create`` would (``version`` 1, an empty ``light_reasons`` …), so a column
added later with a default needs no change here; one without a default fails the COPY.

Derived columns are filled as the app fills them: ``Project.search_text`` and
``Enterprise.search_text`` with ``pinyin_key`` (``save()``), ``WorkLog.search_text`` with
``worklogs.search.index_text`` (``services._index``, no visits), ``WorkLog.weekend`` with
``weekend_of`` (``save()``). The work-log GIN index (``to_tsvector('simple', search_text)``,
migration 0002) is dropped before the COPY and built once afterwards.
"""

import datetime as dt
import json
import random
import time
from decimal import Decimal

# Per zone: the demo zone's share of the province (B12: 100 zones, 50,000 projects …).
PER_ZONE = {
    "projects": 500,
    "enterprises": 125,
    "items": 2_000,
    "problems": 250,
    "work_logs": 20_000,
    "people_per_unit": 22,  # 1 head, 19 staff, 2 cadres in each of the 22 units
    "zone_leaders": 12,
    "supervisors": 4,
    "leads": 200,  # 20,000 leads of the investment pipeline (E14)
    "needs": 100,  # projects under way with their factor needs
}
PROVINCE_ZONES = 100
REPORT_MONTHS = 10  # 500,000 reports for 50,000 projects
WORKLOG_DAYS = 3 * 365

# Two-character place names for the 99 other zones (随州 is the demo zone's).
PLACES = [
    "襄阳",
    "宜昌",
    "荆州",
    "黄石",
    "十堰",
    "孝感",
    "荆门",
    "鄂州",
    "黄冈",
    "咸宁",
    "恩施",
    "仙桃",
    "天门",
    "潜江",
    "汉川",
    "应城",
    "安陆",
    "广水",
    "麻城",
    "武穴",
    "大冶",
    "丹江",
    "枣阳",
    "宜城",
    "当阳",
    "枝江",
    "宜都",
    "松滋",
    "石首",
    "洪湖",
    "钟祥",
    "京山",
    "赤壁",
    "利川",
    "南阳",
    "信阳",
    "周口",
    "商丘",
    "许昌",
    "漯河",
    "洛阳",
    "开封",
    "新乡",
    "焦作",
    "鹤壁",
    "安阳",
    "濮阳",
    "岳阳",
    "常德",
    "益阳",
    "株洲",
    "湘潭",
    "衡阳",
    "邵阳",
    "娄底",
    "郴州",
    "永州",
    "怀化",
    "吉首",
    "九江",
    "萍乡",
    "新余",
    "鹰潭",
    "赣州",
    "吉安",
    "宜春",
    "抚州",
    "上饶",
    "芜湖",
    "蚌埠",
    "淮南",
    "淮北",
    "铜陵",
    "安庆",
    "黄山",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
    "池州",
    "宣城",
    "汉中",
    "安康",
    "商洛",
    "宝鸡",
    "咸阳",
    "渭南",
    "延安",
    "榆林",
    "遂宁",
    "内江",
    "乐山",
    "南充",
    "眉山",
    "宜宾",
    "广安",
    "达州",
    "雅安",
    "巴中",
]


def log(text: str) -> None:
    from run import log as run_log  # bench/ is on sys.path (run.py or loadtest.py runs)

    run_log(text)


class Copier:
    """COPY rows into a model's table on Django's PostgreSQL connection."""

    def __init__(self):
        from django.db import connection

        connection.ensure_connection()
        self.connection = connection
        self.raw = connection.connection
        self.explicit_ids: set[str] = set()

    def next_id(self, model) -> int:
        with self.raw.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
            return cursor.fetchone()[0]

    def defaults(self, model, columns: list[str]) -> tuple[list[str], tuple]:
        """The columns not given, with the value ``Model()`` + ``save()`` would store."""
        from django.db.models import JSONField
        from django.utils import timezone

        now = timezone.now()
        names, values = [], []
        for field in model._meta.local_concrete_fields:
            if field.column in columns or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
                if isinstance(field, JSONField):
                    value = json.dumps(value, ensure_ascii=False)
            names.append(field.column)
            values.append(value)
        return names, tuple(values)

    def copy(self, model, columns: list[str], rows) -> int:
        table = model._meta.db_table
        if "id" in columns:
            self.explicit_ids.add(table)
        extra, tail = self.defaults(model, columns)
        cols = ", ".join(f'"{c}"' for c in columns + extra)
        n = 0
        start = time.monotonic()
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(row + tail)
                n += 1
        log(f"COPY {table}: {n:,} rows in {time.monotonic() - start:.1f}s")
        return n

    def reset_sequences(self) -> None:
        with self.raw.cursor() as cursor:
            for table in sorted(self.explicit_ids):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )


class Zone:
    """One zone's units and, as generated, its people, enterprises, projects and items."""

    def __init__(self, number: int, place: str, code: str, root, units: dict):
        self.number, self.place, self.code, self.root = number, place, code, root
        self.units = units  # demo-shape name -> Unit (names of parks etc. without the place)
        self.people: list[tuple[int, int, str]] = []  # (person id, unit id, role)
        self.enterprises: list[int] = []
        self.projects: list[tuple] = []
        self.items: list[tuple[int, int, str]] = []  # (id, lead unit id, state)

    def rng(self, what: str) -> random.Random:
        return random.Random(f"province-{self.number}-{what}")


def build_units(zones: int, demo_units: dict) -> list[Zone]:
    """The demo zone as loaded, then zones-1 more roots of the same shape (bulk_create with
    their paths computed as treebeard's add_root/add_child would, in node_order_by order)."""
    from tuijin.org import demo
    from tuijin.org.models import Unit, UnitKind

    demo_root = demo_units[demo.ZONE]
    result = [Zone(1, "随州", "SZGX", demo_root, dict(demo_units))]
    places = [p for p in dict.fromkeys(PLACES) if p != "随州"]
    if zones - 1 > len(places):
        raise SystemExit(f"at most {len(places) + 1} zones")
    # The zone's children in the demo's (sort_order, name) order: (name, kind, order, children)
    shape = [(n, UnitKind.DEPARTMENT, 10 + i, []) for i, n in enumerate(demo.DEPARTMENTS)]
    shape += [(n, UnitKind.PARK, 100 + i, []) for i, n in enumerate(demo.PARKS)]
    for town, (kind, children) in demo.TOWNS.items():
        shape.append((town, UnitKind.TOWN, 200, [(c, kind, j) for j, c in enumerate(children)]))
    shape += [(n, UnitKind.COMMUNITY, 300 + i, []) for i, n in enumerate(demo.COMMUNITIES)]
    shape.sort(key=lambda s: (s[2], s[0]))

    root_step = Unit._str2int(demo_root.path[: Unit.steplen])
    rows, plan = [], []
    for k in range(1, zones):
        place = places[k - 1]
        root_path = Unit._get_path(None, 1, root_step + k)
        root = Unit(
            name=f"{place}高新区",
            short_name=place,
            kind=UnitKind.ZONE,
            sort_order=k,
            path=root_path,
            depth=1,
            numchild=len(shape),
        )
        rows.append(root)
        names = {demo.ZONE: root}
        for i, (name, kind, order, children) in enumerate(shape, start=1):
            path = Unit._get_path(root_path, 2, i)
            full = name if kind == UnitKind.DEPARTMENT else f"{place}{name}"
            unit = Unit(
                name=full,
                kind=kind,
                sort_order=order,
                path=path,
                depth=2,
                numchild=len(children),
            )
            rows.append(unit)
            names[name] = unit
            for j, (child, child_kind, child_order) in enumerate(children, start=1):
                leaf = Unit(
                    name=f"{place}{child}",
                    kind=child_kind,
                    sort_order=child_order,
                    path=Unit._get_path(path, 3, j),
                    depth=3,
                    numchild=0,
                )
                rows.append(leaf)
                names[child] = leaf
        plan.append((k + 1, place, names))
    Unit.objects.bulk_create(rows, batch_size=2_000)
    for number, place, names in plan:
        result.append(Zone(number, place, f"Z{number:03d}", names[demo.ZONE], names))
    problems = Unit.find_problems()
    if any(problems):
        raise SystemExit(f"treebeard find_problems: {problems}")
    log(f"units: {Unit.objects.count():,} in {len(result)} zones (treebeard: no problems)")
    return result


def generate_province(zones: int = PROVINCE_ZONES) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone
    from run import (
        BRANDS,
        INDUSTRIES,
        ITEM_TITLES,
        PHASES,
        PROJECT_KINDS,
        STAGE_WEIGHTS,
        month_end,
        month_starts,
    )
    from worklog_search import log_text

    from tuijin.factors.models import SOURCE_FACTOR, Allocation, FactorNeed, Source, SupplyEntry
    from tuijin.investment.models import Lead, LeadStage
    from tuijin.notify.models import Rule, UnitRobot
    from tuijin.org.demo import load_org, load_people
    from tuijin.org.models import Person, Role, UnitKind
    from tuijin.projects.demo import ENTERPRISES, PROJECTS
    from tuijin.projects.models import (
        AnnualPlan,
        Approval,
        ApprovalType,
        Enterprise,
        IndustryTag,
        Milestone,
        ProgressReport,
        Project,
        pinyin_key,
    )
    from tuijin.supervision.models import (
        ItemState,
        Problem,
        ProblemCategory,
        SupervisionItem,
        Verification,
    )
    from tuijin.worklogs import search
    from tuijin.worklogs.models import WorkLog, weekend_of

    if connection.vendor != "postgresql":
        raise SystemExit(
            "province scale needs PostgreSQL (COPY): pass --db-url postgres://…; "
            "SQLite runs the zone or bigzone scale"
        )
    User = get_user_model()
    today = timezone.localdate()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    counts: dict = {}
    cp = Copier()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")

    demo_units = load_org()
    load_people(demo_units)
    ApprovalType.ensure_defaults()
    ProblemCategory.ensure_defaults()
    Rule.ensure_defaults()
    all_zones = build_units(zones, demo_units)
    counts["zones"] = len(all_zones)
    counts["units"] = sum(len({u.pk for u in z.units.values()}) for z in all_zones)

    # --- People, each with an account (no usable password) --------------------------------
    demo_people = list(Person.objects.values_list("pk", "unit_id", "role"))
    all_zones[0].people += demo_people
    unusable = make_password(None)
    user_id, person_id = cp.next_id(User), cp.next_id(Person)
    unit_roles = (
        [Role.UNIT_HEAD] + [Role.UNIT_STAFF] * (PER_ZONE["people_per_unit"] - 3) + [Role.CADRE] * 2
    )
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
    users, persons = [], []
    for zone in all_zones:
        rng = zone.rng("people")
        root = zone.root
        plan = [(root, Role.ZONE_LEADER)] * PER_ZONE["zone_leaders"]
        plan += [(zone.units["督查室"], Role.SUPERVISOR)] * PER_ZONE["supervisors"]
        seen = set()
        for unit in zone.units.values():
            if unit.pk != root.pk and unit.pk not in seen:
                seen.add(unit.pk)
                plan += [(unit, role) for role in unit_roles]
        for n, (unit, role) in enumerate(plan):
            users.append((user_id, f"z{zone.number:03d}p{n:04d}", unusable))
            name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
            persons.append((person_id, name, unit.pk, str(role), "", user_id))
            zone.people.append((person_id, unit.pk, str(role)))
            user_id += 1
            person_id += 1
    counts["users"] = cp.copy(User, ["id", "username", "password"], iter(users))
    cp.copy(Person, ["id", "name", "unit_id", "role", "title", "user_id"], iter(persons))
    counts["people"] = len(persons) + len(demo_people)
    del users, persons

    UnitRobot.objects.bulk_create(
        UnitRobot(unit=u, kind="wecom", webhook_url=f"https://qyapi.example.invalid/{u.pk}")
        for zone in all_zones
        for u in {
            u.pk: u for u in zone.units.values() if u.kind in (UnitKind.DEPARTMENT, UnitKind.PARK)
        }.values()
        if u.kind == UnitKind.PARK
        or u.name in ("经济发展局", "招商局", "住建局", "自然资源和规划分局")
    )

    def units_of(zone):
        unique = {u.pk: u for u in zone.units.values()}.values()
        parks = [u for u in unique if u.kind == UnitKind.PARK]
        departments = [
            zone.units[n] for n in ("经济发展局", "招商局", "住建局", "自然资源和规划分局")
        ]
        items = [u for u in unique if u.kind != UnitKind.ZONE]
        return parks, departments + parks, items

    def leaders_of(zone):
        return [p for p, _, r in zone.people if r in (Role.ZONE_LEADER, Role.CADRE)]

    tags = [IndustryTag.objects.get_or_create(name=t)[0] for _, t in INDUSTRIES]
    tag_of = {word: tag.pk for (word, _), tag in zip(INDUSTRIES, tags, strict=True)}

    # --- Enterprises ---------------------------------------------------------------------------
    enterprise_id = cp.next_id(Enterprise)
    rows, leader_links = [], []
    for zone in all_zones:
        rng = zone.rng("enterprises")
        parks, owners, _ = units_of(zone)
        leaders = leaders_of(zone)
        pairs = [(a, b, w) for a in BRANDS for b in BRANDS if a != b for w, _ in INDUSTRIES]
        for i, (a, b, w) in enumerate(rng.sample(pairs, PER_ZONE["enterprises"])):
            name = f"{zone.place}{a}{b}{w}" + ("科技有限公司" if i % 2 else "有限公司")
            is_key = rng.random() < 0.2
            rows.append(
                (
                    enterprise_id,
                    name,
                    w,
                    rng.choice(parks).pk,
                    is_key,
                    rng.choice(owners).pk,
                    pinyin_key(name),
                )
            )
            if is_key:
                leader_links.append((enterprise_id, rng.choice(leaders)))
            zone.enterprises.append(enterprise_id)
            enterprise_id += 1
    counts["enterprises"] = cp.copy(
        Enterprise,
        ["id", "name", "industry", "park_id", "is_key", "unit_id", "search_text"],
        iter(rows),
    )
    cp.copy(Enterprise.leaders.through, ["enterprise_id", "person_id"], iter(leader_links))

    # --- Projects and their links --------------------------------------------------------------
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    stale_end = (last_month - dt.timedelta(days=1)).replace(day=1)
    stale_end = (stale_end - dt.timedelta(days=1)).replace(day=1)
    first_month = month_starts(last_month, REPORT_MONTHS)[0]
    created = timezone.make_aware(dt.datetime.combine(first_month, dt.time(9)))
    stages, weights = zip(*STAGE_WEIGHTS.items(), strict=True)
    wang = Person.objects.get(user__username="leader").pk
    project_id = cp.next_id(Project)
    rows = []
    links = {"enterprises": [], "leaders": [], "tags": []}
    for zone in all_zones:
        rng = zone.rng("projects")
        parks, owners, _ = units_of(zone)
        leaders = leaders_of(zone)
        for i in range(PER_ZONE["projects"]):
            word, _ = rng.choice(INDUSTRIES)
            name = (
                f"{rng.choice(BRANDS)}{rng.choice(BRANDS)}{word}{rng.choice(PROJECT_KINDS)}"
                f"{rng.choice(PHASES)}项目"
            )
            code = f"{zone.code}-{2020 + i % 7}-{i:05d}"
            stage = rng.choices(stages, weights)[0]
            started = stage not in ("planning", "signed", "preparing")
            planned_start = today + dt.timedelta(days=rng.randint(-45, 365))
            if started:
                planned_start = today - dt.timedelta(days=rng.randint(90, 900))
            park = rng.choice(parks)
            unit = rng.choice(owners + [park] * 2)
            investment = Decimal(rng.randint(1_000, 500_000))
            rows.append(
                (
                    project_id,
                    code,
                    name,
                    park.pk,
                    f"建设{word}{rng.choice(PROJECT_KINDS)},年产值约{rng.randint(1, 90)}亿元。",
                    rng.choice(["industry"] * 6 + ["infrastructure", "social", "other"]),
                    rng.choice(["", "", "district", "city", "province"]),
                    stage,
                    investment,
                    planned_start,
                    planned_start + dt.timedelta(days=rng.randint(0, 60)) if started else None,
                    planned_start + dt.timedelta(days=rng.randint(365, 1100)),
                    planned_start + dt.timedelta(days=rng.randint(400, 1200)),
                    f"{park.name}{rng.choice(BRANDS)}{rng.choice(BRANDS)}路",
                    unit.pk,
                    created,
                    pinyin_key(f"{name} {code}"),
                )
            )
            zone.projects.append((project_id, unit.pk, planned_start, investment, name))
            for e in rng.sample(zone.enterprises, rng.choice([1, 1, 1, 2])):
                links["enterprises"].append((project_id, e))
            chosen = rng.sample(leaders, rng.choice([1, 1, 2]))
            if zone.number == 1 and i % 10 == 0 and wang not in chosen:
                chosen.append(wang)  # the demo leader: 包保 of one project in ten, as at zone
            links["leaders"] += [(project_id, p) for p in chosen]
            links["tags"].append((project_id, tag_of[word]))
            project_id += 1
    counts["projects"] = cp.copy(
        Project,
        [
            "id",
            "code",
            "name",
            "park_id",
            "content",
            "category",
            "key_level",
            "stage",
            "total_investment",
            "planned_start",
            "actual_start",
            "planned_completion",
            "planned_operation",
            "location",
            "unit_id",
            "created_at",
            "search_text",
        ],
        iter(rows),
    )
    del rows
    cp.copy(
        Project.enterprises.through, ["project_id", "enterprise_id"], iter(links["enterprises"])
    )
    cp.copy(Project.leaders.through, ["project_id", "person_id"], iter(links["leaders"]))
    cp.copy(Project.tags.through, ["project_id", "industrytag_id"], iter(links["tags"]))
    del links

    # --- Plans, approvals, milestones ------------------------------------------------------------
    kinds = list(ApprovalType.objects.values_list("pk", flat=True))
    plans, approvals, milestones = [], [], []
    pace = {}
    for zone in all_zones:
        rng = zone.rng("plans")
        for pk, _unit, planned_start, investment, _name in zone.projects:
            amount = (investment * Decimal("0.3")).quantize(Decimal(1))
            pace[pk] = (amount, rng.choice([0.5, 0.8, 0.95, 1.0, 1.0, 1.0, 1.05, 1.1]))
            plans += [(pk, year, amount) for year in (today.year - 1, today.year)]
            for kind in kinds:
                planned = planned_start - dt.timedelta(days=rng.randint(-30, 200))
                done = planned + dt.timedelta(days=rng.randint(-20, 40))
                actual = done if done < today and rng.random() < 0.99 else None
                approvals.append((pk, kind, planned, actual))
            for n, label in enumerate(["主体开工", "主体封顶", "设备安装"]):
                due = planned_start + dt.timedelta(days=120 * (n + 1))
                done = due if due < today and rng.random() < 0.97 else None
                milestones.append((pk, label, due, done))
    counts["annual_plans"] = cp.copy(AnnualPlan, ["project_id", "year", "amount"], iter(plans))
    counts["approvals"] = cp.copy(
        Approval, ["project_id", "kind_id", "planned_date", "actual_date"], iter(approvals)
    )
    counts["milestones"] = cp.copy(
        Milestone, ["project_id", "name", "due_date", "done_date"], iter(milestones)
    )
    del plans, approvals, milestones

    # --- Monthly progress reports ------------------------------------------------------------------
    def reports():
        for zone in all_zones:
            rng = zone.rng("reports")
            staff_of: dict = {}
            for p, unit, role in zone.people:
                if role == Role.UNIT_STAFF:
                    staff_of.setdefault(unit, []).append(p)
            for pk, unit, _start, _inv, name in zone.projects:
                amount, factor = pace[pk]
                monthly = (amount / 12 * Decimal(str(factor))).quantize(Decimal("0.01"))
                staff = staff_of.get(unit) or [None]
                ends = stale_end if rng.random() < 0.1 else last_month
                for m, start in enumerate(month_starts(ends, REPORT_MONTHS)):
                    end = month_end(start)
                    submitted = dt.datetime.combine(
                        end + dt.timedelta(days=rng.randint(1, 6)), dt.time(9), tzinfo=tz
                    )
                    yield (
                        pk,
                        start,
                        end,
                        f"第{m + 1}期:{name}按计划推进,完成投资{monthly}万元。",
                        min(100, 10 * (m + 1)),
                        monthly,
                        "" if rng.random() < 0.9 else "用地指标待落实",
                        rng.choice(staff),
                        submitted,
                    )

    counts["progress_reports"] = cp.copy(
        ProgressReport,
        [
            "project_id",
            "period_start",
            "period_end",
            "narrative",
            "progress",
            "investment",
            "problems",
            "submitted_by_id",
            "submitted_at",
        ],
        reports(),
    )

    # --- 督办 items, co-units, verifications; problems -------------------------------------------
    states_open = [
        ItemState.ASSIGNED,
        ItemState.ACCEPTED,
        ItemState.IN_PROGRESS,
        ItemState.IN_PROGRESS,
        ItemState.REPORTED,
        ItemState.VERIFYING,
    ]
    sources = SupervisionItem.Source.values
    item_id = cp.next_id(SupervisionItem)
    rows, co_units, verifications = [], [], []
    results = Verification.Result.values
    for zone in all_zones:
        rng = zone.rng("items")
        _parks, _owners, item_units = units_of(zone)
        assigners = [p for p, _, r in zone.people if r in (Role.ZONE_LEADER, Role.SUPERVISOR)]
        by_unit: dict = {}
        for p, unit, _role in zone.people:
            by_unit.setdefault(unit, []).append(p)
        for i in range(PER_ZONE["items"]):
            project = rng.choice(zone.projects) if rng.random() < 0.85 else None
            lead = project[1] if project and rng.random() < 0.6 else rng.choice(item_units).pk
            assigned = today - dt.timedelta(days=rng.randint(0, 150))
            original = assigned + dt.timedelta(days=rng.choice([3, 7, 15, 30, 60]))
            deadline = original + dt.timedelta(days=15) if rng.random() < 0.1 else original
            roll = rng.random()
            if deadline < today and roll < 0.55:
                state = ItemState.CLOSED
            elif roll < 0.03:
                state = ItemState.CANCELLED
            else:
                state = rng.choice(states_open)
            closed_on = None
            if state == ItemState.CLOSED:
                closed_on = min(today, deadline + dt.timedelta(days=rng.randint(-5, 3)))
            candidates = by_unit.get(lead) or [None]
            rows.append(
                (
                    item_id,
                    f"{rng.choice(ITEM_TITLES)}({i + 1})",
                    "按期完成并上传佐证照片。",
                    "现场可见成效,核查属实。",
                    rng.choice(sources),
                    project[0] if project else None,
                    rng.choice(zone.enterprises) if rng.random() < 0.1 else None,
                    rng.choice(assigners),
                    lead,
                    rng.choice(candidates) if rng.random() < 0.9 else None,
                    assigned,
                    original,
                    1 if (original - assigned).days <= 3 else 3,
                    deadline,
                    str(state),
                    rng.choice([0, 0, 0, 0, 1, 2]),
                    rng.choice([0, 0, 1, 2, 3]),
                    closed_on,
                    (closed_on <= deadline) if closed_on else None,
                    dt.datetime.combine(assigned, dt.time(9), tzinfo=tz),
                )
            )
            for u in rng.sample(item_units, rng.choice([0, 1, 1, 2, 3])):
                if u.pk != lead:
                    co_units.append((item_id, u.pk))
            if state in (ItemState.CLOSED, ItemState.VERIFYING) and rng.random() < 0.6:
                verifications.append(
                    (
                        item_id,
                        rng.choice(results[:1] * 6 + results),
                        "现场核查。",
                        rng.choice(assigners),
                        now - dt.timedelta(days=rng.randint(0, 90)),
                        lead,
                    )
                )
            item_id += 1
    counts["items"] = cp.copy(
        SupervisionItem,
        [
            "id",
            "title",
            "requirement",
            "result_standard",
            "source",
            "project_id",
            "enterprise_id",
            "assigner_id",
            "lead_unit_id",
            "responsible_id",
            "assigned_on",
            "original_deadline",
            "reminder_days",
            "deadline",
            "state",
            "returned_count",
            "urge_count",
            "closed_on",
            "closed_on_time",
            "created_at",
        ],
        iter(rows),
    )
    del rows
    counts["item_co_units"] = cp.copy(
        SupervisionItem.co_units.through, ["supervisionitem_id", "unit_id"], iter(co_units)
    )
    counts["verifications"] = cp.copy(
        Verification,
        ["item_id", "result", "notes", "verified_by_id", "verified_at", "unit_id"],
        iter(verifications),
    )
    del co_units, verifications

    categories = list(ProblemCategory.objects.values_list("pk", "name"))
    levels, statuses = Problem.Level.values, Problem.Status.values

    def problems():
        for zone in all_zones:
            rng = zone.rng("problems")
            _parks, _owners, item_units = units_of(zone)
            for i in range(PER_ZONE["problems"]):
                yield (
                    rng.choice(zone.projects)[0],
                    rng.choice(categories)[0],
                    f"{rng.choice(categories)[1]}问题待协调({i + 1})",
                    rng.choice(item_units).pk,
                    now - dt.timedelta(days=rng.randint(0, 200)),
                    rng.choice(levels),
                    rng.choice(statuses),
                )

    counts["problems"] = cp.copy(
        Problem,
        ["project_id", "category_id", "description", "unit_id", "raised_at", "level", "status"],
        problems(),
    )

    # --- Investment pipeline and factor balance sheet (E14) ------------------------------------------
    stage_weights = {
        LeadStage.LEAD: 30,
        LeadStage.TALKS: 20,
        LeadStage.SIGNED: 15,
        LeadStage.REGISTERED: 10,
        LeadStage.STARTED: 10,
        LeadStage.PRODUCING: 5,
        LeadStage.FULL: 3,
        LeadStage.ENDED: 7,
    }
    stages, weights = list(stage_weights), list(stage_weights.values())
    signed_or_later = set(stages[2:7])
    lead_rows, allocations = [], []
    lead_id = cp.next_id(Lead)

    def day(start: dt.date, low: int, high: int) -> dt.date:
        return min(start + dt.timedelta(days=rng.randint(low, high)), today)

    for zone in all_zones:
        rng = zone.rng("leads")
        parks, _owners, _items = units_of(zone)
        leaders = leaders_of(zone)
        unit = zone.units["招商局"].pk
        for i in range(PER_ZONE["leads"]):
            stage = rng.choices(stages, weights)[0]
            park = rng.choice(parks).pk
            received = today - dt.timedelta(days=rng.randint(0, 700))
            signed = day(received, 20, 200) if stage in signed_or_later else None
            expected = signed + dt.timedelta(days=rng.randint(30, 360)) if signed else None
            started = day(expected, -30, 60) if stage in stages[4:7] else None
            total = rng.randint(5, 300) * 1000
            land = rng.randint(20, 400)
            energy = rng.randint(500, 30000)
            lead_rows.append(
                (
                    lead_id,
                    f"{rng.choice(INDUSTRIES)}项目(招商{i + 1:03d})",
                    f"{rng.choice(BRANDS)}集团有限公司",
                    rng.choice(INDUSTRIES),
                    park,
                    unit,
                    rng.choice(leaders),
                    str(stage),
                    received,
                    day(received, 0, 3),
                    signed,
                    expected,
                    started,
                    day(received, 0, 14),
                    total,
                    total * 7 // 10,
                    land,
                    energy,
                    energy * 8,
                    rng.choice((0, 10, 20, 40)),
                )
            )
            if signed and rng.random() < 0.5:
                allocations.append(
                    (park, expected.year, "land", land, "committed", lead_id, f"招商{i + 1:03d}")
                )
            lead_id += 1
    counts["leads"] = cp.copy(
        Lead,
        [
            "id",
            "name",
            "investor_name",
            "industry_chain",
            "park_id",
            "unit_id",
            "leader_id",
            "stage",
            "received_on",
            "responded_on",
            "signed_on",
            "expected_start",
            "started_on",
            "last_progress_on",
            "total_investment",
            "fixed_investment",
            "land_mu",
            "energy_tce",
            "electricity_10k_kwh",
            "green_share",
        ],
        iter(lead_rows),
    )
    del lead_rows
    cp.copy(
        Allocation,
        ["park_id", "year", "factor", "quantity", "state", "lead_id", "subject_name", "created_at"],
        ((*row, now) for row in allocations),
    )
    quantities = {"land": (100, 800), "energy": (5_000, 60_000), "green": (500, 5_000)}

    def supply():
        for zone in all_zones:
            rng = zone.rng("supply")
            parks, _owners, _items = units_of(zone)
            for park in parks:
                for year in (today.year, today.year + 1):
                    for source in (Source.NEW_LAND, Source.ENERGY_QUOTA, Source.GREEN_TRADE):
                        factor = SOURCE_FACTOR[source]
                        low, high = quantities[factor]
                        yield (
                            park.pk,
                            year,
                            str(factor),
                            str(source),
                            rng.randint(low, high),
                            f"{year}年度{source.label}下达文件",
                        )

    counts["factor_supply"] = cp.copy(
        SupplyEntry,
        ["park_id", "year", "factor", "source", "quantity", "document_title"],
        supply(),
    )

    def needs():
        for zone in all_zones:
            rng = zone.rng("needs")
            for pk, _unit, planned_start, _inv, _name in rng.sample(
                zone.projects, min(PER_ZONE["needs"], len(zone.projects))
            ):
                energy = rng.randint(200, 20_000)
                yield (
                    pk,
                    rng.randint(10, 300),
                    energy,
                    energy * 8,
                    rng.choice((0, 10, 30)),
                    planned_start,
                )

    counts["factor_needs"] = cp.copy(
        FactorNeed,
        [
            "project_id",
            "land_mu",
            "energy_tce",
            "electricity_10k_kwh",
            "green_share",
            "expected_start",
        ],
        needs(),
    )

    # --- Work logs ----------------------------------------------------------------------------------
    places = [p["name"] for p in PROJECTS] + [e[0] for e in ENTERPRISES]
    saturdays = [
        d
        for d in (today - dt.timedelta(days=n) for n in range(WORKLOG_DAYS))
        if d.weekday() == 5 and d + dt.timedelta(days=1) <= today
    ]
    no_logs = {Role.INSPECTOR, Role.LIAISON, Role.ADMIN}

    def work_logs():
        for zone in all_zones:
            rng = zone.rng("worklogs")
            authors = [(p, u) for p, u, r in zone.people if r not in no_logs]
            for _ in range(PER_ZONE["work_logs"]):
                author, unit = rng.choice(authors)
                if rng.random() < 0.7:  # mostly weekend logs, on Saturday or Sunday
                    day = rng.choice(saturdays) + dt.timedelta(days=rng.randint(0, 1))
                    kind = WorkLog.Kind.WEEKEND
                else:
                    day = today - dt.timedelta(days=rng.randrange(WORKLOG_DAYS))
                    kind = WorkLog.Kind.DAILY if day.weekday() < 5 else WorkLog.Kind.WEEKEND
                text = log_text(rng, places, False)
                submitted = dt.datetime.combine(
                    day, dt.time(rng.randint(8, 22), rng.randrange(60)), tzinfo=tz
                )
                yield (
                    author,
                    unit,
                    str(kind),
                    day,
                    weekend_of(day),
                    text,
                    submitted,
                    submitted,
                    search.index_text(text),
                )

    with connection.schema_editor() as editor:
        search.drop_index(editor)
    counts["work_logs"] = cp.copy(
        WorkLog,
        [
            "author_id",
            "unit_id",
            "kind",
            "date",
            "weekend",
            "text",
            "submitted_at",
            "updated_at",
            "search_text",
        ],
        work_logs(),
    )
    start = time.monotonic()
    with connection.schema_editor() as editor:
        search.create_index(editor)  # the migration's DDL: the GIN on to_tsvector
    log(f"work-log search index built in {time.monotonic() - start:.1f}s")
    cp.reset_sequences()
    return counts
