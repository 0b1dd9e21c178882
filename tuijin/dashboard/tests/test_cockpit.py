"""The leaders' cockpit (D16): who may open it, what a unit head's figures hold, that every
figure agrees with the list it opens, constant queries, and the cache forgotten on writes."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import clear_cache, login_as
from tuijin.dashboard import metrics
from tuijin.dashboard.tests.cockpit import cockpit_json, empty_cache  # noqa: F401 (autouse)
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Light, Project
from tuijin.supervision.models import Problem, SupervisionItem

ALLOWED = ["leader", "duban", "jingfa", "chengdong", "admin"]
REFUSED = ["jingfa_staff", "zhaoshang", "jijian", "qiye"]
URLS = ["cockpit:index", "cockpit:screen", "cockpit:data"]
# Queries of the cockpit with nothing cached, on the demo: the session (read, and its
# update in a savepoint), the user, the person, the unit scope, the menu's and the figures
# (metrics.cockpit, twenty), and the E14 cards' twelve (dashboard.pipeline: the funnel's clock
# rules and leads, the factor sheet's access, rules, supply, allocations and demands). More
# records add none (test_more_records_add_no_query; test_cockpit_e14: more leads).
QUERIES = 29 + 12
# With the figures cached: the session (read and update), the user, the person, the scope.
CACHED_QUERIES = 7


@pytest.mark.parametrize("username", ALLOWED)
def test_leaders_supervisors_and_unit_heads_open_it(demo_zone, db, username):
    client = login_as(username)
    for name in URLS:
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("username", REFUSED)
def test_everyone_else_is_refused(demo_zone, db, username):
    client = login_as(username)
    for name in URLS:
        assert client.get(reverse(name)).status_code == 403, name


def test_the_page_embeds_the_json_the_screen_fetches(demo_zone, db):
    client = login_as("leader")
    page = client.get(reverse("cockpit:index")).content.decode()
    embedded = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', page)
    assert json.loads(embedded.group(1)) == client.get(reverse("cockpit:data")).json()


def unit_ids(data: dict) -> set[int]:
    """Every unit id a figure of the cockpit is about."""
    ids = {row["unit"] for row in data["duban"]["units"]}
    ids |= {row["unit"] for row in data["worklogs"]["units"]}
    ids |= {row["unit"] for row in (data["ranking"] or {"rows": []})["rows"]}
    return ids


@pytest.mark.parametrize("username", ["chengdong", "jingfa"])
def test_a_unit_heads_cockpit_holds_only_their_subtree(demo_zone, db, username):
    person = Person.objects.get(user__username=username)
    subtree = set(person.unit.subtree().values_list("pk", flat=True))
    data = cockpit_json(username)
    assert data["scope"] == f"unit-{person.unit_id}"
    assert unit_ids(data) <= subtree
    assert data["duban"]["units"], "the demo gives the unit items"
    # The counts are those of the subtree's own records.
    own = Project.objects.filter(Q(unit__in=subtree) | Q(park__in=subtree))
    assert data["lights"]["total"] == own.count()
    assert data["lights"]["red"] == own.filter(light=Light.RED).count()
    items = SupervisionItem.objects.filter(lead_unit__in=subtree)
    assert data["duban"]["open"] == items.open().count()
    # No other unit's name appears (the responsible unit named beside a lagging project of
    # the subtree's parks is the project's, not a figure).
    for row in data["lagging"]:
        row.pop("unit")
    # The E14 cards are scoped by their apps' own rules (a desk unit such as 经济发展局
    # sees every park's factors on the sheet): test_cockpit_e14.py holds them.
    data.pop("funnel")
    data.pop("factors")
    text = json.dumps(data, ensure_ascii=False)
    others = Unit.objects.exclude(pk__in=subtree).exclude(depth=1)
    parks_of_own = set(own.values_list("park__name", flat=True))
    leaked = [u.name for u in others if u.name in text and u.name not in parks_of_own]
    assert not leaked, leaked


def test_a_zone_leaders_cockpit_holds_the_zone(demo_zone, db):
    data = cockpit_json("leader")
    assert data["lights"]["total"] == Project.objects.count()
    assert data["duban"]["open"] == SupervisionItem.objects.open().count()
    assert data["problems"]["total"] == Problem.objects.count()
    assert {p["name"] for p in data["parks"]} >= {"青春化工园", "城东产业园"}


def count_of(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["count"]


def test_every_figure_agrees_with_the_list_it_opens(demo_zone, db):
    """The red bar of a park opens the ledger filtered to that park and red: as many rows as
    the bar says; so for every light of every park, stage, overdue unit and category."""
    client = login_as("leader")
    data = cockpit_json("leader")
    for park in data["parks"]:
        for light in ("red", "yellow", "green"):
            assert count_of(client, park["urls"][light]) == park[light], (park["name"], light)
        assert count_of(client, park["url"]) == park["total"]
    for light in ("red", "yellow", "green"):
        assert count_of(client, data["lights"]["urls"][light]) == data["lights"][light]
    for stage in data["stages"]:
        assert count_of(client, stage["url"]) == stage["n"], stage["stage"]
    for unit in data["duban"]["units"]:
        assert count_of(client, unit["url"]) == unit["overdue"], unit["name"]
    assert count_of(client, data["duban"]["urls"]["overdue"]) == data["duban"]["overdue"]
    assert count_of(client, data["duban"]["urls"]["open"]) == data["duban"]["open"]
    assert count_of(client, data["duban"]["urls"]["week"]) == data["duban"]["week"]
    assert count_of(client, data["duban"]["urls"]["on_time"]) == data["duban"]["on_time"]
    for category in data["problems"]["categories"]:
        assert count_of(client, category["url"]) == category["unresolved"], category["name"]
        assert count_of(client, category["all_url"]) == category["total"], category["name"]
    assert count_of(client, data["problems"]["urls"]["leader"]) == data["problems"]["leader"]


def test_every_number_of_the_problems_table_opens_as_many(demo_zone, db):
    """A number in the problems table that is a link opens a list of that many rows (the
    已解决 column once opened the category's whole list: 1 resolved, 3 listed)."""
    client = login_as("leader")
    html = client.get(reverse("cockpit:index")).content.decode()
    table = re.search(r'<table[^>]*id="problems-table".*?</table>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', table)
    assert links
    for url, n in links:
        assert count_of(client, url.replace("&amp;", "&")) == int(n), url


@pytest.mark.parametrize("username", ["leader", "duban", "jingfa", "chengdong"])
def test_the_big_screens_park_links_open(demo_zone, db, username):
    """The carousel's park name is a link: to the park page when the reader may open it (a
    department head may not: 404), else to the ledger filtered to the park."""
    client = login_as(username)
    response = client.get(reverse("cockpit:screen"))
    template = response.context["park_url"]
    parks = response.context["data"]["parks"]
    assert parks
    for park in parks:
        url = template.replace("999999999", str(park["park"])) if template else park["url"]
        assert client.get(url).status_code == 200, (username, url)


def test_the_home_page_and_the_board_say_the_same(demo_zone, db):
    client = login_as("leader")
    data = cockpit_json("leader")
    home = client.get("/")
    stats = {s.key: s.n for s in home.context["stats"]}
    assert stats["red"] == data["lights"]["red"]
    assert stats["yellow"] == data["lights"]["yellow"]
    assert stats["projects"] == data["lights"]["total"]
    assert stats["overdue"] == data["duban"]["overdue"]
    for park in home.context["parks"]:
        row = next((p for p in data["parks"] if p["park"] == park.pk), None)
        lights = {light: n for light, n, _url in park.light_links}
        assert lights == {k: row[k] for k in ("red", "yellow", "green") if row and row[k]}
    board = client.get(reverse("supervision:unit_board"))
    by_unit = {row["lead_unit"]: row for row in board.context["rows"]}
    for unit in data["duban"]["units"]:
        assert by_unit[unit["unit"]]["overdue"] == unit["overdue"]
        assert by_unit[unit["unit"]]["open"] == unit["open"]
    assert board.context["totals"]["overdue"] == data["duban"]["overdue"]


def test_the_heat_map_agrees_with_the_submissions_page(demo_zone, db):
    client = login_as("leader")
    data = cockpit_json("leader")
    last = data["worklogs"]["weekends"][-2]  # a weekend whose deadline has passed
    page = client.get(last["url"])
    tallies = {t.unit.pk: t for t in page.context["tallies"]}
    for row in data["worklogs"]["units"]:
        cell = row["cells"][-2]
        tally = tallies[row["unit"]]
        assert (cell["owed"], cell["submitted"]) == (tally.owed, tally.submitted), row["name"]


def queries_of(client) -> int:
    clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cockpit:index"))
    assert response.status_code == 200
    return len(queries)


def test_more_records_add_no_query(demo_zone, db):
    client = login_as("leader")
    client.get("/")  # the session's first use
    before = queries_of(client)
    assert before <= QUERIES
    item = SupervisionItem.objects.first()
    today = timezone.localdate()
    for n in range(5):
        project = Project.objects.order_by("pk")[n]
        project.pk = None
        project.code = f"MORE-{n}"
        project.light = Light.RED
        project.save()
        item.pk = None
        item.deadline = today - dt.timedelta(days=n + 1)
        item.save()
        Problem.objects.create(
            project=project,
            category_id=Problem.objects.first().category_id,
            description="更多",
            unit=project.unit,
            raised_at=timezone.now() - dt.timedelta(days=40 * n),
        )
    assert queries_of(client) == before


def test_cached_figures_cost_no_metric_query_and_are_forgotten_on_a_write(
    demo_zone, db, django_capture_on_commit_callbacks
):
    client = login_as("leader")
    client.get("/")
    clear_cache()
    client.get(reverse("cockpit:data"))
    with CaptureQueriesContext(connection) as queries:
        red = client.get(reverse("cockpit:data")).json()["lights"]["red"]
    assert len(queries) <= CACHED_QUERIES, [q["sql"][:120] for q in queries.captured_queries]
    project = Project.objects.exclude(light=Light.RED).first()
    with django_capture_on_commit_callbacks(execute=True):
        project.light = Light.RED
        project.save()
    assert client.get(reverse("cockpit:data")).json()["lights"]["red"] == red + 1


def test_a_unit_scope_is_its_subtree(demo_zone, db):
    park = Unit.objects.get(name="城东产业园")
    scope = metrics.Scope.of_unit(park)
    lights = metrics.light_totals(metrics.park_lights(scope))
    assert lights["total"] == Project.objects.filter(Q(unit=park) | Q(park=park)).count()


@pytest.mark.presentation
@pytest.mark.parametrize("username", ["leader", "chengdong"])
def test_the_cockpit_in_english_has_no_chinese_interface_text(demo_zone, db, settings, username):
    from lxml import html as lxml_html

    from tests.test_english import Runs, chinese_left

    settings.LANGUAGE_CODE = "en"
    runs = Runs()
    client = login_as(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in ("cockpit:index", "cockpit:screen"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        # The page's own text (the menu is every module's, checked by tests/test_english.py).
        tree = lxml_html.fromstring(response.content)
        main = tree.find(".//main")
        content = lxml_html.tostring(main if main is not None else tree)
        assert not chinese_left(content, runs), name


def test_the_trend_counts_an_item_overdue_until_it_closed(demo_zone, db):
    """An item due three weeks ago and closed late last week is overdue at the end of the
    weeks between, closed late in last week, and counts no more this week."""
    from tuijin.supervision.tests.factories import make_item

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    scope = metrics.Scope.of_unit(Unit.objects.get(name="经济发展局"))
    before = metrics.duban_trend(scope, today)
    make_item(
        assigned_on=monday - dt.timedelta(weeks=4),
        deadline=monday - dt.timedelta(weeks=3),
        state="closed",
        closed_on=monday - dt.timedelta(days=3),  # last week's Friday
        closed_on_time=False,
    )
    after = metrics.duban_trend(scope, today)
    overdue = [a["overdue"] - b["overdue"] for a, b in zip(after, before, strict=True)]
    late = [a["late"] - b["late"] for a, b in zip(after, before, strict=True)]
    # Weeks, oldest first; this week last. Due on the Monday three weeks back: overdue at the
    # end of that week and the next; closed during last week, so not overdue at its end.
    assert overdue[-5:] == [0, 1, 1, 0, 0]
    assert late[-5:] == [0, 0, 0, 1, 0]
