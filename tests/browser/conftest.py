"""Browser tests: Playwright driving Debian's Chromium, headless, against a live test server.

Skipped, with the reason, where /usr/bin/chromium is not installed. Never downloads a browser.
Screenshots of failures land in test-output/.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Error as PlaywrightError

from tests.browser import serial
from tests.snapshot import Snapshot

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


# How long an action or an assertion waits for the page. Playwright's `expect` has its own
# default (5 s) apart from the context's; in CI two suites and two soaks share 2 cores, and a
# page that saves photos has been seen to take longer than 5 s there.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
    # around it are ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

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


def shoot(page, **kwargs) -> bytes:
    """``page.screenshot(**kwargs)``, asked again when Chromium refuses the capture: it sometimes
    answers "Unable to capture screenshot" once and takes the same picture a moment later (seen
    here on a phone page's full-page shot; robotframework-browser#5237 has the same)."""
    for _ in range(2):
        try:
            return page.screenshot(**kwargs)
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(200)
    return page.screenshot(**kwargs)


def shoot_if_failed(request, page, suffix: str = "") -> None:
    """A failed test's screen, as test-output/<test><suffix>.png."""
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        OUTPUT.mkdir(exist_ok=True)
        shoot(page, path=str(OUTPUT / f"{request.node.name}{suffix}.png"), full_page=True)


def _new_page(browser, request, **context_args):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    context.set_default_timeout(TIMEOUT_MS)
    violations = watch_csp(context, [])
    page = context.new_page()
    yield page
    shoot_if_failed(request, page)
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


_loaded = {}  # this worker's demo, as first loaded


def pytest_configure(config):
    """On SQLite the live server handles one request at a time (tests/browser/serial.py)."""
    if connection.vendor == "sqlite":
        settings.MIDDLEWARE = ["tests.browser.serial.SerialRequests", *settings.MIDDLEWARE]


@pytest.fixture
def demo(live_server):
    """The demo zone (随州高新区) behind a live server.

    Each journey starts from the freshly loaded demo (the live server's flush clears what the
    last one wrote). The first load in a worker is kept as a snapshot (tests/snapshot.py), and
    later journeys get it back in a fraction of a second instead of loading the demo again.
    """
    with serial.LOCK:  # no request of the last journey is still writing (serial.py)
        if "demo" in _loaded:
            _loaded["demo"].restore()
            return
        call_command("load_demo", verbosity=0)
        _loaded["demo"] = Snapshot()


@pytest.fixture
def session(browser, live_server, request):
    """Open a logged-in page for a user, each in their own browser context; phone-sized
    when asked. A failed journey leaves each user's screen in test-output/."""
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
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        watch_csp(context, violations)
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    yield open_as
    for n, context in enumerate(contexts):
        if context.pages:
            shoot_if_failed(request, context.pages[0], f"-{n}")
        context.close()
    fail_on_csp_violations(violations)


def open_form(page, verb):
    """Unfold an item action's form (each sits in a <details>, the first one open)."""
    page.eval_on_selector(f"#form-{verb}", "form => { form.closest('details').open = true; }")
