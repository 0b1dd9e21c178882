"""The visits page's 导出Excel: exactly the key enterprises or projects the page shows the
user, with its filters (对象, 仅看超期), all pages."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tuijin.core.tests.downloads import exported_rows
from tuijin.projects.models import KeyLevel
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.worklogs.exports import VISIT_COLUMNS
from tuijin.worklogs.tests.factories import SAT, local, make_log, visit_to

HEADER = tuple(header for header, _width, _kind in VISIT_COLUMNS)
MONDAY = local(SAT + dt.timedelta(days=2), 9)


def exported(client, query: str = "") -> list[tuple]:
    return exported_rows(client, "worklogs:visits_export", query)


def names(rows) -> list[str]:
    return [row[0] for row in rows]


def listed(client, query: str = "") -> list[str]:
    response = client.get(reverse("worklogs:visits") + query)
    assert response.status_code == 200
    return [record.name for record in response.context["page"]]


@pytest.mark.django_db
def test_it_exports_the_header_and_one_row_per_listed_record(org, leader):
    visited = make_enterprise("犇星新能源", is_key=True)
    make_enterprise("正丹化学", is_key=True)
    make_enterprise("不是重点的企业")
    make_log("jingfa_staff", visits=[visit_to(visited, purpose="听取诉求")])
    with time_machine.travel(MONDAY):
        header, *rows = exported(leader)
        assert names(rows) == listed(leader) == ["正丹化学", "犇星新能源"]  # never visited first
    assert header == HEADER
    never, seen = rows
    assert never[1:3] == ("经济发展局", "青春化工园")
    assert never[3] is None and never[7] is None and never[8] == "从未走访"
    assert isinstance(seen[3], dt.datetime) and seen[3].date() == SAT  # 最近走访, a date
    assert seen[5] == 1 and seen[7] == 2 and not seen[8]  # 本月 1 visit, 2 days ago


@pytest.mark.django_db
def test_an_outsiders_export_has_no_other_units_record(org, leader, outsider):
    make_enterprise("经发局的重点企业", is_key=True)
    make_enterprise("城东的重点企业", unit="城东产业园", park="城东产业园", is_key=True)
    _header, *rows = exported(outsider)
    assert names(rows) == ["城东的重点企业"] == listed(outsider)
    assert "经发局的重点企业" in names(exported(leader)[1:])


@pytest.mark.django_db
def test_a_filter_narrows_the_rows_as_on_the_page(org, leader):
    visited = make_enterprise("犇星新能源", is_key=True)
    make_enterprise("正丹化学", is_key=True)
    make_project("人才公寓", key_level=KeyLevel.CITY)
    make_log("jingfa_staff", visits=[visit_to(visited)])
    with time_machine.travel(MONDAY):
        assert names(exported(leader, "?stale=1")[1:]) == ["正丹化学"] == listed(leader, "?stale=1")
        query = "?kind=project"
        assert names(exported(leader, query)[1:]) == ["人才公寓"] == listed(leader, query)


@pytest.mark.django_db
def test_the_export_covers_every_page(org, leader):
    for number in range(55):
        make_enterprise(f"重点企业{number:02d}", is_key=True)
    assert len(listed(leader, "?page=2")) == 5  # 50 a page
    assert len(exported(leader, "?page=2")) == 1 + 55  # all pages, whatever page is shown


@pytest.mark.django_db
def test_the_page_links_its_export_with_its_filters(org, leader):
    page = leader.get(reverse("worklogs:visits") + "?kind=project&stale=1&page=1")
    html = page.content.decode()
    assert "导出Excel" in html
    assert reverse("worklogs:visits_export") + "?kind=project&amp;stale=1" in html
    assert "page=1" not in page.context["export_url"]


@pytest.mark.django_db
def test_the_export_query_count_does_not_grow_with_rows(org, leader, django_assert_max_num_queries):
    for number in range(30):
        make_enterprise(f"重点企业{number:02d}", is_key=True)
    with django_assert_max_num_queries(10):
        assert len(exported(leader)) == 31


@pytest.mark.django_db
def test_it_answers_get_only(org, leader):
    assert leader.post(reverse("worklogs:visits_export")).status_code == 405
