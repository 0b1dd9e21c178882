"""`make bench-http`: pages as a user gets them — gunicorn on loopback under wrk — side by side
with Django's admin changelist on the same filter and a raw-SQL floor, interleaved (B12).

    .venv/bin/python bench/loadtest.py [--scale zone|province] [--db-url URL] [--configs 1x2,8x4]

The data is bench/run.py's (same generator, same seed). gunicorn runs the production settings
(``DEBUG`` off, ``deploy/gunicorn.conf.py``) plus one reference page (`bench/benchsite`). Each
sample is one wrk run of ``--duration`` seconds; every case is sampled once per round and the
rounds interleave the cases, so a burst of load from elsewhere on the machine falls on all of
them alike: the ratios hold where single times don't. Results: Markdown and JSON under
``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import run as data  # bench/run.py: environment, database and generator
from livesite import GUNICORN, children_of, free_port, login

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
BENCH_ADMIN = ("bench_admin", "bench-admin-2026")  # made in the bench database only
T0 = time.monotonic()

# wrk reports only a few fixed percentiles; its Lua `done` hook gives any of them, as JSON.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "status_errors": %d, "other_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def log(text: str) -> None:
    print(f"[{time.monotonic() - T0:7.1f}s] {text}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(data.SCALES), default="zone")
    parser.add_argument(
        "--province-zones", type=int, default=100, help="zones at province scale (default 100)"
    )
    parser.add_argument("--db-url", default="", help="a database URL to create, fill and drop")
    parser.add_argument(
        "--configs",
        default="1x2,8x4",
        help="clients x gunicorn workers, comma-separated (default: 1 client on 2 workers, "
        "8 clients on 4)",
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk sample")
    parser.add_argument("--rounds", type=int, default=3, help="samples per case, interleaved")
    parser.add_argument(
        "--only",
        default="",
        help="run only the cases whose name holds this (several: comma-separated)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and var dir")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a PostgreSQL database an earlier --keep run filled (migrated, not "
        "regenerated; kept afterwards): before/after a change without 5 minutes of data",
    )
    args = parser.parse_args(argv)
    if args.reuse and not args.db_url:
        parser.error("--reuse needs --db-url")
    args.keep = args.keep or args.reuse
    return args


def prepare(args) -> tuple[Path, bool]:
    """bench/run.py's environment, database and data, then a bench admin for the changelist."""
    var_dir = data.prepare_environment(args)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    created = data.create_database(args.db_url) if args.db_url and not args.reuse else False
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from tuijin.projects.models import Project
    from tuijin.projects.services import refresh_lights

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.reuse:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        log(f"reusing the data of {args.db_url}")
        connection.close()
        return var_dir, False
    started = time.monotonic()
    counts = data.generate(args.scale, args.province_zones)
    refresh_lights(Project.objects.all())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"{args.scale} data generated in {time.monotonic() - started:.0f} s: {counts}")
    get_user_model().objects.create_superuser(BENCH_ADMIN[0], "", BENCH_ADMIN[1])
    connection.close()
    return var_dir, created


