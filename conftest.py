"""Shared fixtures: the demo organisation and one logged-in client per role (personas).

The organisation (units and persona users) is loaded once per test database, in
`django_db_setup`, and every test rolls back to it: no test pays for building it. Tests that
flush the database (`transactional_db`, `live_server`) get it back right after their flush.
`module_db` and `demo_zone` share heavier data (the whole demo) across one module's tests.
"""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from tests.snapshot import Snapshot
from tuijin.org import demo
from tuijin.org.models import Unit

# Units in the order demo.load_org builds them (the `org` fixture's dict keeps that order).
ORG_UNITS = [
    demo.ZONE,
    *demo.DEPARTMENTS,
    *demo.PARKS,
    *(name for town, (_, villages) in demo.TOWNS.items() for name in (town, *villages)),
    *demo.COMMUNITIES,
]


def load_org() -> dict[str, Unit]:
    """Idempotent: the demo zone and its persona users, loaded if missing."""
    units = demo.load_org()
    demo.load_people(units)
    return units


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    # A test database is thrown away: PostgreSQL need not wait for the disk at each commit
    # (the live server and the transactional tests commit thousands of times a run).
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete_on_postgresql():
    """A test's flush (transactional tests, browser journeys) empties the tables with DELETE on
    PostgreSQL instead of TRUNCATE: a test database holds a few thousand rows, and TRUNCATE's
    fixed cost per table (new files for ~100 tables and their indexes) made each journey's
    flush take 3-8 s against ~0.3 s. Foreign keys are deferred to the commit, so the order of
    the tables does not matter; sequences are reset only where TRUNCATE would have been asked
    to (reset_sequences), by Django's own statement."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {quote(t)}" for t in tables)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_org()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # A transactional test ends with a flush (after its fixtures are torn down, i.e. after
    # this `yield`), which also removes the session's organisation: put it back, committed.
    result = yield
    if nextitem is None:  # the session's databases are already gone with its last fixtures
        return result
    marker = item.get_closest_marker("django_db")
    flushed = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    if flushed or (marker and marker.kwargs.get("transaction")):
        with item.config.stash[blocking_manager_key].unblock():
            if not Unit.objects.filter(name=demo.ZONE).exists():
                load_org()
    return result


# What shows a test may touch the database (pytest-django blocks it for every other test) or
# the configured queue (`real_queue` fixtures).
SERVICE_FIXTURES = {
    *("_django_db_helper", "db", "transactional_db", "live_server"),
    "real_queue",
}


def uses_the_configured_services(item) -> bool:
    """Whether the test can touch the database or the queue the run is configured with: a
    database fixture or mark, a queue fixture, or a subprocess (`slow`: it inherits
    DATABASE_URL and REDIS_URL). A `presentation` test (how a page or file looks) uses the
    database only to have something to show: the first run has looked at it already."""
    if item.get_closest_marker("presentation"):
        return False
    return bool(
        SERVICE_FIXTURES & set(getattr(item, "fixturenames", ()))
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("slow")
    )


def pytest_addoption(parser):
    parser.addoption(
        "--services-only",
        action="store_true",
        help="run only the tests that touch the database or the queue (CI's second run, on "
        "PostgreSQL + Redis: the others would repeat the first run to the letter)",
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--services-only"):
        repeated = [item for item in items if not uses_the_configured_services(item)]
        if repeated:
            config.hook.pytest_deselected(items=repeated)
            items[:] = [item for item in items if uses_the_configured_services(item)]
    # Within a module, the tests that share `module_db` data run after its other tests, so those
    # never run while that data is there. Nothing else moves: pytest-django (tryfirst) has put
    # the transactional tests, which flush the database, last.
    items[:] = shared_data_last(items, lambda item: "module_db" in item.fixturenames)


def shared_data_last(items: list, shares) -> list:
    """``items`` with, in each module, the items that ``shares`` moved after the module's last
    other item; the others keep their order. Shared items already after it stay where they are
    (once held, they would never be released: a module's tests silently not run)."""
    last_other = {getattr(item, "module", None): item for item in items if not shares(item)}
    held, ordered, released = {}, [], set()
    for item in items:
        module = getattr(item, "module", None)
        if shares(item) and module in last_other and module not in released:
            held.setdefault(module, []).append(item)
            continue
        ordered.append(item)
        if last_other.get(module) is item:
            ordered.extend(held.pop(module, []))
            released.add(module)
    return ordered


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request in English (a test of the English
    UI) leaves English active in the thread for whatever runs next in the worker."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def org(db):
    """The demo zone (随州高新区) with its units and one user per role; returns units by name."""
    by_name = {unit.name: unit for unit in Unit.objects.filter(name__in=ORG_UNITS)}
    if len(by_name) < len(ORG_UNITS):  # a test flushed it and nobody reloaded: load it here
        return load_org()
    return {name: by_name[name] for name in ORG_UNITS}


@contextmanager
def kept_until_rollback():
    """One transaction per database, rolled back on exit: what is written inside is shared by
    the tests that run inside it (each still rolls back its own changes to a savepoint)."""
    atomics = [transaction.atomic(using=alias) for alias in connections]
    for atomic in atomics:
        atomic.__enter__()
    try:
        yield
    finally:
        for alias in connections:
            transaction.set_rollback(True, using=alias)
        for atomic in reversed(atomics):
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Data written by module-scoped fixtures that request this is shared by the module's tests
    and rolled back after the module. Only for modules whose tests all accept that data (a test
    there that wants an empty zone runs, by file order, before the first one that asks for it)."""
    with django_db_blocker.unblock(), kept_until_rollback():
        yield


_demo = {}  # this worker's first load of the demo, as a snapshot (tests/snapshot.py)


@pytest.fixture(scope="module")
def demo_zone(module_db):
    """The whole demo (`manage.py load_demo`) for the module: loaded by the worker's first
    module that asks, and written back from that snapshot for the next ones (well under a
    second against ~10 s for a load)."""
    if "demo" in _demo:
        _demo["demo"].restore()
        return
    call_command("load_demo", verbosity=0)
    _demo["demo"] = Snapshot()


def login_as(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def leader(org):
    """Zone leader: sees the whole zone."""
    return login_as("leader")


@pytest.fixture
def supervisor(org):
    return login_as("duban")


@pytest.fixture
def unit_head(org):
    """Head of 经济发展局."""
    return login_as("jingfa")


@pytest.fixture
def staff(org):
    """Staff of 经济发展局."""
    return login_as("jingfa_staff")


@pytest.fixture
def outsider(org):
    """Head of 城东产业园: another unit than the staff persona's."""
    return login_as("chengdong")


@pytest.fixture
def inspector(org):
    return login_as("jijian")


@pytest.fixture
def liaison(org):
    return login_as("qiye")


@pytest.fixture
def admin_client_(org):
    return login_as("admin")


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def clear_cache() -> None:
    """Empty this test process's cache. On Redis only this worker's keys (its KEY_PREFIX,
    settings.py): ``cache.clear()`` would flush the database that the other workers' caches and
    task queues share."""
    from django.core.cache import cache

    config = settings.CACHES["default"]
    if config["BACKEND"].endswith("RedisCache") and config.get("KEY_PREFIX"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{config['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
