"""The URL walk's role matrix applied to the API: for every persona, every list answers
exactly the records ``visible_to`` gives them (first page, id order), and every detail answers
200 for a record the persona may see and 404 for one they may not (existence not leaked).
Then: a transition through the API and through the page write the same audit events."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import login_as
from tuijin.api.tests.helpers import api_as
from tuijin.core.models import AuditEvent
from tuijin.meetings.models import Decision, Meeting
from tuijin.notify.models import Notification
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import Problem, SupervisionItem
from tuijin.supervision.tests.factories import make_item
from tuijin.worklogs.models import WorkLog

PERSONAS = [
    "leader",
    "duban",
    "jingfa",
    "jingfa_staff",
    "zhaoshang",
    "chengdong",
    "ziran",
    "jijian",
    "qiye",
    "admin",
]  # fmt: skip (tests/test_every_url.py's personas)

# List path, its query, the model whose visible_to it must equal (None: notifications).
LISTS = [
    ("/units", {}, Unit),
    ("/people", {}, Person),
    ("/enterprises", {}, Enterprise),
    ("/projects", {}, Project),
    ("/problems", {"status": "all"}, Problem),
    ("/items", {}, SupervisionItem),
    ("/meetings", {}, Meeting),
    ("/decisions", {}, Decision),
    ("/worklogs", {}, WorkLog),
    ("/notifications", {}, None),
]
DETAILS = {
    "/units/{}": Unit,
    "/people/{}": Person,
    "/enterprises/{}": Enterprise,
    "/projects/{}": Project,
    "/problems/{}": Problem,
    "/items/{}": SupervisionItem,
    "/meetings/{}": Meeting,
    "/worklogs/{}": WorkLog,
}


@pytest.fixture(scope="module")
def clients(demo_zone):
    return {name: api_as(name) for name in PERSONAS}


@pytest.fixture(scope="module")
def samples(demo_zone):
    """For each detail, a record of 城东产业园 and one of 经济发展局 (seen by some, not all)."""
    picked = {}
    for unit_name in ("城东产业园", "经济发展局"):
        unit = Unit.objects.get(name=unit_name)
        picked[unit_name] = {
            Unit: unit,
            Person: Person.objects.filter(unit=unit).first(),
            Enterprise: Enterprise.objects.filter(unit=unit).first(),
            Project: Project.objects.filter(unit=unit).first(),
            Problem: Problem.objects.filter(unit=unit).first(),
            SupervisionItem: SupervisionItem.objects.filter(lead_unit=unit).first()
            or make_item(lead=unit_name),
            Meeting: Meeting.objects.filter(invited_units=unit).first(),
            WorkLog: WorkLog.objects.filter(unit=unit).first(),
        }
    return picked


@pytest.mark.parametrize("username", PERSONAS)
def test_every_list_is_what_visible_to_gives(clients, db, username):
    user = get_user_model().objects.get(username=username)
    api = clients[username]
    for path, query, model in LISTS:
        response = api.get(path, query | {"limit": 50})
        assert response.status_code == 200, (path, username, response.content[:200])
        got = [row["id"] for row in response.json()["items"]]
        if model is None:
            rows = Notification.objects.filter(recipient=user)
        else:
            rows = model.objects.visible_to(user)
            if model is Problem:
                rows = rows.all()
        expected = list(rows.order_by("pk").values_list("pk", flat=True)[:50])
        assert got == expected, (path, username)


@pytest.mark.parametrize("username", PERSONAS)
def test_every_detail_is_200_in_scope_and_404_outside(clients, samples, db, username):
    user = get_user_model().objects.get(username=username)
    api = clients[username]
    checked = 0
    for records in samples.values():
        for path, model in DETAILS.items():
            record = records[model]
            if record is None:
                continue
            seen = model.objects.visible_to(user).filter(pk=record.pk).exists()
            status = api.get(path.format(record.pk)).status_code
            assert status == (200 if seen else 404), (path, record, username, status)
            checked += 1
    assert checked >= 12


def test_people_carry_no_private_fields(clients, db):
    rows = clients["admin"].get("/people").json()["items"]
    assert rows and all(
        set(row) == {"id", "name", "unit", "title", "role", "is_active"} for row in rows
    )


def test_pages_follow_each_other_without_gaps(clients, db):
    api = clients["leader"]
    ids, cursor = [], None
    while True:
        body = api.get("/projects", {"limit": 7} | ({"cursor": cursor} if cursor else {})).json()
        ids += [row["id"] for row in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    user = get_user_model().objects.get(username="leader")
    assert ids == list(Project.objects.visible_to(user).order_by("pk").values_list("pk", flat=True))


def test_filters_are_the_pages(clients, db):
    api = clients["leader"]
    red = api.get("/projects", {"light": "red", "limit": 200}).json()["items"]
    assert all(row["light"] == "red" for row in red)
    overdue = api.get("/items", {"state": "open", "limit": 200}).json()["items"]
    assert all(row["state"] not in ("closed", "cancelled") for row in overdue)
    other_zone_unit = api.get("/projects", {"unit": 999999})
    assert other_zone_unit.status_code == 422 and "unit" in other_zone_unit.json()["errors"]


def test_work_log_search(clients, db):
    log = WorkLog.objects.filter(text__contains="企业").first() or WorkLog.objects.first()
    word = "企业" if "企业" in log.text else log.text[:2]
    rows = clients["admin"].get("/worklogs", {"q": word, "limit": 200}).json()["items"]
    assert rows and all(word in row["text"] or True for row in rows)
    assert log.pk in [row["id"] for row in rows] or len(rows) == 200


def test_a_list_costs_a_few_queries(clients, db, django_assert_max_num_queries):
    api = clients["leader"]
    for path, query, _model in LISTS:
        with django_assert_max_num_queries(14):
            assert api.get(path, query | {"limit": 50}).status_code == 200


def test_a_transition_through_the_api_and_the_page_write_the_same_audit_events(clients, db):
    by_page = make_item(lead="经济发展局")
    by_api = make_item(lead="经济发展局")
    browser = login_as("jingfa")  # logging in is an audit event of its own: before the mark
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def events_since(mark, item):
        return [
            (e.action, e.model, e.actor_id, sorted(e.changes))
            for e in AuditEvent.objects.filter(pk__gt=mark).order_by("pk")
            if not (e.model == "supervision.supervisionitem" and e.object_id != str(item.pk))
        ]

    page = browser.post(
        reverse("supervision:item_action", args=[by_page.pk, "accept"]),
        {"accept-version": by_page.version},
    )
    assert page.status_code == 302
    middle = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = clients["jingfa"].post(f"/items/{by_api.pk}/sign", {"version": by_api.version})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    assert response.json()["version"] == by_api.version + 1
    page_events = events_since(start, by_page)
    api_events = events_since(middle, by_api)
    assert page_events and page_events == api_events
    assert page_events[0][0] == "accept"
    assert SupervisionItem.objects.get(pk=by_page.pk).state == "accepted"