def cases() -> list[dict]:
    """(name, who, URL, variant) for every page measured; the references beside their page."""
    from django.urls import reverse

    from tuijin.projects.models import Light, Project, pinyin_key

    park = data.demo_unit("城东产业园")  # other zones have their own 经济发展局
    jingfa = data.demo_unit("经济发展局")
    project = Project.objects.filter(unit=jingfa).order_by("pk").first()
    search = pinyin_key("新能源").split()[1]
    # A 包保 leader of one of 经济发展局's items: the board filtered to them.
    baobao = (
        Project.leaders.through.objects.filter(project__items__lead_unit=jingfa)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .first()
    )

    def url(name, **params):
        return reverse(name) + ("?" + urlencode(params) if params else "")

    admin = reverse("admin:projects_project_changelist")
    red = {"park": park.pk, "light": Light.RED}
    # The floor reads the demo zone only, as its leader does (province scale has 100 zones;
    # the admin changelist cannot be limited to a zone: it reads them all).
    zone = {"zone": data.demo_zone().path}
    found = [
        ("ledger: first page", "leader", url("projects:project_list"), "app"),
        ("ledger: first page", BENCH_ADMIN[0], admin, "admin"),
        ("ledger: first page", "leader", "/bench/floor/ledger/?" + urlencode(zone), "floor"),
        ("ledger: park + red", "leader", url("projects:project_list", **red), "app"),
        (
            "ledger: park + red",
            BENCH_ADMIN[0],
            admin + "?" + urlencode({"park__id__exact": park.pk, "light__exact": Light.RED}),
            "admin",
        ),
        ("ledger: park + red", "leader", "/bench/floor/ledger/?" + urlencode(red | zone), "floor"),
        # The filter form's own request since B12: the table only (htmx), as the browser sends it.
        ("ledger: park + red", "leader", url("projects:project_list", **red), "htmx table"),
        (f"ledger: search {search}", "leader", url("projects:project_list", q=search), "app"),
        ("project detail", "leader", project.get_absolute_url(), "app"),
        ("督办 board: all", "leader", url("supervision:item_board"), "app"),
        ("督办 board: overdue", "leader", url("supervision:item_board", view="overdue"), "app"),
        (
            "督办 board: overdue",
            "leader",
            url("supervision:item_board", view="overdue"),
            "htmx table",
        ),
        (
            "督办 board: one 包保 leader",
            "leader",
            url("supervision:item_board", leader=baobao),
            "htmx table",
        ),
        ("督办 unit board", "leader", url("supervision:unit_board"), "app"),
        ("home", "leader", url("home"), "app"),
        ("ledger: first page", "jingfa_staff", url("projects:project_list"), "app"),
        ("project detail", "jingfa_staff", project.get_absolute_url(), "app"),
        ("督办 board: all", "jingfa_staff", url("supervision:item_board"), "app"),
        ("home", "jingfa_staff", url("home"), "app"),
        ("督办 unit board", "jingfa_staff", url("supervision:unit_board"), "app"),
        ("work logs: search 土地指标", "leader", url("worklogs:log_list", q="土地指标"), "app"),
        (
            "work logs: search 土地指标",
            "jingfa_staff",
            url("worklogs:log_list", q="土地指标"),
            "app",
        ),
        ("home", "duban", url("home"), "app"),  # 督查室
        ("home", "chengdong", url("home"), "app"),  # park staff
        ("home", "zhaoshang", url("home"), "app"),  # cadre
        # D16: the cockpit and the big screen's JSON (figures cached at most 5 minutes, so a
        # wrk run measures the cached page after its first request).
        ("cockpit", "leader", url("cockpit:index"), "app"),
        ("cockpit: data.json", "leader", url("cockpit:data"), "app"),
        ("cockpit", "chengdong", url("cockpit:index"), "app"),  # park head: the park's subtree
        # E14: the pipeline, its funnel and the factor balance sheet (20,000 leads at province
        # scale), as the zone leader and as the 招商局's cadre.
        ("investment: pipeline", "leader", url("investment:lead_list"), "app"),
        ("investment: funnel", "leader", url("investment:funnel"), "app"),
        ("investment: funnel", "zhaoshang", url("investment:funnel"), "app"),
        ("factors: sheet", "leader", url("factors:sheet"), "app"),
        ("factors: sheet", "chengdong", url("factors:sheet"), "app"),  # park staff: its park
    ]
    return [dict(zip(("name", "user", "url", "variant"), case, strict=True)) for case in found]


def headers_of(case: dict, cookie: str) -> dict:
    headers = {"Cookie": cookie}
    if case["variant"] == "htmx table":
        headers["HX-Request"] = "true"
    return headers


