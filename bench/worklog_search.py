"""`make bench-worklogs`: Chinese keyword search over a million work logs (issue W6).

    .venv/bin/python bench/worklog_search.py [--logs N] [--db-url URL] [--reps N]

Same isolation and measuring as bench/run.py, whose helpers it imports: SQLite lives in a
temporary directory (removed at the end), ``--db-url`` names a PostgreSQL database this
script creates and drops. It loads the demo org and 151 people, generates ``--logs`` work
logs whose ``search_text`` comes from ``tuijin.worklogs.search.index_text`` (what the app
writes), then times the log list (``/worklogs/?q=…``) and the raw ``search()`` queryset.
Results go to stdout and to ``var/bench/<date>-worklogs-<vendor>.json``. See bench/README.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script, only bench/ itself is on the path
    sys.path.insert(0, str(BASE_DIR))

from bench.run import (  # noqa: E402
    RESULTS_DIR,
    create_database,
    create_people,
    database_info,
    drop_database,
    log,
    measure,
    percentile,
    prepare_environment,
)

# --------------------------------------------------------------------------------------
# Vocabulary: every log is an opening ("到 X 现场办公"), an action, sometimes a problem, a
# figure and routine chores. Terms are drawn with fixed probabilities so that the searched
# terms have known selectivity (the real counts are measured and reported).
# --------------------------------------------------------------------------------------

RARE = "氢能重卡"  # in exactly RARE_LOGS logs
RARE_LOGS = 10
MEDIUM = "团结激光产业园"  # a demo project, the place of 1 % of logs
MEDIUM_P = 0.01
COMMON = "土地指标"  # in 土地指标短缺, a problem of 20 % of logs
COMMON_P = 0.20
ENERGY_P = 0.10  # 能耗指标不足: with 督促 (1 action in 7) the two-term AND query
OTHER_PROBLEM_P = 0.30
SCAN = "电"  # one character: no bigram, the substring scan

OPENINGS = [
    "周末深入",
    "今天到",
    "带队走访",
    "赴",
    "上午到",
    "下午前往",
    "陪同区领导到",
    "再次来到",
]
PURPOSES = ["现场办公", "现场调研", "了解项目推进情况", "查看施工进度", "对接企业负责人",
            "听取企业诉求", "开展包保服务"]  # fmt: skip
VERBS = ["协调", "督促", "走访", "解决", "对接", "跟踪", "落实"]
OBJECTS = ["施工单位加快主体施工", "相关部门明确办结时限", "供电公司尽快接入临时用电",
           "企业按期完成设备安装", "人社部门组织招聘专场", "园区做好场地平整",
           "金融机构对接流动资金贷款", "下周节点任务和责任人", "周边村组解决阻工问题"]  # fmt: skip
LAND = ["企业反映土地指标短缺", "项目仍受土地指标短缺制约", "协调解决土地指标短缺问题"]
ENERGY = ["二期设备安装受能耗指标不足影响", "企业反映能耗指标不足"]
PROBLEMS = ["用工紧张", "融资困难", "施工许可未办结", "进场道路未打通", "环评批复滞后",
            "设备款支付慢于计划", "绿电保障不优", "产业配套不强"]  # fmt: skip
CHORES = ["参加周调度会", "整理项目台账", "更新形象进度照片", "梳理下周节点任务",
          "向分管领导汇报", "核对月度投资数据", "填报项目入库资料", "陪同客商考察"]  # fmt: skip


def log_text(rng: random.Random, places: list[str], rare: bool) -> str:
    place = MEDIUM if rng.random() < MEDIUM_P else rng.choice(places)
    clauses = [f"{rng.choice(OPENINGS)}{place}{rng.choice(PURPOSES)}"]
    middle = [f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"]
    if rng.random() < COMMON_P:
        middle.append(rng.choice(LAND))
    if rng.random() < ENERGY_P:
        middle.append(rng.choice(ENERGY))
    if rng.random() < OTHER_PROBLEM_P:
        middle.append(f"企业反映{rng.choice(PROBLEMS)}")
    if rng.random() < 0.3:
        middle.append(f"现场施工人员{rng.randint(20, 400)}人、机械{rng.randint(2, 60)}台")
    rng.shuffle(middle)
    clauses += middle
    clauses += rng.sample(CHORES, rng.choice([0, 0, 1, 1, 2]))
    if rare:
        clauses.append(f"顺带了解{RARE}换电站选址需求")
    return ",".join(clauses) + "。"


# --------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", type=int, default=1_000_000, help="work logs to generate")
    parser.add_argument(
        "--db-url",
        default="",
        help="a database URL to create, fill and drop (default: SQLite in a temporary dir)",
    )
    parser.add_argument(
        "--batch", type=int, default=10_000, help="rows per bulk_create and transaction"
    )
    parser.add_argument(
        "--index-load",
        choices=["maintain", "rebuild"],
        default="maintain",
        help="maintain (default): keep the search index (FTS5 triggers, GIN) during the load, "
        "as the app does for every new log; rebuild: drop it before loading and build it once "
        "after (search.drop_index / create_index, plus FTS5 'rebuild' on SQLite), which "
        "measured no real gain (bench/README.md)",
    )
    parser.add_argument("--reps", type=int, default=20, help="timed repetitions per case")
    parser.add_argument(
        "--scan-reps", type=int, default=5, help="timed repetitions of the one-character scan"
    )
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before timing")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plans of the leader's count and page queries (PostgreSQL: EXPLAIN "
        "ANALYZE, which runs them once more)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated database and var dir"
    )
    parser.add_argument(
        "--no-raw",
        action="store_true",
        help="time only the list page, not the raw search() count and first 30 (an uncapped "
        "count of a common term takes seconds per run at 2,000,000 logs)",
    )
    parser.add_argument(
        "--reuse",
        metavar="VAR_DIR",
        default="",
        help="measure again a database kept by an earlier --keep run (the var dir it printed; "
        "with --db-url, PostgreSQL's database): migrate it (timed: new migrations run on the "
        "generated rows, as an upgrade would), ANALYZE, and measure, generating nothing",
    )
    return parser.parse_args(argv)


def generate(args) -> dict:
    """Demo org, bench people, then `args.logs` work logs with bulk_create, seeded."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tuijin.org.access import READ_ONLY_ROLES
    from tuijin.org.demo import load_org, load_people
    from tuijin.org.models import Role
    from tuijin.projects.demo import ENTERPRISES, PROJECTS
    from tuijin.worklogs import search
    from tuijin.worklogs.models import WorkLog, weekend_of

    rng = random.Random(2026)
    units = load_org()
    load_people(units)
    people = create_people(units, rng)
    authors = [p for p in people if p.role not in READ_ONLY_ROLES | {Role.LIAISON, Role.ADMIN}]
    log(f"demo org: {len(units)} units, {len(people)} people, {len(authors)} authors")

    places = [p["name"] for p in PROJECTS] + [e[0] for e in ENTERPRISES]
    places.remove(MEDIUM)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    days = 3 * 365
    saturdays = [
        d
        for d in (today - dt.timedelta(days=n) for n in range(days))
        if d.weekday() == 5 and d + dt.timedelta(days=1) <= today
    ]
    rare_at = set(rng.sample(range(args.logs), min(RARE_LOGS, args.logs)))

    timings = {}
    started = time.monotonic()
    if args.index_load == "rebuild":
        with connection.schema_editor() as editor:
            search.drop_index(editor)
    build_s = insert_s = 0.0
    done = 0
    chunk = []
    last_report, last_done = time.monotonic(), 0
    for i in range(args.logs):
        t = time.perf_counter()
        author = rng.choice(authors)
        if rng.random() < 0.7:  # mostly weekend logs, on Saturday or Sunday
            day = rng.choice(saturdays) + dt.timedelta(days=rng.randint(0, 1))
            kind = WorkLog.Kind.WEEKEND
        else:
            day = today - dt.timedelta(days=rng.randrange(days))
            kind = WorkLog.Kind.DAILY if day.weekday() < 5 else WorkLog.Kind.WEEKEND
        text = log_text(rng, places, i in rare_at)
        submitted = dt.datetime.combine(
            day, dt.time(rng.randint(8, 22), rng.randrange(60)), tzinfo=tz
        )
        chunk.append(
            WorkLog(
                author_id=author.pk,
                unit_id=author.unit_id,
                kind=kind,
                date=day,
                weekend=weekend_of(day),
                text=text,
                submitted_at=submitted,
                search_text=search.index_text(text),  # as services._index (no visits here)
            )
        )
        build_s += time.perf_counter() - t
        if len(chunk) == args.batch or i == args.logs - 1:
            t = time.perf_counter()
            with transaction.atomic():
                WorkLog.objects.bulk_create(chunk, batch_size=args.batch)
            insert_s += time.perf_counter() - t
            done += len(chunk)
            chunk = []
            now = time.monotonic()
            if now - last_report >= 15 or done == args.logs:
                log(
                    f"work logs: {done:,} ({(done - last_done) / (now - last_report):,.0f} rows/s "
                    f"lately, {done / (now - started):,.0f} rows/s overall)"
                )
                last_report, last_done = now, done
    timings |= {"build_s": round(build_s, 1), "insert_s": round(insert_s, 1)}

    if args.index_load == "rebuild":
        t = time.perf_counter()
        with connection.schema_editor() as editor:
            search.create_index(editor)  # the migration's DDL: FTS table and triggers, or GIN
        if connection.vendor == "sqlite":
            with transaction.atomic(), connection.cursor() as cursor:
                fts = search.SQLITE_FTS_TABLE
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        timings["index_s"] = round(time.perf_counter() - t, 1)
        log(f"search index built in {timings['index_s']}s")
    if connection.vendor == "postgresql":
        # What autovacuum does after a million inserts (statistics, visibility map, GIN
        # pending list), done now so that it does not run while the searches are timed.
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["vacuum_analyze_s"] = round(time.perf_counter() - t, 1)
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["generation_s"] = round(time.monotonic() - started, 1)
    log(
        f"{done:,} work logs in {timings['generation_s']}s "
        f"({done / timings['generation_s']:,.0f} rows/s; python {timings['build_s']}s, "
        f"bulk_create {timings['insert_s']}s, index {timings.get('index_s', '-')}s)"
    )
    return {"units": len(units), "people": len(people), "authors": len(authors), "logs": done} | {
        "timings": timings
    }


