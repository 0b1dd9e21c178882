"""`make bench`: time the main pages and jobs on generated data at zone or province scale.

    .venv/bin/python bench/run.py [--scale zone|bigzone|province] [--db-url URL] [--reps N]

Never touches the user's database: SQLite lives in a temporary directory (removed at the
end), and ``--db-url`` names a database this script creates and drops. Results go to stdout
and to ``var/bench/<date>-<scale>-<vendor>.json``. See bench/README.md.
"""

import argparse
import cProfile
import datetime as dt
import json
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from livesite import pg_admin  # bench/ is the script's own folder, first on sys.path

# bench/province.py imports this module as `run` (as loadtest.py does): one module, not two.
sys.modules.setdefault("run", sys.modules[__name__])

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "var" / "bench"

SCALES = {
    # projects, enterprises, 督办 items, problems, work logs in the one demo zone
    "zone": {
        "projects": 2_000,
        "enterprises": 500,
        "items": 5_000,
        "problems": 1_000,
        "work_logs": 20_000,
    },
    # The demo zone with ten times the rows: a worst case for one zone.
    "bigzone": {
        "projects": 20_000,
        "enterprises": 5_000,
        "items": 50_000,
        "problems": 10_000,
        "work_logs": 200_000,
    },
    # 100 zones of the demo zone's shape, the demo zone one of them (bench/province.py,
    # PostgreSQL COPY); per zone: province.PER_ZONE.
    "province": {},
}
WORKLOG_SEED = 2028  # work logs are drawn last, from their own generator: the rest is unchanged
REPORT_MONTHS = 24
STAFF_PER_UNIT = 6  # extra people with (unusable-password) accounts in every unit
T0 = time.monotonic()


def log(text: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {text}", flush=True)


# --------------------------------------------------------------------------------------
# Environment and database lifecycle (before Django is imported)
# --------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="zone")
    parser.add_argument(
        "--province-zones",
        type=int,
        default=100,
        help="zones at province scale (default 100; fewer for a quick try: same rows per zone)",
    )
    parser.add_argument(
        "--db-url",
        default="",
        help="a database URL to create, fill and drop (default: SQLite in a temporary dir)",
    )
    parser.add_argument("--reps", type=int, default=20, help="timed repetitions per page")
    parser.add_argument(
        "--job-reps", type=int, default=5, help="timed repetitions per job (lights, export …)"
    )
    parser.add_argument(
        "--reminder-reps",
        type=int,
        default=1,
        help="timed runs of each send_item_reminders case (slow: tens of seconds each)",
    )
    parser.add_argument(
        "--skip-reminders", action="store_true", help="leave out send_item_reminders"
    )
    parser.add_argument(
        "--only-jobs",
        nargs="?",
        const="all",
        default="",
        metavar="JOBS",
        help="no pages, only the jobs: all, or some of lights,reminders,digests,export "
        "(comma-separated; the import runs only with export named, or all)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before timing")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=5_000,
        help="rows of the generated ledger import (the documented maximum: 5,000); 0 skips it",
    )
    parser.add_argument(
        "--import-profile",
        default="",
        help="write a cProfile of the import's apply to this file (read it with pstats)",
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="generate the data, then measure only the ledger import (no pages, no jobs)",
    )
    parser.add_argument(
        "--export-only",
        action="store_true",
        help="generate the data, then measure only the ledger export (in process and as a job)",
    )
    parser.add_argument(
        "--assessment-only",
        action="store_true",
        help="generate the data, then measure only the monthly assessment's computation "
        f"(A13: {ASSESS_UNITS} units, the demo zone's and generated departments)",
    )
    parser.add_argument(
        "--export-user",
        default="",
        help="owner of the measured export job (default: at province scale a superuser made in "
        "the bench database, who exports all 50,000 projects; else the zone leader)",
    )
    parser.add_argument(
        "--export-child",
        default="",
        metavar="USERNAME",
        help=argparse.SUPPRESS,  # internal: run one export job as USERNAME and print JSON
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated database and var dir"
    )
    return parser.parse_args(argv)