class Server:
    """gunicorn as deployed (deploy/gunicorn.conf.py) on a free loopback port."""

    def __init__(self, workers: int, var_dir: Path):
        self.workers, self.port = workers, free_port()
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
        env["PYTHONPATH"] = os.pathsep.join([str(BASE_DIR / "bench"), str(BASE_DIR)])
        self.log_path = var_dir / f"gunicorn-{workers}.log"
        self.out = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [
                GUNICORN,
                "-c",
                str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--max-requests",
                "0",
                "tuijin.wsgi:application",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 90) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                answer = requests.get(self.base_url + "/accounts/login/", timeout=5)
                if answer.ok and len(children_of(self.proc.pid)) >= self.workers:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer in {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.out.close()


def cookies_for(base_url: str, users: set[str]) -> dict[str, str]:
    """A logged-in session cookie per user, as a browser holds it."""
    import requests

    from tuijin.org.demo import DEMO_PASSWORD

    found = {}
    for user in sorted(users):
        session = requests.Session()
        password = BENCH_ADMIN[1] if user == BENCH_ADMIN[0] else DEMO_PASSWORD
        login(session, base_url, user, password)
        found[user] = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    return found


def check(base_url: str, case: dict, cookie: str) -> int:
    """The page answers 200 to its user (a redirect to the login page would time nothing)."""
    import requests

    answer = requests.get(
        base_url + case["url"], headers=headers_of(case, cookie), allow_redirects=False, timeout=120
    )
    if answer.status_code != 200:
        raise SystemExit(f"{case['name']} ({case['variant']}): {answer.status_code}")
    return len(answer.content)


def wrk(url: str, headers: dict, clients: int, seconds: int, script: Path) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(clients, 2)}",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            *(arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure(args, var_dir: Path) -> list[dict]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    script = var_dir / "report.lua"
    script.write_text(WRK_SCRIPT)
    wanted = args.only.split(",")
    all_cases = [c for c in cases() if any(w in c["name"] for w in wanted)]
    rows = []
    for config in args.configs.split(","):
        clients, workers = map(int, config.split("x"))
        server = Server(workers, var_dir)
        try:
            cookies = cookies_for(server.base_url, {c["user"] for c in all_cases})
            for case in all_cases:
                case["bytes"] = check(server.base_url, case, cookies[case["user"]])
            samples = {i: [] for i in range(len(all_cases))}
            for round_ in range(args.rounds):
                log(f"{clients} clients, {workers} workers: round {round_ + 1}/{args.rounds}")
                for i, case in enumerate(all_cases):
                    samples[i].append(
                        wrk(
                            server.base_url + case["url"],
                            headers_of(case, cookies[case["user"]]),
                            clients,
                            args.duration,
                            script,
                        )
                    )
            for i, case in enumerate(all_cases):
                got = samples[i]
                rows.append(
                    case
                    | {
                        "clients": clients,
                        "workers": workers,
                        "p50_ms": round(statistics.median(s["p50_us"] for s in got) / 1000, 1),
                        "p95_ms": round(statistics.median(s["p95_us"] for s in got) / 1000, 1),
                        "max_ms": round(max(s["max_us"] for s in got) / 1000, 1),
                        "rps": round(statistics.median(s["rps"] for s in got), 1),
                        "requests": sum(s["requests"] for s in got),
                        "errors": sum(s["status_errors"] + s["other_errors"] for s in got),
                    }
                )
        finally:
            server.stop()
    return rows


def with_ratios(rows: list[dict]) -> list[dict]:
    """The zone leader's pages' p50 against the admin changelist and the SQL floor on the same
    filter (both show every project, as the leader's ledger does)."""
    by_key = {(r["name"], r["clients"], r["workers"], r["variant"]): r for r in rows}
    for row in rows:
        if row["variant"] != "app" or row["user"] != "leader":
            continue
        for ref in ("admin", "floor"):
            other = by_key.get((row["name"], row["clients"], row["workers"], ref))
            if other and other["p50_ms"]:
                row[f"vs_{ref}"] = round(row["p50_ms"] / other["p50_ms"], 2)
    return rows


def markdown(rows: list[dict], header: str) -> str:
    lines = [
        header,
        "",
        "| page | user | variant | clients × workers | p50 ms | p95 ms | req/s | errors "
        "| × admin | × floor |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['user']} | {r['variant']} | {r['clients']} × {r['workers']} "
            f"| {r['p50_ms']} | {r['p95_ms']} | {r['rps']} | {r['errors']} "
            f"| {r.get('vs_admin', '')} | {r.get('vs_floor', '')} |"
        )
    return "\n".join(lines) + "\n"


def versions() -> dict:
    import django
    import gunicorn

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "database": " ".join(data.database_info()),
        "wrk": wrk_version.split("[")[0].strip(),
    }


def main(argv=None) -> None:
    args = parse_args(argv)
    var_dir, created = prepare(args)
    try:
        load_before = os.getloadavg()
        rows = with_ratios(measure(args, var_dir))
        load_after = os.getloadavg()
        from django.db import connection

        today = dt.datetime.now(dt.UTC).date()
        machine = {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after],
        }
        result = {
            "date": today.isoformat(),
            "scale": args.scale,
            "vendor": connection.vendor,
            "machine": machine,
            "versions": versions(),
            "duration_s": args.duration,
            "rounds": args.rounds,
            "results": rows,
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        name = f"{today:%Y-%m-%d}-http-{args.scale}-{connection.vendor}"
        if args.only:  # a partial run is written apart: it never overwrites the whole run's
            name += "-" + re.sub(r"\W+", "-", args.only, flags=re.ASCII).strip("-")
        stem = RESULTS_DIR / name
        stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        header = (
            f"## {today} · HTTP · {args.scale} scale · {result['versions']['database']} · "
            f"{machine['cores']} cores · load {machine['loadavg_before'][0]} → "
            f"{machine['loadavg_after'][0]} · wrk {args.rounds} × {args.duration} s per case"
        )
        text = markdown(rows, header)
        stem.with_suffix(".md").write_text(text)
        print("\n" + text)
        log(f"results written to {stem.relative_to(BASE_DIR)}.md/.json")
    finally:
        if args.keep:
            log(f"kept {var_dir}" + (f" and {args.db_url}" if args.db_url else ""))
        else:
            if created:
                data.drop_database(args.db_url)
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
