"""Park pages and unit pages (``dashboard/places.py``): scoped to who sees the unit's records
(another park's staff gets 404), every figure linking to its filtered list, the investment
curve also as a table, and a query count that does not grow with the records."""

import datetime as dt
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.org.models import Unit
from tuijin.projects.models import Light, Project, ProjectFile
from tuijin.projects.tests.factories import make_project, plan, report
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category, make_item

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)
PARK = "城东产业园"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def add_records(n: int, park: str = PARK) -> list:
    """``n`` projects of the park, each red with a plan, a report with a photo, an open item
    and a problem."""
    today = timezone.localdate()
    made = []
    for i in range(n):
        project = make_project(name=f"园区页测试项目{i}", park=park, unit=park)
        project.light = Light.RED
        project.save()
        plan(project, 1200)
        progress = report(project, today.replace(day=1), investment=100 * (i + 1))
        ProjectFile.objects.create(
            project=project,
            report=progress,
            kind=ProjectFile.Kind.PHOTO,
            file=ContentFile(PNG, name="现场.png"),
            original_name="现场.png",
            caption=f"园区页测试照片{i}",
        )
        make_item(lead=park, title=f"园区页测试事项{i}", deadline=today - dt.timedelta(days=1))
        Problem.objects.create(
            project=project,
            unit=project.unit,
            category=category("用工"),
            description=f"园区页测试问题{i}",
            raised_at=timezone.now(),
        )
        made.append(project)
    return made


@pytest.fixture(scope="module")
def records(module_db):
    return add_records(2)


def page(username: str, name: str, pk: int):
    return login_as(username).get(reverse(name, args=[pk]))


def test_a_park_page_is_its_readers_alone(records):
    park = unit(PARK)
    for name in ("leader", "duban", "jijian", "chengdong", "admin"):
        assert page(name, "places:park", park.pk).status_code == 200, name
    for name in ("jingfa", "jingfa_staff", "zhaoshang", "ziran", "qiye"):
        assert page(name, "places:park", park.pk).status_code == 404, name
    # Another park's staff: 404 for 城东产业园, their own park opens.
    qingchun = unit("青春化工园")
    assert page("chengdong", "places:park", qingchun.pk).status_code == 404
    # Not a park: 404 (its unit page is the one to open).
    assert page("leader", "places:park", unit("经济发展局").pk).status_code == 404


def test_a_park_page_shows_its_figures_each_a_link(records):
    park = unit(PARK)
    # A project of the park office standing in another park is that park's, as in the ledger.
    make_project(name="园区页测试别园项目", park="青春化工园", unit=PARK)
    response = page("chengdong", "places:park", park.pk)
    assert response.context["project_count"] == Project.objects.filter(park=park).count()
    html = response.content.decode()
    assert "园区页测试别园项目" not in html
    ledger = reverse("projects:project_list")
    assert f'href="{ledger}?light=red&amp;park={park.pk}"' in html
    assert f'href="{ledger}?park={park.pk}"' in html
    board = reverse("supervision:item_board")
    assert f"{board}?unit={park.pk}&amp;state=open" in html
    assert f"{board}?unit={park.pk}&amp;view=overdue" in html
    for project in records:
        assert project.name in html
    assert "园区页测试问题0" in html and "园区页测试事项1" in html
    photos = ProjectFile.objects.filter(project__in=records)
    for photo in photos:  # through the access-checked file views, never a media path
        assert f"/files/projects.projectfile/{photo.pk}/thumbnail/" in html
    data = json.loads(re.search(r'id="investment-data"[^>]*>(.*?)</script>', html, re.S)[1])
    assert data["plan"] == 2400.0 and data["completed"] == 300.0
    assert 'id="investment-table"' in html  # the figures as a table too


def test_a_unit_page_is_scoped_too(records):
    jingfa = unit("经济发展局")
    assert page("jingfa_staff", "places:unit", jingfa.pk).status_code == 200
    assert page("chengdong", "places:unit", jingfa.pk).status_code == 404
    assert page("qiye", "places:unit", jingfa.pk).status_code == 404
    html = page("chengdong", "places:unit", unit(PARK).pk).content.decode()
    assert reverse("worklogs:log_list") + f"?unit={unit(PARK).pk}" in html
    assert "园区页测试事项0" in html and 'id="trend-table"' in html


def test_the_pages_cost_the_same_with_more_records(records, django_assert_num_queries):
    park = unit(PARK)
    client = login_as("chengdong")
    counted = {}
    for name in ("places:park", "places:unit"):
        with CaptureQueriesContext(connection) as before:
            client.get(reverse(name, args=[park.pk]))
        counted[name] = len(before)
    add_records(3)
    for name, n in counted.items():
        with django_assert_num_queries(n):
            assert client.get(reverse(name, args=[park.pk])).status_code == 200