def prepare_environment(args) -> Path:
    var_dir = Path(tempfile.mkdtemp(prefix="tuijin-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuijin.settings"
    os.environ["TUIJIN_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = args.db_url
    os.environ.pop("REDIS_URL", None)  # the task queue stays in the bench var dir
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 40)  # production mode names its key
    os.environ["HTTPS"] = "0"  # no SSL redirect for the test client
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["MEDIA_ROOT"] = str(var_dir / "media")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    sys.path.insert(0, str(BASE_DIR))
    return var_dir


def create_database(db_url: str) -> bool:
    """Create the PostgreSQL database if missing; True if this run created it.

    An existing database is used only if it has no tables: the script will not fill (and
    later drop) a database that holds someone's data.
    """
    if not db_url.startswith(("postgres://", "postgresql://")):
        return False
    from psycopg import sql

    conn, name = pg_admin(db_url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created PostgreSQL database {name}")
            return True
    import psycopg

    with psycopg.connect(db_url) as db:
        tables = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if tables:
        sys.exit(f"database {name} exists and has {tables} tables; drop it or pick another name")
    log(f"using the existing empty database {name}")
    return False


def drop_database(db_url: str) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    conn, name = pg_admin(db_url)
    with conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    log(f"dropped PostgreSQL database {name}")


# --------------------------------------------------------------------------------------
# Data generation
# --------------------------------------------------------------------------------------

BRANDS = list("犇烯正云鑫齐吉瑞泰华恒兴达信隆安康盛宏源博通创新锦丰海天宇光明")
INDUSTRIES = [
    ("新能源", "新能源"),
    ("新材料", "新材料"),
    ("医药", "医药健康"),
    ("装备", "装备制造"),
    ("电子", "电子信息"),
    ("环保", "节能环保"),
    ("物流", "现代物流"),
    ("化工", "新材料"),
    ("食品", "民生"),
    ("汽车零部件", "装备制造"),
]
PROJECT_KINDS = ["生产基地", "产业园", "扩建", "技改", "研发中心", "生产线", "仓储中心"]
PHASES = ["", "一期", "二期", "三期"]
STAGE_WEIGHTS = {
    "planning": 5,
    "signed": 10,
    "preparing": 15,
    "construction": 50,
    "completed": 10,
    "operating": 5,
    "suspended": 5,
}
ITEM_TITLES = [
    "完成场地清表",
    "办结施工许可",
    "协调解决用电接入",
    "拆除违章建筑",
    "落实能耗指标",
    "完成土地挂牌",
    "解决用工缺口",
    "完成环评批复",
    "打通进场道路",
    "落实配套资金",
]


def month_starts(last: dt.date, n: int) -> list[dt.date]:
    """The first days of the n months ending with `last`'s month, oldest first."""
    months = []
    year, month = last.year, last.month
    for _ in range(n):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_end(start: dt.date) -> dt.date:
    return (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def create_people(units: dict, rng: random.Random) -> list:
    """Every unit gets a head, staff and a cadre, all with accounts (no usable password), so
    reminders have recipients; the zone gets more leaders and supervisors. Returns every
    person (the demo people too), with their unit."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from tuijin.org.models import Person, Role

    User = get_user_model()
    zone = units["随州高新区"]
    roles = [Role.UNIT_HEAD] + [Role.UNIT_STAFF] * (STAFF_PER_UNIT - 2) + [Role.CADRE]
    plan = [(unit, role) for unit in units.values() if unit != zone for role in roles]
    plan += [(zone, Role.ZONE_LEADER)] * 6 + [(units["督查室"], Role.SUPERVISOR)] * 3
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench{i:04d}", password=unusable) for i in range(len(plan))]
    )
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
    Person.objects.bulk_create(
        [
            Person(
                name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                unit=unit,
                role=role,
                title="",
                user=user,
            )
            for (unit, role), user in zip(plan, users, strict=True)
        ]
    )
    return list(Person.objects.select_related("unit"))


def demo_zone():
    """The demo zone's root unit (随州高新区), one of many at province scale."""
    from tuijin.org.demo import ZONE
    from tuijin.org.models import Unit

    return Unit.objects.get(name=ZONE, depth=1)


def demo_unit(name: str):
    """A unit of the demo zone by name (other zones have their own 经济发展局)."""
    from tuijin.org.models import Unit

    return Unit.objects.get(name=name, path__startswith=demo_zone().path)


def generate(scale: str, zones: int | None = None) -> dict:
    """Demo org and people, then the ledger, 督办 and work logs at `scale`.

    zone and bigzone: the demo zone alone, with bulk_create (SQLite or PostgreSQL);
    province: `zones` zones through COPY (bench/province.py, PostgreSQL only).
    bulk_create and COPY send no signals: no audit events are written for generated rows.
    """
    if scale == "province":
        from province import PROVINCE_ZONES, generate_province

        return generate_province(zones or PROVINCE_ZONES)
    from django.utils import timezone

    from tuijin.notify.models import Rule, UnitRobot
    from tuijin.org.demo import load_org, load_people
    from tuijin.org.models import Person, Role, UnitKind
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

    size = SCALES[scale]
    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    batch = 2_000
    counts = {}

    units = load_org()
    load_people(units)
    ApprovalType.ensure_defaults()
    ProblemCategory.ensure_defaults()
    Rule.ensure_defaults()
    log(f"demo org: {len(units)} units")

    people = create_people(units, rng)
    by_unit = {}
    for person in people:
        by_unit.setdefault(person.unit_id, []).append(person)
    leaders = [p for p in people if p.role in (Role.ZONE_LEADER, Role.CADRE)]
    assigners = [p for p in people if p.role in (Role.ZONE_LEADER, Role.SUPERVISOR)]
    counts["people"] = len(people)
    log(f"people: {len(people)} (with accounts)")

    parks = [u for u in units.values() if u.kind == UnitKind.PARK]
    departments = [units[n] for n in ("经济发展局", "招商局", "住建局", "自然资源和规划分局")]
    owner_units = departments + parks
    item_units = [u for u in units.values() if u.kind != UnitKind.ZONE]
    UnitRobot.objects.bulk_create(
        UnitRobot(unit=u, kind="wecom", webhook_url=f"https://qyapi.example.invalid/{u.pk}")
        for u in departments + parks
    )

    tags = [IndustryTag.objects.get_or_create(name=t)[0] for _, t in INDUSTRIES]
    tag_of = {word: tag for (word, _), tag in zip(INDUSTRIES, tags, strict=True)}

    # Enterprises: unique names from brand pairs × industries.
    names = [f"随州{a}{b}{w}" for a in BRANDS for b in BRANDS if a != b for w, _ in INDUSTRIES]
    rng.shuffle(names)
    enterprises = []
    for i in range(size["enterprises"]):
        name = names[i] + ("科技有限公司" if i % 2 else "有限公司")
        enterprises.append(
            Enterprise(
                name=name,
                industry=name[4:6],
                park=rng.choice(parks),
                is_key=rng.random() < 0.2,
                unit=rng.choice(owner_units),
                search_text=pinyin_key(name),
            )
        )
    enterprises = Enterprise.objects.bulk_create(enterprises, batch_size=batch)
    Through = Enterprise.leaders.through
    Through.objects.bulk_create(
        [
            Through(enterprise_id=e.pk, person_id=rng.choice(leaders).pk)
            for e in enterprises
            if e.is_key
        ],
        batch_size=batch,
    )
    counts["enterprises"] = len(enterprises)
    log(f"enterprises: {len(enterprises)}")

    # Projects.
    stages, weights = zip(*STAGE_WEIGHTS.items(), strict=True)
    projects, project_tags = [], []
    for i in range(size["projects"]):
        word, _ = rng.choice(INDUSTRIES)
        name = (
            f"{rng.choice(BRANDS)}{rng.choice(BRANDS)}{word}{rng.choice(PROJECT_KINDS)}"
            f"{rng.choice(PHASES)}项目"
        )
        code = f"SZGX-{2020 + i % 7}-{i:05d}"
        stage = rng.choices(stages, weights)[0]
        started = stage not in ("planning", "signed", "preparing")
        planned_start = today + dt.timedelta(days=rng.randint(-45, 365))
        if started:
            planned_start = today - dt.timedelta(days=rng.randint(90, 900))
        park = rng.choice(parks)
        projects.append(
            Project(
                code=code,
                name=name,
                park=park,
                unit=rng.choice(owner_units + [park] * 2),
                content=f"建设{word}{rng.choice(PROJECT_KINDS)},年产值约{rng.randint(1, 90)}亿元。",
                category=rng.choice(["industry"] * 6 + ["infrastructure", "social", "other"]),
                key_level=rng.choice(["", "", "district", "city", "province"]),
                stage=stage,
                total_investment=Decimal(rng.randint(1_000, 500_000)),
                planned_start=planned_start,
                actual_start=planned_start + dt.timedelta(days=rng.randint(0, 60))
                if started
                else None,
                planned_completion=planned_start + dt.timedelta(days=rng.randint(365, 1100)),
                planned_operation=planned_start + dt.timedelta(days=rng.randint(400, 1200)),
                location=f"{park.name}{rng.choice(BRANDS)}{rng.choice(BRANDS)}路",
                search_text=pinyin_key(f"{name} {code}"),
            )
        )
        project_tags.append(tag_of[word])
    projects = Project.objects.bulk_create(projects, batch_size=batch)
    # On the ledger for two years: the stale-report rule counts periods since creation.
    Project.objects.update(created_at=now - dt.timedelta(days=730))
    counts["projects"] = len(projects)
    log(f"projects: {len(projects)}")

    links = {"enterprises": [], "leaders": [], "tags": []}
    for project, tag in zip(projects, project_tags, strict=True):
        for e in rng.sample(enterprises, rng.choice([1, 1, 1, 2])):
            links["enterprises"].append(
                Project.enterprises.through(project_id=project.pk, enterprise_id=e.pk)
            )
        for p in rng.sample(leaders, rng.choice([1, 1, 2])):
            links["leaders"].append(Project.leaders.through(project_id=project.pk, person_id=p.pk))
        links["tags"].append(Project.tags.through(project_id=project.pk, industrytag_id=tag.pk))
    # The demo zone leader (王立新, "leader") is 包保 leader of one project in ten.
    wang = Person.objects.get(user__username="leader")
    links["leaders"] += [
        Project.leaders.through(project_id=p.pk, person_id=wang.pk) for p in projects[::10]
    ]
    for name, rows in links.items():
        getattr(Project, name).through.objects.bulk_create(
            rows, batch_size=batch, ignore_conflicts=True
        )
    log("project links: enterprises, 包保 leaders, tags")

    # Plans, approvals, milestones.
    kinds = list(ApprovalType.objects.all())
    plans, approvals, milestones = [], [], []
    pace = {}
    for project in projects:
        amount = (project.total_investment * Decimal("0.3")).quantize(Decimal(1))
        pace[project.pk] = (amount, rng.choice([0.5, 0.8, 0.95, 1.0, 1.0, 1.0, 1.05, 1.1]))
        for year in (today.year - 1, today.year):
            plans.append(AnnualPlan(project=project, year=year, amount=amount))
        for kind in kinds:
            planned = project.planned_start - dt.timedelta(days=rng.randint(-30, 200))
            done = planned + dt.timedelta(days=rng.randint(-20, 40))
            approvals.append(
                Approval(
                    project=project,
                    kind=kind,
                    planned_date=planned,
                    actual_date=done if done < today and rng.random() < 0.99 else None,
                )
            )
        for n, label in enumerate(["主体开工", "主体封顶", "设备安装"]):
            due = project.planned_start + dt.timedelta(days=120 * (n + 1))
            milestones.append(
                Milestone(
                    project=project,
                    name=label,
                    due_date=due,
                    done_date=due if due < today and rng.random() < 0.97 else None,
                )
            )
    AnnualPlan.objects.bulk_create(plans, batch_size=batch)
    Approval.objects.bulk_create(approvals, batch_size=batch)
    Milestone.objects.bulk_create(milestones, batch_size=batch)
    counts |= {"annual_plans": len(plans), "approvals": len(approvals)}
    counts["milestones"] = len(milestones)
    log(f"plans {len(plans)}, approvals {len(approvals)}, milestones {len(milestones)}")

    # Monthly reports: 24 per project, up to last month (one project in ten stopped
    # reporting two months ago, so the stale rule has work to do).
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    stale_end = (last_month - dt.timedelta(days=1)).replace(day=1)
    stale_end = (stale_end - dt.timedelta(days=1)).replace(day=1)
    reporters = {u: [p for p in by_unit.get(u, []) if p.role == Role.UNIT_STAFF] for u in by_unit}
    total = 0
    chunk = []
    for index, project in enumerate(projects):
        amount, factor = pace[project.pk]
        monthly = (amount / 12 * Decimal(str(factor))).quantize(Decimal("0.01"))
        staff = reporters.get(project.unit_id) or [None]
        ends = stale_end if rng.random() < 0.1 else last_month
        for m, start in enumerate(month_starts(ends, REPORT_MONTHS)):
            end = month_end(start)
            chunk.append(
                ProgressReport(
                    project=project,
                    period_start=start,
                    period_end=end,
                    narrative=f"第{m + 1}期:{project.name}按计划推进,完成投资{monthly}万元。",
                    progress=min(100, 4 * (m + 1)),
                    investment=monthly,
                    problems="" if rng.random() < 0.9 else "用地指标待落实",
                    submitted_by=rng.choice(staff),
                    submitted_at=timezone.make_aware(
                        dt.datetime.combine(end + dt.timedelta(days=rng.randint(1, 6)), dt.time(9))
                    ),
                )
            )
        if len(chunk) >= 20_000 or index == len(projects) - 1:
            ProgressReport.objects.bulk_create(chunk, batch_size=batch)
            total += len(chunk)
            chunk = []
            log(f"progress reports: {total}")
    counts["progress_reports"] = total

    # 督办 items in every state, with co-units, verifications; problems.
    states_open = [
        ItemState.ASSIGNED,
        ItemState.ACCEPTED,
        ItemState.IN_PROGRESS,
        ItemState.IN_PROGRESS,
        ItemState.REPORTED,
        ItemState.VERIFYING,
    ]
    items = []
    for i in range(size["items"]):
        project = rng.choice(projects) if rng.random() < 0.85 else None
        lead = project.unit if project and rng.random() < 0.6 else rng.choice(item_units)
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
        candidates = by_unit.get(lead.pk) or [None]
        items.append(
            SupervisionItem(
                title=f"{rng.choice(ITEM_TITLES)}({i + 1})",
                requirement="按期完成并上传佐证照片。",
                result_standard="现场可见成效,核查属实。",
                source=rng.choice(SupervisionItem.Source.values),
                project=project,
                enterprise=rng.choice(enterprises) if rng.random() < 0.1 else None,
                assigner=rng.choice(assigners),
                lead_unit=lead,
                responsible=rng.choice(candidates) if rng.random() < 0.9 else None,
                assigned_on=assigned,
                original_deadline=original,
                reminder_days=1 if (original - assigned).days <= 3 else 3,
                deadline=deadline,
                state=state,
                returned_count=rng.choice([0, 0, 0, 0, 1, 2]),
                urge_count=rng.choice([0, 0, 1, 2, 3]),
                closed_on=closed_on,
                closed_on_time=(closed_on <= deadline) if closed_on else None,
            )
        )
    items = SupervisionItem.objects.bulk_create(items, batch_size=batch)
    co_units = [
        SupervisionItem.co_units.through(supervisionitem_id=item.pk, unit_id=u.pk)
        for item in items
        for u in rng.sample(item_units, rng.choice([0, 1, 1, 2, 3]))
        if u.pk != item.lead_unit_id
    ]
    SupervisionItem.co_units.through.objects.bulk_create(co_units, batch_size=batch)
    counts |= {"items": len(items), "item_co_units": len(co_units)}
    log(f"督办 items: {len(items)}, co-unit links: {len(co_units)}")

    results = Verification.Result.values
    verifications = [
        Verification(
            item=item,
            result=rng.choice(results[:1] * 6 + results),
            notes="现场核查。",
            verified_by=rng.choice(assigners),
            verified_at=now - dt.timedelta(days=rng.randint(0, 90)),
            unit=item.lead_unit,
        )
        for item in items
        if item.state in (ItemState.CLOSED, ItemState.VERIFYING) and rng.random() < 0.6
    ]
    Verification.objects.bulk_create(verifications, batch_size=batch)
    counts["verifications"] = len(verifications)

    categories = list(ProblemCategory.objects.all())
    problems = [
        Problem(
            project=rng.choice(projects),
            category=rng.choice(categories),
            description=f"{rng.choice(categories).name}问题待协调({i + 1})",
            unit=rng.choice(item_units),
            raised_at=now - dt.timedelta(days=rng.randint(0, 200)),
            level=rng.choice(Problem.Level.values),
            status=rng.choice(Problem.Status.values),
        )
        for i in range(size["problems"])
    ]
    Problem.objects.bulk_create(problems, batch_size=batch)
    counts["problems"] = len(problems)
    log(f"verifications: {len(verifications)}, problems: {len(problems)}")
    counts["work_logs"] = create_work_logs(people, size["work_logs"], batch)
    return counts


def create_work_logs(people: list, total: int, batch: int) -> int:
    """`total` work logs by the zone's people over three years (bench/worklog_search.py's
    vocabulary, so its search terms have known shares), with ``search_text`` as
    ``worklogs.services`` indexes it (no visits) and ``weekend`` as ``save()`` sets it.
    On SQLite the FTS5 triggers index them as they are inserted."""
    from django.db import transaction
    from django.utils import timezone
    from worklog_search import log_text

    from tuijin.org.models import Role
    from tuijin.projects.demo import ENTERPRISES, PROJECTS
    from tuijin.worklogs import search
    from tuijin.worklogs.models import WorkLog, weekend_of

    rng = random.Random(WORKLOG_SEED)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    days = 3 * 365
    saturdays = [
        d
        for d in (today - dt.timedelta(days=n) for n in range(days))
        if d.weekday() == 5 and d + dt.timedelta(days=1) <= today
    ]
    places = [p["name"] for p in PROJECTS] + [e[0] for e in ENTERPRISES]
    no_logs = {Role.INSPECTOR, Role.LIAISON, Role.ADMIN}
    authors = [p for p in people if p.role not in no_logs]
    chunk, done = [], 0
    for i in range(total):
        author = rng.choice(authors)
        if rng.random() < 0.7:  # mostly weekend logs, on Saturday or Sunday
            day = rng.choice(saturdays) + dt.timedelta(days=rng.randint(0, 1))
            kind = WorkLog.Kind.WEEKEND
        else:
            day = today - dt.timedelta(days=rng.randrange(days))
            kind = WorkLog.Kind.DAILY if day.weekday() < 5 else WorkLog.Kind.WEEKEND
        text = log_text(rng, places, False)
        chunk.append(
            WorkLog(
                author_id=author.pk,
                unit_id=author.unit_id,
                kind=kind,
                date=day,
                weekend=weekend_of(day),
                text=text,
                submitted_at=dt.datetime.combine(
                    day, dt.time(rng.randint(8, 22), rng.randrange(60)), tzinfo=tz
                ),
                search_text=search.index_text(text),
            )
        )
        if len(chunk) == 10 * batch or i == total - 1:
            with transaction.atomic():
                WorkLog.objects.bulk_create(chunk, batch_size=batch)
            done += len(chunk)
            chunk = []
    log(f"work logs: {done}")
    return done


# --------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class QueryCounter:
    """Counts every query sent on a connection (an execute wrapper: no query log, no limit;
    CaptureQueriesContext keeps only the last 9,000 queries and needs the debug cursor)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def cockpit_rows(args, Client, User) -> list[dict]:
    """D16: the cockpit as the zone leader and a unit head get it, its figures computed (the
    cache emptied before each run) and cached (the 5 minutes after the first reader)."""
    from django.core.cache import cache
    from django.urls import reverse

    rows = []
    url = reverse("cockpit:index")
    for username in ("leader", "chengdong"):
        client = Client()
        client.force_login(User.objects.get(username=username))

        def get(client=client):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"cockpit: GET {url} answered {response.status_code}")
            return {"bytes": len(response.content)}

        rows.append(
            measure(
                "cockpit: figures computed", username, url, get, args.reps, 1, before=cache.clear
            )
        )
        rows.append(measure("cockpit: figures cached", username, url, get, args.reps, 1))
    return rows


def measure(name: str, user: str, target: str, run, reps: int, warmup: int, before=None) -> dict:
    """Warm up, then time `reps` runs, counting the queries of each. `before`, if given,
    runs untimed before every run (to reset state)."""
    from django.db import connection

    for _ in range(warmup):
        if before:
            before()
        run()
    samples, queries = [], set()
    detail = None
    for _ in range(reps):
        if before:
            before()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            detail = run()
            samples.append((time.perf_counter() - start) * 1000)
        queries.add(counter.count)
    row = {
        "name": name,
        "user": user,
        "target": target,
        "reps": reps,
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "queries": max(queries),
        "queries_constant": len(queries) == 1,
    }
    if isinstance(detail, dict):
        row |= detail
    log(f"{name} · {user}: p50 {row['p50_ms']:.1f} ms, {row['queries']} queries")
    return row


def benchmark(args) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from tuijin.projects.models import Light, Project, pinyin_key
    from tuijin.projects.services import refresh_lights

    User = get_user_model()
    park = demo_unit("城东产业园")
    jingfa = demo_unit("经济发展局")
    # A project both users see: owned by 经济发展局, with all its reports.
    project = Project.objects.filter(unit=jingfa).order_by("pk").first()
    reports = project.reports.count()
    search = pinyin_key("新能源").split()[1]  # pinyin initials, as a user types them: "xny"
    if args.import_only:
        return import_rows(args, User.objects.get(username="leader"))
    if args.export_only:
        return export_rows(args, User.objects.get(username="leader"))
    if args.assessment_only:
        return assessment_rows(args)

    def ledger(**params):
        return reverse("projects:project_list") + ("?" + urlencode(params) if params else "")

    def board(**params):
        return reverse("supervision:item_board") + ("?" + urlencode(params) if params else "")

    pages = [
        ("ledger: first page", ledger()),
        ("ledger: park + red light", ledger(park=park.pk, light=Light.RED)),
        (f"ledger: pinyin search {search!r}", ledger(q=search)),
        (f"project detail ({reports} reports)", project.get_absolute_url()),
        ("督办 board: all", board()),
        ("督办 board: overdue", board(view="overdue")),
        ("督办 unit board", reverse("supervision:unit_board")),
        ("home", reverse("home")),
        # bench/worklog_search.py's common term (20 % of logs) and its 1 % place.
        ("work logs: search '土地指标'", reverse("worklogs:log_list") + "?q=土地指标"),
        ("work logs: search '团结激光产业园'", reverse("worklogs:log_list") + "?q=团结激光产业园"),
    ]
    if args.only_jobs:
        pages = []
    rows = []
    for username in ("leader", "jingfa_staff"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name, url in pages:

            def get(url=url, client=client, name=name):
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: GET {url} answered {response.status_code}")
                return {"bytes": len(response.content)}

            rows.append(measure(name, username, url, get, args.reps, args.warmup))
    if pages:
        rows += cockpit_rows(args, Client, User)

    # Jobs.
    leader = User.objects.get(username="leader")

    def wanted(job: str) -> bool:
        return args.only_jobs in ("", "all") or job in args.only_jobs.split(",")

    def lights():
        return {"changed": refresh_lights(Project.objects.all())}

    if wanted("lights"):
        rows.append(
            measure(
                "refresh_lights(all projects)",
                "-",
                "tuijin.projects.services.refresh_lights",
                lights,
                args.job_reps,
                1,
            )
        )
    if wanted("reminders") and not args.skip_reminders:
        rows += reminder_rows(args)
    if wanted("digests"):
        rows.append(digest_row(args))
    if not wanted("export"):
        return rows  # --only-jobs without export: no export, no import
    rows += export_rows(args, leader)
    if args.import_rows:
        rows += import_rows(args, leader)
    return rows


def export_rows(args, leader) -> list[dict]:
    """The ledger export: `write_ledger` in this process over the zone leader's ledger
    (``--job-reps`` runs), then the background job as users start it, in a child process
    that reports its own time, queries and peak RSS (``export_job_row``)."""
    return [export_row(args, leader), export_job_row(args)]


def reminder_rows(args) -> list[dict]:
    """`send_item_reminders` as the periodic task meets it: the first run on the generated
    data (nothing sent yet: every reminder due is created), the next day (yesterday's
    deliveries exist; overdue items get their daily reminder, others what their deadline
    brings), and the repeat on that day (the task runs every 30 minutes: nothing new)."""
    from django.db.models import Q
    from django.utils import timezone

    from tuijin.notify.models import Delivery
    from tuijin.supervision.models import SupervisionItem
    from tuijin.supervision.notifications import send_item_reminders

    target = "tuijin.supervision.notifications.send_item_reminders"
    today = timezone.localdate()
    days = iter(range(1, 10_000))
    day = {"today": today}
    reminder_fields = {f.name for f in SupervisionItem._meta.get_fields()}

    def forget():
        # As generated: no delivery, and (once the run stores it) no reminder date yet.
        Delivery.objects.filter(~Q(event="weekly_digest")).delete()
        if "remind_on" in reminder_fields:
            SupervisionItem.objects.update(remind_on=None)
        day["today"] = today

    def next_day():
        day["today"] = today + dt.timedelta(days=next(days))

    def run():
        return {"deliveries": send_item_reminders(day["today"]), "day": str(day["today"])}

    return [
        measure("send_item_reminders (first run)", "-", target, run, args.reminder_reps, 0, forget),
        measure("send_item_reminders (new day)", "-", target, run, args.reminder_reps, 0, next_day),
        measure("send_item_reminders (repeat)", "-", target, run, args.reminder_reps, 0),
    ]


def digest_row(args) -> dict:
    """`send_weekly_digests` on a Monday: every recipient's digest built and published, the
    week's digest deliveries deleted before each run."""
    from django.utils import timezone

    from tuijin.dashboard.digest import send_weekly_digests
    from tuijin.notify.models import Delivery

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())

    def forget():
        Delivery.objects.filter(event="weekly_digest").delete()

    def run():
        return {"deliveries": send_weekly_digests(monday)}

    return measure(
        "send_weekly_digests",
        "-",
        "tuijin.dashboard.digest.send_weekly_digests",
        run,
        args.job_reps,
        1,
        forget,
    )


def export_row(args, leader) -> dict:
    """The ledger .xlsx writer over every project the zone leader sees."""
    from django.test import RequestFactory
    from django.urls import reverse

    from tuijin.projects.excel import write_ledger
    from tuijin.projects.filters import ledger_queryset

    request = RequestFactory().get(reverse("projects:ledger_export"))
    request.user = leader
    out_dir = Path(os.environ["TUIJIN_VAR_DIR"])

    def export():
        _filterset, queryset, _sort = ledger_queryset(request)
        with open(out_dir / "ledger.xlsx", "wb") as out:
            rows_written = write_ledger(queryset, out)
        return {"rows": rows_written, "bytes": (out_dir / "ledger.xlsx").stat().st_size}

    return measure(
        "ledger .xlsx export (all projects)",
        "leader",
        "tuijin.projects.excel.write_ledger",
        export,
        args.job_reps,
        1,
    )


EXPORT_ADMIN = "bench_admin"  # a superuser made in the bench database only (as loadtest.py)


def export_job_row(args) -> dict:
    """The ledger export as the background job (``projects.ledger_export`` through
    ``jobs.execute``, the consumer's code path), run in a fresh child process so that its
    peak RSS is the export's alone: the child imports everything first, notes its RSS, runs
    the job and reports its peak (``VmHWM``) minus that, with RSS sampled every 0.2 s.
    The owner is ``--export-user``; by default at province scale a superuser (all 50,000
    projects of the 100 zones), else the zone leader (2,000 or 20,000)."""
    import subprocess

    from django.contrib.auth import get_user_model
    from django.db import connections

    username = args.export_user or ("leader" if args.scale != "province" else EXPORT_ADMIN)
    User = get_user_model()
    if username == EXPORT_ADMIN and not User.objects.filter(username=username).exists():
        User.objects.create_superuser(username, "", None)
    connections.close_all()  # SQLite: nothing of ours open while the child writes its job
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--export-child", username],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"export job child failed:\n{done.stdout}\n{done.stderr}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    log(
        f"{row['name']} · {username}: {row['p50_ms'] / 1000:.1f} s, {row['rows']} rows, "
        f"{row['queries']} queries, peak RSS +{row['rss_growth_mib']} MiB "
        f"(start {row['rss_start_mib']} MiB; samples {row['rss_samples_mib']})"
    )
    return row


def rss_kib(field: str = "VmRSS") -> int:
    """This process's resident set now (``VmRSS``) or at its peak (``VmHWM``), in KiB, from
    /proc. Not ``getrusage``'s ``ru_maxrss``: Linux carries it over fork and exec, so a child
    of the big bench process would report the parent's size as its own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def export_child(username: str) -> None:
    """Child process of ``export_job_row``: one export job as `username`, JSON on stdout.

    The environment (database, var dir) is the parent's. Everything the job touches is
    imported and the connection opened before the RSS is noted, so the growth is the
    export's: rows, workbook, files."""
    import threading

    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    # Imported now, before the RSS is noted (the writer imports them on first use).
    import openpyxl.cell._writer
    import openpyxl.worksheet._writer
    import openpyxl.writer.excel  # noqa: F401
    from django.contrib.auth import get_user_model
    from django.db import connection

    import tuijin.projects.exports  # noqa: F401
    from tuijin.core import jobs
    from tuijin.core.models import Job
    from tuijin.projects.exports import LEDGER_EXPORT_JOB

    owner = get_user_model().objects.get(username=username)
    job = Job.objects.create(
        owner=owner,
        kind=LEDGER_EXPORT_JOB,
        title="导出项目台账",
        params={"query": "", "user_id": owner.pk},
    )
    start_kib = rss_kib()
    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    t0 = time.perf_counter()

    def sample():
        while not stop.wait(0.2):
            samples.append((time.perf_counter() - t0, rss_kib()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    counter = QueryCounter()
    cpu = time.process_time()
    with connection.execute_wrapper(counter):
        status = jobs.execute(job.pk)
    elapsed_ms = (time.perf_counter() - t0) * 1000
    cpu = time.process_time() - cpu
    stop.set()
    sampler.join()
    peak_kib = rss_kib("VmHWM")
    job.refresh_from_db()
    if status != Job.Status.DONE:
        raise SystemExit(f"export job {status}: {job.error}")
    size = job.result.size
    job.result.delete(save=False)
    # RSS at a tenth, a quarter … of the run: flat means the rows do not stay in memory.
    picks = [samples[min(len(samples) - 1, int(len(samples) * f))] for f in (0.1, 0.25, 0.5, 0.75)]
    picks = [*picks, samples[-1]] if samples else []
    row = {
        "name": f"ledger export job ({job.total_count} rows)",
        "user": username,
        "target": "tuijin.projects.exports.ledger_export_job",
        "reps": 1,
        "p50_ms": round(elapsed_ms, 1),
        "p95_ms": round(elapsed_ms, 1),
        "max_ms": round(elapsed_ms, 1),
        "queries": counter.count,
        "queries_constant": True,
        "rows": job.total_count,
        "bytes": size,
        "cpu_ms": round(cpu * 1000, 1),
        "rss_start_mib": round(start_kib / 1024, 1),
        "rss_peak_mib": round(peak_kib / 1024, 1),
        "rss_growth_mib": round((peak_kib - start_kib) / 1024, 1),
        "rss_samples_mib": [round(kib / 1024) for _t, kib in picks],
        "rss_sampled_max_mib": round(max((kib for _t, kib in samples), default=0) / 1024, 1),
    }
    print(json.dumps(row))


# --------------------------------------------------------------------------------------
# The ledger import
# --------------------------------------------------------------------------------------


def write_import_file(path: Path, user, rows: int, rng: random.Random) -> dict:
    """A filled-in import template of `rows` rows: the template as users download it
    (``write_template``, its example row kept: the parser skips it), then one row in five
    updates a generated project (new stage, investment, this year's plan, 包保 leaders) and
    the others are new projects; one new project in five names an enterprise not yet in the
    ledger, the rest an existing one; tags are the generated ones plus two new."""
    from collections import Counter

    from django.utils import timezone
    from openpyxl import load_workbook

    from tuijin.org.models import Person, Unit, UnitKind
    from tuijin.projects.excel import HEADERS, write_template
    from tuijin.projects.models import Enterprise, Project, Stage

    with path.open("wb") as out:
        write_template(out, user)
    workbook = load_workbook(path)
    sheet = workbook["项目"]

    zone = demo_zone()
    in_zone = {"unit__path__startswith": zone.path}
    zone_people = list(
        Person.objects.filter(is_active=True, **in_zone).values_list("name", flat=True)
    )
    once = Counter(zone_people)
    leaders = sorted(name for name, n in once.items() if n == 1)  # no 姓名(单位) needed
    parks = list(Unit.objects.filter(kind=UnitKind.PARK, path__startswith=zone.path))
    departments = ["经济发展局", "招商局", "住建局", "自然资源和规划分局"]
    enterprises = list(Enterprise.objects.filter(**in_zone).values_list("name", flat=True))
    tags = [tag for _, tag in INDUSTRIES] + ["氢能", "数字经济"]
    stage_labels = [str(label) for label in Stage.labels]
    year = timezone.localdate().year
    existing = list(
        Project.objects.filter(**in_zone).select_related("park", "unit").order_by("pk")[: rows // 5]
    )
    counts = {"updates": 0, "creates": 0, "new_enterprises": 0}

    def cells(**by_header) -> list:
        values = dict.fromkeys(HEADERS)
        values.update(by_header)
        return [values[h] for h in HEADERS]

    for i in range(rows):
        if i % 5 == 0 and counts["updates"] < len(existing):
            project = existing[counts["updates"]]
            counts["updates"] += 1
            sheet.append(
                cells(
                    项目编号=project.code,
                    项目名称=project.name,
                    所属园区=project.park.name,
                    责任单位=project.unit.name,
                    项目阶段=rng.choice(stage_labels),
                    **{
                        "总投资(万元)": int(project.total_investment) + rng.randint(1, 900),
                        "计划年度": year,
                        "年度计划投资(万元)": rng.randint(100, 90_000),
                    },
                    包保领导="、".join(rng.sample(leaders, 2)),
                )
            )
            continue
        counts["creates"] += 1
        park = rng.choice(parks)
        word, _ = rng.choice(INDUSTRIES)
        if rng.random() < 0.2:
            enterprise = f"随州导入{i:05d}{word}有限公司"
            counts["new_enterprises"] += 1
        else:
            enterprise = rng.choice(enterprises)
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(-200, 500))
        sheet.append(
            cells(
                项目编号=f"IMP-{year}-{i:05d}",
                项目名称=f"{rng.choice(BRANDS)}{rng.choice(BRANDS)}{word}"
                f"{rng.choice(PROJECT_KINDS)}项目",
                所属园区=park.name,
                责任单位=rng.choice([*departments, park.name]),
                业主企业=enterprise,
                项目类别=rng.choice(["产业项目", "产业项目", "基础设施", "社会事业"]),
                项目阶段=rng.choice(stage_labels),
                重点级别=rng.choice(["", "区级重点", "市级重点"]) or None,
                建设内容=f"建设{word}{rng.choice(PROJECT_KINDS)},年产值约{rng.randint(1, 90)}亿元。",
                **{
                    "总投资(万元)": rng.randint(1_000, 500_000),
                    "计划年度": year,
                    "年度计划投资(万元)": rng.randint(100, 90_000),
                },
                计划开工=start,
                计划竣工=start + dt.timedelta(days=rng.randint(365, 1100)),
                建设地点=f"{park.name}{rng.choice(BRANDS)}{rng.choice(BRANDS)}路",
                包保领导=rng.choice(leaders),
                产业标签="、".join(rng.sample(tags, rng.choice([1, 1, 2]))),
            )
        )
    workbook.save(path)
    return counts


class FirstWrite:
    """An execute wrapper that notes when the first INSERT/UPDATE/DELETE is sent (the moment
    the apply's write transaction holds the database's write lock) and how long the database
    spends on the statements sent after it."""

    def __init__(self, started):
        self.started = started
        self.at = self.cpu_at = None
        self.sql_s = 0.0

    def __call__(self, execute, sql, params, many, context):
        if self.at is None and sql.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.at, self.cpu_at = time.perf_counter(), time.thread_time()
            self.started.set()
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.at is not None:
                self.sql_s += time.perf_counter() - start


def log_writer(started, outcome: dict) -> None:
    """Once the apply starts writing, save a work log through worklogs.services (as a user of
    the site would, on another connection) and note how long the save waited."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from tuijin.worklogs.models import WorkLog
    from tuijin.worklogs.services import write_log

    user = get_user_model().objects.get(username="jingfa_staff")
    try:
        if not started.wait(timeout=600):
            outcome["error"] = "the apply never wrote"
            return
        begin = time.perf_counter()
        outcome["began"] = begin
        try:
            write_log(
                user,
                kind=WorkLog.Kind.DAILY,
                date=timezone.localdate(),
                text="导入期间保存的工作日志",
                visits=[],
            )
            outcome["ok"] = True
        except Exception as exc:  # the figure to report: "database is locked" after 20 s
            outcome["ok"] = False
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        outcome["wait_ms"] = round((time.perf_counter() - begin) * 1000, 1)
    finally:
        connection.close()


def import_rows(args, leader) -> list[dict]:
    """The ledger import at its documented maximum: the file written from the template,
    parsed and applied as the zone leader, parse and apply timed apart, while a work log is
    saved from another thread."""
    import threading

    from django.db import connection

    from tuijin.projects.excel import parse_projects
    from tuijin.projects.models import AnnualPlan, Enterprise, Project

    path = Path(os.environ["TUIJIN_VAR_DIR"]) / "import.xlsx"
    counts = write_import_file(path, leader, args.import_rows, random.Random(2027))
    log(
        f"import file: {args.import_rows} rows ({counts['creates']} new, {counts['updates']} "
        f"updates, {counts['new_enterprises']} new enterprises), {path.stat().st_size} bytes"
    )
    before = {
        "projects": Project.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "plans": AnnualPlan.objects.count(),
    }

    counter = QueryCounter()
    with connection.execute_wrapper(counter), path.open("rb") as fh:
        cpu = time.thread_time()
        start = time.perf_counter()
        result = parse_projects(fh, leader, filename=path.name)
        parse_ms = (time.perf_counter() - start) * 1000
        cpu = time.thread_time() - cpu
    if result.errors:
        raise SystemExit("import parse: " + "; ".join(e.text for e in result.errors[:5]))
    parse_row = {
        "name": f"ledger import: parse {args.import_rows} rows",
        "user": "leader",
        "target": "tuijin.projects.excel.parse_projects",
        "reps": 1,
        "p50_ms": round(parse_ms, 1),
        "p95_ms": round(parse_ms, 1),
        "max_ms": round(parse_ms, 1),
        "queries": counter.count,
        "queries_constant": True,
        "rows": len(result.rows),
        "cpu_ms": round(cpu * 1000, 1),
    }
    log(f"import parse: {parse_ms:.0f} ms, CPU {cpu * 1000:.0f} ms, {counter.count} queries")

    started = threading.Event()
    outcome: dict = {}
    writer = threading.Thread(target=log_writer, args=(started, outcome))
    writer.start()
    counter = QueryCounter()
    first_write = FirstWrite(started)
    try:
        with connection.execute_wrapper(counter), connection.execute_wrapper(first_write):
            profile = cProfile.Profile() if args.import_profile else None
            cpu = time.thread_time()
            start = time.perf_counter()
            if profile:
                profile.enable()
            created, updated = apply_import(result, leader)
            end, cpu_end = time.perf_counter(), time.thread_time()
            cpu = cpu_end - cpu
            if profile:
                profile.disable()
                profile.dump_stats(args.import_profile)
    finally:
        started.set()  # the writer never waits for an apply that failed
        writer.join()
    apply_ms = (end - start) * 1000
    write_ms = (end - first_write.at) * 1000 if first_write.at else 0.0
    write_cpu_ms = (cpu_end - first_write.cpu_at) * 1000 if first_write.at else 0.0
    after = {
        "projects": Project.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "plans": AnnualPlan.objects.count(),
    }
    apply_row = {
        "name": f"ledger import: apply {args.import_rows} rows",
        "user": "leader",
        "target": "tuijin.projects.services.import_projects",
        "reps": 1,
        "p50_ms": round(apply_ms, 1),
        "p95_ms": round(apply_ms, 1),
        "max_ms": round(apply_ms, 1),
        "queries": counter.count,
        "queries_constant": True,
        "rows": len(result.rows),
        "created": created,
        "updated": updated,
        "cpu_ms": round(cpu * 1000, 1),
        "write_phase_ms": round(write_ms, 1),
        "write_phase_cpu_ms": round(write_cpu_ms, 1),
        "write_phase_sql_ms": round(first_write.sql_s * 1000, 1),
        "new": {key: after[key] - before[key] for key in after},
        "worklog_during_apply": outcome,
    }
    log(
        f"import apply: {apply_ms:.0f} ms, CPU {cpu * 1000:.0f} ms ({created} created, "
        f"{updated} updated; writing {write_ms:.0f} ms, CPU {write_cpu_ms:.0f} ms, "
        f"SQL {first_write.sql_s * 1000:.0f} ms), {counter.count} queries"
    )
    wait = outcome.get("wait_ms")
    log(
        f"work log saved during the apply: {'ok' if outcome.get('ok') else 'FAILED'} after "
        f"{wait} ms{'' if outcome.get('ok') else ' — ' + outcome.get('error', '')}"
    )
    outcome.pop("began", None)
    return [parse_row, apply_row]


def apply_import(result, user) -> tuple[int, int]:
    from tuijin.projects.services import import_projects

    outcome = import_projects(user, result)
    return outcome.created, outcome.updated


ASSESS_UNITS = 200  # A13: a month computed for 200 units takes under 30 s


def assessment_rows(args) -> list[dict]:
    """A13: ``assessment.services.compute_period`` for last month, the demo zone grown to
    ``ASSESS_UNITS`` assessed units: generated departments (a head and a cadre each) are added
    under the zone, and the lead unit of every 督办 item is spread over the units (item pk mod
    the count, one UPDATE per unit), so each leads the same share of the items (bigzone:
    50,000, ~250 each; a month's deadlines take about a sixth of them). Every cadre of the units
    is put on the weekend-log roster, so the 周末日志 indicator reads the generated logs. The
    first computation (no scores yet), then ``--job-reps`` recomputations, each replacing the
    scores before it, as the 督查室 does after a correction. Changes the data: alone only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db.models import F
    from django.utils import timezone

    from tuijin.assessment import services
    from tuijin.assessment.models import Period, UnitClass
    from tuijin.org.demo import ensure_unit
    from tuijin.org.models import Person, Role, Unit, UnitKind
    from tuijin.supervision.models import SupervisionItem
    from tuijin.worklogs.models import Duty

    zone = demo_zone()
    duban = get_user_model().objects.get(username="duban")
    assessed = Unit.objects.filter(
        path__startswith=zone.path, depth=zone.depth + 1, kind__in=UnitClass.values
    )
    have = assessed.count()
    User = get_user_model()
    unusable = make_password(None)
    for n in range(ASSESS_UNITS - have):
        unit = ensure_unit(f"考核测试局{n + 1:03d}", UnitKind.DEPARTMENT, zone, order=1000 + n)
        users = User.objects.bulk_create(
            [User(username=f"assess{n:03d}{r}", password=unusable) for r in "hc"]
        )
        Person.objects.bulk_create(
            [
                Person(name=f"考核{n + 1:03d}局长", unit=unit, role=Role.UNIT_HEAD, user=users[0]),
                Person(name=f"考核{n + 1:03d}干部", unit=unit, role=Role.CADRE, user=users[1]),
            ]
        )
    units = list(assessed.order_by("pk"))
    for index, unit in enumerate(units):
        SupervisionItem.objects.alias(slot=F("pk") % len(units)).filter(slot=index).update(
            lead_unit=unit
        )
    today = timezone.localdate()
    since = today - dt.timedelta(days=400)
    Duty.objects.bulk_create(
        [
            Duty(person=p, since=since)
            for p in Person.objects.filter(unit__in=units, role=Role.CADRE, log_duty=None)
        ]
    )
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    period = services.open_period(duban, month)
    start, end = month, (month + dt.timedelta(days=32)).replace(day=1)
    due = SupervisionItem.objects.filter(deadline__gte=start, deadline__lt=end).count()
    items = SupervisionItem.objects.count()
    log(f"assessment: {len(units)} units, {items} items, {due} due in {month:%Y-%m}")

    def forget():
        Period.objects.filter(pk=period.pk).update(computed_at=None)
        period.scores.all().delete()

    def compute():
        services.compute_period(duban, period.pk)
        return {"units": len(units), "items": items, "due_in_month": due}

    target = "tuijin.assessment.services.compute_period"
    name = f"assessment compute ({len(units)} units, {items} items)"
    return [
        measure(f"{name}: first", "duban", target, compute, 1, 0, forget),
        measure(f"{name}: again", "duban", target, compute, args.job_reps, 0),
    ]


def table(rows: list[dict]) -> str:
    lines = [
        "| measurement | user | p50 ms | p95 ms | max ms | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        extra = ""
        for key in ("changed", "deliveries", "rows"):
            if key in r:
                extra = f" ({key}: {r[key]})"
        if "rss_growth_mib" in r:
            extra += f" (peak RSS +{r['rss_growth_mib']} MiB)"
        lines.append(
            f"| {r['name']}{extra} | {r['user']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['max_ms']:.1f} | {r['queries']} |"
        )
    return "\n".join(lines)


def database_info() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return connection.vendor, cursor.fetchone()[0]


def analyze(vendor: str) -> None:
    """PostgreSQL: statistics now, as autovacuum would after the bulk load (so that
    refresh_lights and the pages are planned on them). SQLite: nothing (Django never runs
    ANALYZE there)."""
    if vendor != "postgresql":
        return
    from django.db import connection

    start = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"ANALYZE in {time.monotonic() - start:.1f}s")


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.export_child:
        export_child(args.export_child)
        return
    if args.scale == "province" and not args.db_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "--scale province needs PostgreSQL (its generator uses COPY): add "
            "--db-url postgres://postgres@127.0.0.1:5432/bench_province; "
            "on SQLite use --scale zone or bigzone"
        )
    var_dir = prepare_environment(args)
    created = create_database(args.db_url) if args.db_url else False
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db.models import Count
        from django.utils import timezone

        from tuijin.projects.models import Project
        from tuijin.projects.services import refresh_lights

        vendor, version = database_info()
        log(f"{args.scale} scale on {vendor} {version}; var dir {var_dir}")
        call_command("migrate", verbosity=0)
        # The manifest static storage of production needs collectstatic, as `make run` does.
        call_command("collectstatic", interactive=False, verbosity=0)
        log("migrated, static files collected")
        started = time.monotonic()
        counts = generate(args.scale, args.province_zones)
        analyze(vendor)
        changed = refresh_lights(Project.objects.all())
        log(f"first light computation: {changed} projects changed")
        lights = dict(Project.objects.order_by().values_list("light").annotate(n=Count("pk")))
        counts["lights"] = lights
        analyze(vendor)
        generation_s = round(time.monotonic() - started, 1)
        log(f"generated in {generation_s}s: lights {lights}")
        rows = benchmark(args)

        today = dt.datetime.now(dt.UTC).date()  # Django moved the process to TIME_ZONE
        result = {
            "date": today.isoformat(),
            "app_today": timezone.localdate().isoformat(),
            "scale": args.scale,
            "vendor": vendor,
            "database_version": version,
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "reps": args.reps,
            "job_reps": args.job_reps,
            "warmup": args.warmup,
            "generation_s": generation_s,
            "counts": counts,
            "results": rows,
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        kind = "-import" if args.import_only else "-export" if args.export_only else ""
        kind = "-assessment" if args.assessment_only else kind
        path = RESULTS_DIR / f"{today:%Y-%m-%d}-{args.scale}{kind}-{vendor}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        print()
        print(
            f"## {today} · {args.scale} scale · {vendor} {version} · {os.cpu_count()} cores · "
            f"{counts['projects']} projects, {counts['items']} 督办 items"
        )
        print()
        print(table(rows))
        print()
        log(f"results written to {path.relative_to(BASE_DIR)}")
    finally:
        if args.keep:
            log(f"kept {var_dir}" + (f" and {args.db_url}" if args.db_url else ""))
        else:
            if created:
                drop_database(args.db_url)
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
