"""The problem list's 导出Excel: exactly the rows the list shows the user, filters included."""

import datetime as dt

from django.urls import reverse

from tuijin.core.tests.downloads import exported_rows
from tuijin.org.models import Person
from tuijin.projects.tests.factories import make_project
from tuijin.supervision import services
from tuijin.supervision.exports import PROBLEM_COLUMNS
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category

HEADER = tuple(header for header, _width, _kind in PROBLEM_COLUMNS)


def raise_on(unit: str, description: str, park: str = "青春化工园", **fields) -> Problem:
    """A problem raised by the unit's head on a project of that unit."""
    head = {"经济发展局": "jingfa", "城东产业园": "chengdong"}[unit]
    user = Person.objects.get(user__username=head).user
    project = make_project(name=f"{unit}的项目", unit=unit, park=park)
    problem = services.raise_problem(
        user, project=project, category=category(), description=description
    )
    if fields:
        Problem.objects.filter(pk=problem.pk).update(**fields)
    return problem


def exported(client, query: str = "") -> list[tuple]:
    return exported_rows(client, "supervision:problem_export", query)


def listed(client, query: str = "") -> set[str]:
    response = client.get(reverse("supervision:problem_list") + query)
    assert response.status_code == 200
    return {problem.description for problem in response.context["page"]}


def test_it_exports_the_header_and_one_row_per_listed_problem(org, staff):
    raise_on("经济发展局", "能耗指标不足,影响二期设备安装")
    raise_on("经济发展局", '=HYPERLINK("http://x","y")')  # stays text
    raise_on("经济发展局", "已解决的问题", status=Problem.Status.RESOLVED)
    header, *rows = exported(staff)
    assert header == HEADER
    shown = {"能耗指标不足,影响二期设备安装", '=HYPERLINK("http://x","y")'}
    assert {row[0] for row in rows} == listed(staff) == shown
    row = next(row for row in rows if row[0].startswith("能耗"))
    assert row[1:7] == (
        "征迁与违建",
        "经济发展局的项目",
        "经济发展局",
        "单位",
        "待解决",
        "直接提出",
    )
    assert row[7] == "张强"  # 提出人
    assert isinstance(row[8], dt.datetime)  # 提出日期 is an Excel date, not text
    assert not row[9] and row[10] is None  # not resolved


def test_an_outsiders_export_has_no_other_units_problem(org, staff, outsider):
    raise_on("经济发展局", "经发局的问题")
    raise_on("城东产业园", "城东的问题", park="城东产业园")
    _header, *rows = exported(outsider, "?status=all")
    assert [row[0] for row in rows] == ["城东的问题"]
    assert "经发局的问题" in {row[0] for row in exported(staff, "?status=all")[1:]}


def test_a_filter_narrows_the_rows_as_on_the_list(org, staff):
    raise_on("经济发展局", "单位层级的问题")
    raise_on("经济发展局", "领导层级的问题", level=Problem.Level.LEADER)
    raise_on("经济发展局", "已上报的问题", status=Problem.Status.REPORTED_UP)
    _header, *rows = exported(staff, "?level=leader")
    assert [row[0] for row in rows] == ["领导层级的问题"] == sorted(listed(staff, "?level=leader"))
    _header, *rows = exported(staff, "?status=reported_up")
    assert [row[0] for row in rows] == ["已上报的问题"]
    _header, *rows = exported(staff, "?status=all&page=2")  # all pages, whatever page is shown
    assert len(rows) == 3


def test_the_list_links_its_export_with_its_filters(org, staff):
    page = staff.get(reverse("supervision:problem_list") + "?level=leader&page=1")
    html = page.content.decode()
    assert "导出Excel" in html
    assert reverse("supervision:problem_export") + "?level=leader" in html
    assert "page=1" not in page.context["export_url"]


def test_the_export_query_count_does_not_grow_with_rows(org, staff, django_assert_max_num_queries):
    for number in range(30):
        raise_on("经济发展局", f"问题{number}")
    with django_assert_max_num_queries(10):
        _header, *rows = exported(staff)
    assert len(rows) == 30


def test_it_answers_get_only(org, staff):
    assert staff.post(reverse("supervision:problem_export")).status_code == 405