def reused(args, migrate_s: float) -> dict:
    """The counts of a kept database (nothing generated), after an ANALYZE."""
    from django.db import connection

    from tuijin.org.models import Person, Unit
    from tuijin.worklogs.models import WorkLog

    started = time.monotonic()
    if connection.vendor == "postgresql":  # as after generating; SQLite never gets one
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    analyze_s = round(time.monotonic() - started, 1)
    counts = {"units": Unit.objects.count(), "people": Person.objects.count()}
    counts["logs"] = args.logs = WorkLog.objects.count()
    log(f"reused: {counts['logs']:,} work logs; migrate {migrate_s}s, ANALYZE {analyze_s}s")
    timings = {"generation_s": 0, "reused": True, "migrate_s": migrate_s}
    return counts | {"timings": timings | {"analyze_s": analyze_s}}


def disk_sizes() -> dict:
    """Bytes on disk of the work log table, its indexes and the search index."""
    from django.db import connection

    from tuijin.worklogs.search import SQLITE_FTS_TABLE

    sizes = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            path = Path(connection.settings_dict["NAME"])
            sizes["database file"] = path.stat().st_size
            try:
                cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            except Exception:  # dbstat is a compile-time option
                return sizes
            for name, size in cursor.fetchall():
                if name.startswith(SQLITE_FTS_TABLE):
                    sizes["search index (FTS5)"] = sizes.get("search index (FTS5)", 0) + size
                    sizes[name] = size
                elif name.startswith(("worklogs_worklog", "worklog_")) or name in (
                    "sqlite_autoindex_worklogs_worklog_1",
                ):
                    sizes[name] = size
        else:
            cursor.execute(
                "SELECT pg_database_size(current_database()), "
                "pg_relation_size('worklogs_worklog'), "
                "pg_total_relation_size('worklogs_worklog')"
            )
            sizes["database"], sizes["worklogs_worklog (heap)"], sizes["table total"] = (
                cursor.fetchone()
            )
            cursor.execute(
                "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = 'worklogs_worklog'::regclass"
            )
            sizes |= dict(cursor.fetchall())
            cursor.execute(
                "SELECT pg_total_relation_size(reltoastrelid) FROM pg_class "
                "WHERE oid = 'worklogs_worklog'::regclass AND reltoastrelid <> 0"
            )
            if row := cursor.fetchone():
                sizes["toast"] = row[0]
    return sizes


