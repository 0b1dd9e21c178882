"""A live Tuijin on loopback for `make soak` and `make scan`: gunicorn and the Huey consumer.

One site per folder (``var/soak/sqlite`` …): a fresh database loaded with the demo (SQLite in
that folder, or a PostgreSQL database this module creates and drops), the production settings
(``DEBUG`` off, manifest static files, Argon2) except plain HTTP on 127.0.0.1, the task queue
on SQLite in the folder (``REDIS_URL`` is ignored), e-mail discarded. Nothing leaves the
machine: gunicorn binds 127.0.0.1 on a free port.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/soak"
T0 = time.monotonic()


def log(text: str) -> None:
    print(f"[{time.monotonic() - T0:7.1f}s] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_postgres(db_url: str) -> bool:
    return db_url.startswith(("postgres://", "postgresql://"))


def pg_admin(db_url: str):
    """A connection to the server's `postgres` database, and the named database (the soak's
    and bench/run.py's)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(db_url)
    conn = psycopg.connect(
        dbname="postgres",
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        autocommit=True,
    )
    return conn, cfg["NAME"]


def create_pg_database(db_url: str) -> None:
    """Create the database; an existing one is dropped first only if it is empty or was left
    by an earlier soak (it holds the demo zone and no other units): never someone's data."""
    from psycopg import sql

    conn, name = pg_admin(db_url)
    with conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            import psycopg

            with psycopg.connect(db_url) as db:
                tables = db.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                ).fetchone()[0]
                units = 0
                if tables:
                    try:
                        units = db.execute("SELECT count(*) FROM org_unit").fetchone()[0]
                    except psycopg.Error:
                        units = -1
            if tables and units != 23:  # 23: the demo zone's units (tuijin/org/demo.py)
                sys.exit(
                    f"database {name} exists and holds other data ({tables} tables); "
                    "drop it or name another with --db-url"
                )
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            log(f"dropped the leftover database {name}")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log(f"created PostgreSQL database {name}")


def drop_pg_database(db_url: str) -> None:
    from psycopg import sql

    conn, name = pg_admin(db_url)
    with conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    log(f"dropped PostgreSQL database {name}")


def read_rss_kb(pid: int) -> int | None:
    """VmRSS of a process in KiB (None if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def children_of(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(p) for p in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return sorted(kids)


@dataclass
class LiveSite:
    """A fresh demo site in `var_dir` on `db_url` ("" = SQLite in var_dir)."""

    name: str
    var_dir: Path
    db_url: str = ""
    workers: int = 2
    port: int = field(default_factory=free_port)
    procs: dict = field(default_factory=dict)
    logs: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def vendor(self) -> str:
        return "postgresql" if is_postgres(self.db_url) else "sqlite"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TUIJIN_TESTING"}}
        env.update(
            DJANGO_SETTINGS_MODULE="tuijin.settings",
            TUIJIN_VAR_DIR=str(self.var_dir),
            DATABASE_URL=self.db_url,
            DEBUG="0",
            SECRET_KEY_FILE=str(self.var_dir / "secret_key"),
            # The audit chain's key (V10): read by the code that knows it, ignored before.
            AUDIT_KEY_FILE=str(self.var_dir / "audit_key"),
            HTTPS="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.base_url,
            MEDIA_ROOT=str(self.var_dir / "media"),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, log_name: str = "setup.log", check: bool = True, timeout=900):
        with open(self.var_dir / log_name, "a") as out:
            return subprocess.run(
                [PYTHON, str(BASE_DIR / "manage.py"), *args],
                cwd=BASE_DIR,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=check,
                timeout=timeout,
            )

    def manage_output(self, *args: str, timeout=600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PYTHON, str(BASE_DIR / "manage.py"), *args],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def prepare(self) -> None:
        """A new folder and database, migrated, with the demo and the static files."""
        if self.var_dir.exists():
            shutil.rmtree(self.var_dir)
        self.var_dir.mkdir(parents=True)
        for key in ("secret_key", "audit_key"):
            path = self.var_dir / key
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        if is_postgres(self.db_url):
            create_pg_database(self.db_url)
        started = time.monotonic()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_demo")
        self.manage("collectstatic", "--noinput", "-v0")
        log(
            f"{self.name}: migrated, demo loaded, static collected in {time.monotonic() - started:.0f} s"
        )

    def start(self) -> None:
        env = self.env()
        for name, cmd in {
            "huey": [PYTHON, str(BASE_DIR / "manage.py"), "run_huey"],
            # deploy/gunicorn.conf.py as deployed, with 2 workers on a free loopback port and no
            # recycling: a worker replaced every ~2,000 requests would hide the growth we measure.
            "server": [
                GUNICORN,
                "-c",
                str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--max-requests",
                "0",
                "tuijin.wsgi:application",
            ],
        }.items():
            path = self.var_dir / f"{name}.log"
            self.logs[name] = path
            out = open(path, "ab")  # noqa: SIM115 (closed with the process in stop())
            self.procs[name] = (
                subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT),
                out,
            )
        self.wait_ready()
        log(f"{self.name}: gunicorn ({self.workers} workers) and Huey up at {self.base_url}")

    def wait_ready(self, timeout: float = 90) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.procs["server"][0]
            if server.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({server.returncode}); see {self.logs['server']}"
                )
            try:
                answer = requests.get(self.base_url + "/accounts/login/", timeout=5)
                if answer.status_code == 200 and len(self.worker_pids()) >= self.workers:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(
            f"the site did not answer within {timeout:.0f} s; see {self.logs['server']}"
        )

    @property
    def server_pid(self) -> int:
        return self.procs["server"][0].pid

    @property
    def huey_pid(self) -> int:
        return self.procs["huey"][0].pid

    def worker_pids(self) -> list[int]:
        return children_of(self.server_pid)

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, (proc, _out) in self.procs.items()}

    def stop(self) -> None:
        """gunicorn gets SIGTERM (graceful), the consumer SIGINT (finishes its tasks)."""
        for name, sig in (("server", signal.SIGTERM), ("huey", signal.SIGINT)):
            if name in self.procs and self.procs[name][0].poll() is None:
                self.procs[name][0].send_signal(sig)
        for _name, (proc, out) in self.procs.items():
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            out.close()
        self.procs.clear()

    def drop(self) -> None:
        if is_postgres(self.db_url):
            drop_pg_database(self.db_url)


def login(session, base_url: str, username: str, password: str) -> None:
    """Log a `requests.Session` in through the login page, as a browser does (CSRF cookie and
    the form's token, Origin and Referer headers)."""
    import re

    page = session.get(base_url + "/accounts/login/", timeout=60)
    page.raise_for_status()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    answer = session.post(
        base_url + "/accounts/login/",
        data={"csrfmiddlewaretoken": match[1], "username": username, "password": password},
        headers={"Referer": base_url + "/accounts/login/", "Origin": base_url},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "/accounts/" in answer.headers.get("Location", ""):
        raise RuntimeError(f"login as {username} failed: {answer.status_code}")
