"""Browser tests: Playwright driving Debian's Chromium, headless, against a live test server.

Skipped, with the reason, where /usr/bin/chromium is not installed. Never downloads a browser.
Screenshots of failures land in test-output/.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from tests.browser import serial

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(config, items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"Debian's chromium is not installed ({CHROMIUM} missing)")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
    # around it are ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


# The page's own report of each Content-Security-Policy refusal, logged where Playwright hears
# it (Chromium also logs "Refused to …" itself); added before any script of the page runs.
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} refused ${e.blockedURI || "inline"}`
  + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`));"""


def watch_csp(context, violations: list[str]) -> list[str]:
    """Collect every Content-Security-Policy violation of the context's pages into violations
    (docs/security.md: a journey that trips the policy fails, so a new inline script or on…=
    handler is caught)."""
    context.add_init_script(CSP_REPORTER)

    def on_console(message):
        text, url = message.text, message.page.url if message.page else "?"
        if "/files/" in url:
            # A photo opened on its own: Chromium's image viewer styles itself inline, which the
            # file view's sandbox policy refuses; the photo shows just the same (not our page).
            return
        if "Content Security Policy" in text or text.startswith(("CSP violation", "Refused to")):
            violations.append(f"{url}: {text}")

    context.on("console", on_console)
    return violations


def fail_on_csp_violations(violations: list[str]) -> None:
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


def _new_page(browser, request, **context_args):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    context.set_default_timeout(15_000)
    violations = watch_csp(context, [])
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    context.close()
    fail_on_csp_violations(violations)


@pytest.fixture
def page(browser, request):
    """A desktop-sized page."""
    yield from _new_page(browser, request, viewport={"width": 1366, "height": 900})


@pytest.fixture
def phone(browser, request):
    """A phone-sized page (390 × 844)."""
    yield from _new_page(
        browser, request, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )


def log_in(page, live_server, username, password="tuijin2026"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server.url}/")


def keep_copy():
    """A copy of the database as it is now, on the same connection: on PostgreSQL each table
    copied into the schema demo_copy, on SQLite into an attached in-memory database of that
    name (the live server's threads share this one connection, so no other connection ever
    waits on a lock while the copy is written back)."""
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA database_list")
            if any(row[1] == "demo_copy" for row in cursor.fetchall()):
                cursor.execute("DETACH DATABASE demo_copy")
            cursor.execute("ATTACH DATABASE ':memory:' AS demo_copy")
            # AUTOINCREMENT counters, so new rows get the ids they got after the load.
            cursor.execute("CREATE TABLE demo_copy.sequences AS SELECT * FROM sqlite_sequence")
        else:
            cursor.execute("DROP SCHEMA IF EXISTS demo_copy CASCADE; CREATE SCHEMA demo_copy")
        for name in map(connection.ops.quote_name, tables):
            cursor.execute(f"CREATE TABLE demo_copy.{name} AS SELECT * FROM {name}")
    return {table: insertable_columns(table) for table in tables}


def insertable_columns(table: str) -> str:
    """The columns a copy writes back: on PostgreSQL not the generated ones (the work logs'
    stored ``search_vector``, which the database computes and refuses to be given)."""
    if connection.vendor == "sqlite":
        return "*"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [table],
        )
        return ", ".join(connection.ops.quote_name(row[0]) for row in cursor.fetchall())


def copy_is_kept() -> bool:
    """Whether this connection still holds the copy (SQLite's attached database lives as long
    as the connection: one opened anew since, e.g. by a fixture that closed it, has none)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA database_list")
            return any(row[1] == "demo_copy" for row in cursor.fetchall())
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'demo_copy'")
        return cursor.fetchone() is not None


def restore_copy(copy) -> None:
    names = {connection.ops.quote_name(table): columns for table, columns in copy.items()}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Checked at commit, when every table is back. The work-log search index follows
            # the rows through its triggers.
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for name in names:
                cursor.execute(f"DELETE FROM {name}")
                cursor.execute(f"INSERT INTO {name} SELECT * FROM demo_copy.{name}")
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.execute("INSERT INTO sqlite_sequence SELECT * FROM demo_copy.sequences")
            return
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferrable
        for name, columns in names.items():  # DELETE, not TRUNCATE (see conftest.py)
            cursor.execute(f"DELETE FROM {name}")
            cursor.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM demo_copy.{name}")
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


_loaded = {}  # this worker's demo, as first loaded


def pytest_configure(config):
    """On SQLite the live server handles one request at a time (tests/browser/serial.py)."""
    if connection.vendor == "sqlite":
        settings.MIDDLEWARE = ["tests.browser.serial.SerialRequests", *settings.MIDDLEWARE]


@pytest.fixture
def demo(live_server):
    """The demo zone (随州高新区) behind a live server.

    Each journey starts from the freshly loaded demo (the live server's flush clears what the
    last one wrote). The first load in a worker is kept as a copy, and later journeys get the
    copy back in a fraction of a second instead of loading the demo again.
    """
    connection.ensure_connection()
    with serial.LOCK:  # no request of the last journey is still writing (serial.py)
        if "demo" in _loaded and copy_is_kept():
            restore_copy(_loaded["demo"])
            ContentType.objects.clear_cache()  # ids as in the copy, not as after the flush
            return
        call_command("load_demo", verbosity=0)
        _loaded["demo"] = keep_copy()


@pytest.fixture
def session(browser, live_server):
    """Open a logged-in page for a user, each in their own browser context; phone-sized
    when asked."""
    contexts = []
    violations = []

    def open_as(username, phone=False):
        size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=size,
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        watch_csp(context, violations)
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()
    fail_on_csp_violations(violations)


def open_form(page, verb):
    """Unfold an item action's form (each sits in a <details>, the first one open)."""
    page.eval_on_selector(f"#form-{verb}", "form => { form.closest('details').open = true; }")