# --------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------


class QueryTimer:
    """Times every query of a request (an execute wrapper, like bench/run.QueryCounter)."""

    def __init__(self):
        self.queries = []  # (sql, params, ms)

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, (time.perf_counter() - start) * 1000))

    def ms(self, kind: str) -> float:
        return sum(ms for sql, _params, ms in self.queries if kind_of(sql) == kind)

    def number(self, kind: str) -> int:
        return sum(1 for sql, _params, _ms in self.queries if kind_of(sql) == kind)


def kind_of(sql: str) -> str:
    """'count' for the paginator's COUNT(*) of logs, 'page' for the page of logs, else 'other'.

    The capped paginator's count is ``SELECT COUNT(*) FROM (SELECT … FROM "worklogs_worklog"
    … LIMIT 1001) subquery``: the COUNT(*) prefix is tested before the LIMIT of a page."""
    if 'FROM "worklogs_worklog"' not in sql:
        return "other"
    if sql.startswith("SELECT COUNT(*)"):
        return "count"
    # Not visible_to's `SELECT 1 AS "a" … LIMIT 1` (did a unit's cadre write elsewhere?).
    return (
        "page" if sql.startswith('SELECT "worklogs_worklog"."id"') and "LIMIT" in sql else "other"
    )


RESULT_COUNT = re.compile(r'id="result-count">[^<]*?(\d[\d,]*)')


