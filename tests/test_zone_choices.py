"""Choice lists offer only the user's zone (V10): with a second zone beside the demo's (a park, a
department, a person who leads one of its projects, an enterprise), no page shows any of them in
a list of choices, for a zone-wide role or a unit's head, and posting one of their ids where our
zone's is saved writes nothing (a form error, or 404 for a record named in the request).

Every GET page of the URL walk is opened (a new page is checked as soon as it is classified
there), on sample records of 经济发展局 made here (no demo load). Admins see every zone, by design.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tests.test_bad_input import forms_of
from tests.test_every_url import build_records, classified, named_patterns, url_args
from tuijin.core.models import AuditEvent
from tuijin.org import services as org_services
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.worklogs.models import WorkLog

VIEWERS = ["leader", "duban", "jingfa"]  # zone-wide roles, and a unit's head


@dataclass
class OtherZone:
    zone: Unit
    park: Unit
    department: Unit
    person: Person
    project: object
    enterprise: object

    def names(self) -> set[str]:
        return {self.zone.name, self.park.name, self.department.name, self.person.name,
                self.project.name, self.enterprise.name}  # fmt: skip


@pytest.fixture
def other_zone(org) -> OtherZone:
    admin = Person.objects.get(user__username="admin").user
    zone = _unit(admin, "襄阳高新区", UnitKind.ZONE)
    park = _unit(admin, "东津产业园", UnitKind.PARK, zone)
    department = _unit(admin, "襄阳经发局", UnitKind.DEPARTMENT, zone)
    person = org_services.create_person(admin, name="欧阳锋", unit=park, role=Role.UNIT_HEAD)
    enterprise = make_enterprise(name="东津新材料公司", unit="东津产业园", park="东津产业园")
    project = make_project(name="东津新材料项目", unit="东津产业园", park="东津产业园")
    project.leaders.set([person])  # a 包保 leader: offered wherever leaders are
    project.enterprises.set([enterprise])
    return OtherZone(zone, park, department, person, project, enterprise)


def _unit(admin, name, kind, parent=None) -> Unit:
    return org_services.create_unit(admin, name=name, kind=kind, parent=parent)


@pytest.fixture
def records(org):
    """The URL walk's sample records, of 经济发展局 (build_records needs a project with an
    enterprise and a log of the unit; the demo is not loaded here)."""
    make_project(
        name="经发测试项目", unit="经济发展局", park="青春化工园", enterprises=[make_enterprise()]
    )
    author = Person.objects.get(user__username="jingfa_staff")
    WorkLog.objects.create(
        author=author,
        unit=author.unit,
        kind=WorkLog.Kind.DAILY,
        date=timezone.localdate(),
        text="走访企业",
        submitted_at=timezone.now(),
    )
    return build_records("经济发展局", "经发测试项目")


class Options(HTMLParser):
    """The text and value of every <option> of a page."""

    def __init__(self):
        super().__init__()
        self.options, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "option":
            self.inside = True
            self.options.append([dict(attrs).get("value") or "", ""])

    def handle_data(self, data):
        if self.inside:
            self.options[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self.inside = False


def options_of(response) -> list[str]:
    parser = Options()
    parser.feed(response.content.decode())
    return [text.strip() for _value, text in parser.options]


def get_pages(records) -> list[tuple[str, str]]:
    pages = []
    for name, _ in named_patterns():
        case = classified(name)
        if case.post_only or case.probe:
            continue
        pages.append(
            (name, reverse(name, args=url_args(records[case.record]) if case.record else []))
        )
    return pages


@pytest.mark.parametrize("username", VIEWERS)
def test_no_page_offers_another_zones_units_or_people(other_zone, records, username):
    client = login_as(username)
    names = other_zone.names()
    offered, leaks = 0, []
    for name, url in get_pages(records):
        response = client.get(url)
        assert response.status_code < 500, (name, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        options = options_of(response)
        offered += len(options)
        leaks += [f"{name}: {text}" for text in options if any(n in text for n in names)]
    assert not leaks, "another zone's units or people offered:\n" + "\n".join(leaks)
    assert offered > 100  # the pages with choices were reached


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("projects:project_list", {"park": "park", "leader": "person", "unit": "park"}),
        ("supervision:item_board", {"unit": "department", "leader": "person", "lead_unit": "park"}),
        ("worklogs:log_list", {"unit": "park", "author": "person", "project": "project"}),
    ],
)
def test_a_filter_refuses_another_zones_id(other_zone, leader, url, params):
    for param, what in params.items():
        response = leader.get(reverse(url), {param: getattr(other_zone, what).pk})
        assert response.status_code < 500, (url, param)
        assert param in response.context["filter"].errors, (url, param)


@dataclass(frozen=True)
class Post:
    """A form posted with our zone's id (saved) and then with the other zone's (refused)."""

    page: str  # the URL name of the page the form is on
    post: str  # the URL name it posts to
    field: str
    theirs: str  # attribute of OtherZone
    ours: object  # a function of the records: the id that is saved
    record: str | None = None  # which sample record the URLs take
    also: tuple = ()  # (field, value) the form needs besides, e.g. a person of the unit chosen


def person_pk(username):
    return lambda records: Person.objects.get(user__username=username).pk


def unit_pk(name):
    return lambda records: Unit.objects.get(name=name).pk


POSTS = [
    Post("projects:project_create", "projects:project_create", "park", "park",
         unit_pk("青春化工园")),
    Post("projects:project_create", "projects:project_create", "leaders", "person",
         person_pk("zhaoshang")),
    Post("projects:project_create", "projects:project_create", "unit", "park",
         unit_pk("经济发展局")),
    Post("projects:project_edit", "projects:project_edit", "leaders", "person",
         person_pk("zhaoshang"), "project"),
    Post("supervision:item_create", "supervision:item_create", "lead_unit", "department",
         unit_pk("经济发展局")),
    Post("supervision:item_create", "supervision:item_create", "co_units", "park",
         unit_pk("招商局")),
    Post("supervision:item_create", "supervision:item_create", "responsible", "person",
         person_pk("jingfa")),
    Post("supervision:item_create", "supervision:item_create", "project", "project",
         lambda records: records["project"].pk),
    Post("meetings:meeting_create", "meetings:meeting_create", "park", "park",
         unit_pk("青春化工园")),
    Post("meetings:meeting_create", "meetings:meeting_create", "chair", "person",
         person_pk("leader")),
    Post("meetings:meeting_create", "meetings:meeting_create", "invited_units", "department",
         unit_pk("经济发展局")),
    Post("meetings:meeting_detail", "meetings:decision_add", "decision-lead_unit", "department",
         unit_pk("经济发展局"), "meeting", also=(("decision-responsible", ""),)),
    Post("meetings:meeting_detail", "meetings:decision_add", "decision-co_units", "park",
         unit_pk("招商局"), "meeting"),
    Post("meetings:meeting_detail", "meetings:attendance_save", "attendance-present", "person",
         person_pk("jingfa"), "meeting"),
    Post("worklogs:roster", "worklogs:roster_add", "person", "person", person_pk("jingfa_staff")),
    Post("worklogs:roster", "worklogs:exemption_add", "person", "person",
         person_pk("leader")),  # the roster page shows the leader's own unit
]  # fmt: skip


@pytest.mark.parametrize("case", POSTS, ids=lambda case: f"{case.post}-{case.field}")
def test_posting_another_zones_id_is_refused(other_zone, records, leader, case):
    args = url_args(records[case.record]) if case.record else []
    page_url, post_url = reverse(case.page, args=args), reverse(case.post, args=args)
    (form,) = [f for f in forms_of(page_url, leader.get(page_url)) if f.action == post_url]
    data = {k: v for k, v in form.values.items() if k != "csrfmiddlewaretoken"} | dict(case.also)

    events = AuditEvent.objects.count()
    response = leader.post(post_url, data | {case.field: getattr(other_zone, case.theirs).pk})
    assert response.status_code in (200, 302, 400, 404), response.status_code
    assert AuditEvent.objects.count() == events, f"saved with another zone's {case.field}"

    response = leader.post(post_url, data | {case.field: case.ours(records)})
    assert AuditEvent.objects.count() > events, f"not saved with our zone's {case.field}"