def true_count(user, params: dict) -> int:
    """The uncapped count of what `user` finds with `params`: the view's own queryset
    (visibility, LogFilter, search) counted in full, once and untimed. The page shows at
    most views.COUNT_CAP ("超过 1000 篇")."""
    from django.test import RequestFactory

    from tuijin.worklogs.views import filtered_logs

    request = RequestFactory().get("/", params)
    request.user = user
    return filtered_logs(request)[1].count()


def cases(jingfa) -> list[tuple[str, dict, str]]:
    from django.utils import timezone

    today = timezone.localdate()
    recent = {"date_from": (today - dt.timedelta(days=90)).isoformat(), "date_to": today}
    return [
        ("no keyword (list baseline)", {}, "fast"),
        (f"rare term '{RARE}'", {"q": RARE}, "fast"),
        (f"medium term '{MEDIUM}'", {"q": MEDIUM}, "fast"),
        (f"common term '{COMMON}'", {"q": COMMON}, "fast"),
        ("two terms '能耗指标 督促'", {"q": "能耗指标 督促"}, "fast"),
        (f"'{COMMON}' + unit 经济发展局 + last 90 days", {"q": COMMON, "unit": jingfa.pk} | recent, "fast"),
        (f"one character '{SCAN}' (scan)", {"q": SCAN}, "scan"),
    ]  # fmt: skip


def raw_queryset(params: dict, unit=None):
    """search() over all logs, with the case's unit and date filters as LogFilter applies them."""
    from tuijin.worklogs.models import WorkLog
    from tuijin.worklogs.search import search

    queryset = search(WorkLog.objects.all(), params.get("q", ""))
    if "unit" in params:
        queryset = queryset.filter(unit__in=unit.subtree())
    if "date_from" in params:
        queryset = queryset.filter(date__gte=params["date_from"], date__lte=params["date_to"])
    return queryset


def explain(timer: QueryTimer) -> list[str]:
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for sql, params, _ms in timer.queries:
            if kind_of(sql) == "other":
                continue
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            else:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"-- {kind_of(sql)}: {sql}\n{plan}")
    return plans


def benchmark(args) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tuijin.org.models import Unit

    User = get_user_model()
    jingfa = Unit.objects.get(name="经济发展局")
    clients, users = {}, {}
    for username in ("leader", "jingfa_staff"):
        users[username] = User.objects.get(username=username)
        clients[username] = Client()
        clients[username].force_login(users[username])
    rows = []
    for name, params, speed in cases(jingfa):
        reps = args.scan_reps if speed == "scan" else args.reps
        url = reverse("worklogs:log_list") + ("?" + urlencode(params) if params else "")
        for username, client in clients.items():
            timers = []

            def get(url=url, client=client, name=name, timers=timers):
                timer = QueryTimer()
                with connection.execute_wrapper(timer):
                    response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: GET {url} answered {response.status_code}")
                timers.append(timer)
                found = RESULT_COUNT.search(response.content.decode())
                shown = int(found.group(1).replace(",", "")) if found else None
                return {"bytes": len(response.content), "shown": shown}

            row = measure(name, username, url, get, reps, args.warmup)
            timed = timers[-reps:]
            if any(t.number("count") != 1 or t.number("page") > 1 for t in timed):
                raise SystemExit(f"{name}: expected one count and at most one page query")
            row["matches"] = true_count(users[username], params)
            for kind in ("count", "page"):
                row[f"{kind}_ms_p50"] = round(percentile([t.ms(kind) for t in timed], 50), 1)
            row["sql_ms_p50"] = round(
                percentile([sum(q[2] for q in t.queries) for t in timed], 50), 1
            )
            log(
                f"  sql p50 {row['sql_ms_p50']} ms: count {row['count_ms_p50']} ms, "
                f"page {row['page_ms_p50']} ms; {row['matches']} matches, page shows "
                f"{row['shown']}"
            )
            if args.explain and username == "leader":
                row["plans"] = explain(timed[-1])
                print("\n\n".join(row["plans"]), flush=True)
            rows.append(row)

        def count(params=params):
            return {"matches": raw_queryset(params, jingfa).count()}

        def first_page(params=params):
            return {"rows": len(list(raw_queryset(params, jingfa)[:30]))}

        if args.no_raw:
            continue
        target = "tuijin.worklogs.search.search"
        rows.append(measure(name, "raw count()", target, count, reps, args.warmup))
        rows.append(measure(name, "raw first 30", target, first_page, reps, args.warmup))
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| case | user | matches | p50 ms | p95 ms | max ms | count ms | page ms | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        matches = f"{r['matches']:,}" if r.get("matches") is not None else ""
        count_ms = f"{r['count_ms_p50']:.1f}" if "count_ms_p50" in r else ""
        page_ms = f"{r['page_ms_p50']:.1f}" if "page_ms_p50" in r else ""
        lines.append(
            f"| {r['name']} | {r['user']} | {matches} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['max_ms']:.1f} | {count_ms} | {page_ms} | {r['queries']} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    var_dir = prepare_environment(args)
    if args.reuse:
        shutil.rmtree(var_dir, ignore_errors=True)
        var_dir = Path(args.reuse)
        os.environ["TUIJIN_VAR_DIR"] = str(var_dir)
        os.environ["MEDIA_ROOT"] = str(var_dir / "media")
        created = False
    else:
        created = create_database(args.db_url) if args.db_url else False
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        vendor, version = database_info()
        what = "a kept database" if args.reuse else f"{args.logs:,} work logs"
        log(f"{what} on {vendor} {version}; var dir {var_dir}")
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        migrate_s = round(time.monotonic() - started, 1)
        call_command("collectstatic", interactive=False, verbosity=0)
        log(f"migrated in {migrate_s}s, static files collected")
        counts = reused(args, migrate_s) if args.reuse else generate(args)
        sizes = disk_sizes()
        for name, size in sizes.items():
            log(f"on disk: {name} {size / 2**20:,.1f} MiB")
        rows = benchmark(args)

        today = dt.datetime.now(dt.UTC).date()  # Django moved the process to TIME_ZONE
        result = {
            "date": today.isoformat(),
            "app_today": timezone.localdate().isoformat(),
            "vendor": vendor,
            "database_version": version,
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "logs": args.logs,
            "batch": args.batch,
            "index_load": args.index_load,
            "reps": args.reps,
            "scan_reps": args.scan_reps,
            "warmup": args.warmup,
            "counts": counts,
            "disk_bytes": sizes,
            "results": rows,
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{today:%Y-%m-%d}-worklogs-{vendor}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        timings = counts["timings"]
        print()
        print(
            f"## {today} · work log search · {vendor} {version} · {os.cpu_count()} cores · "
            f"{counts['logs']:,} logs generated in {timings['generation_s']}s "
            f"(index load: {args.index_load})"
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
