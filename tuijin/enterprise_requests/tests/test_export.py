"""The request list's 导出Excel and count: exactly the rows the list shows the user, filters
included, all pages."""

import datetime as dt

from django.urls import reverse

from tuijin.core.tests.downloads import exported_rows
from tuijin.enterprise_requests.exports import REQUEST_COLUMNS
from tuijin.enterprise_requests.models import EnterpriseRequest, State
from tuijin.enterprise_requests.tests.factories import handled, make_enterprise, raise_one

HEADER = tuple(header for header, _width, _kind in REQUEST_COLUMNS)


def exported(client, query: str = "") -> list[tuple]:
    return exported_rows(client, "enterprise_requests:request_export", query)


def listed(client, query: str = "") -> set[str]:
    response = client.get(reverse("enterprise_requests:request_list") + query)
    assert response.status_code == 200
    return {request.description for request in response.context["page"]}


def test_it_exports_the_header_and_one_row_per_listed_request(org, supervisor):
    enterprise = make_enterprise()
    handled(raise_one(enterprise, text="需增容至2×8000千伏安"))
    raise_one(enterprise, category="land", text='=HYPERLINK("http://x","y")')  # stays text
    header, *rows = exported(supervisor)
    assert header == HEADER
    assert {row[2] for row in rows} == listed(supervisor)
    assert {row[2] for row in rows} == {"需增容至2×8000千伏安", '=HYPERLINK("http://x","y")'}
    row = next(row for row in rows if row[2].startswith("需增容"))
    assert row[:2] == (enterprise.name, "用电用能")
    assert row[3:6] == (enterprise.projects.first().name, "经济发展局", "办理中")
    assert isinstance(row[6], dt.datetime)  # 提出日期 is an Excel date, not text
    assert isinstance(row[7], dt.datetime)  # 解决期限


def test_an_outsiders_export_has_no_other_units_request(org, supervisor, outsider):
    handled(raise_one(make_enterprise(), text="经发局承办的诉求"))
    chengdong = make_enterprise(unit_name="城东产业园")
    handled(raise_one(chengdong, text="城东承办的诉求"), to="城东产业园", handler="chengdong")
    _header, *rows = exported(outsider)
    assert [row[2] for row in rows] == ["城东承办的诉求"] == sorted(listed(outsider))
    assert "经发局承办的诉求" in {row[2] for row in exported(supervisor)[1:]}


def test_a_filter_narrows_the_rows_as_on_the_list(org, supervisor):
    enterprise = make_enterprise()
    handled(raise_one(enterprise, category="land", text="用地诉求"))
    handled(raise_one(enterprise, category="power", text="用电诉求"))
    raise_one(enterprise, category="power", text="待交办的用电诉求")
    _header, *rows = exported(supervisor, "?category=land")
    assert [row[2] for row in rows] == ["用地诉求"] == sorted(listed(supervisor, "?category=land"))
    query = "?category=power&state=handling"
    _header, *rows = exported(supervisor, query)
    assert [row[2] for row in rows] == ["用电诉求"] == sorted(listed(supervisor, query))


def test_the_count_and_the_export_cover_every_page(org, supervisor):
    enterprise = make_enterprise()
    for number in range(55):
        raise_one(enterprise, text=f"诉求{number}")
    page = supervisor.get(reverse("enterprise_requests:request_list") + "?page=2")
    assert page.context["count"] == 55
    assert "共 55 条诉求" in page.content.decode()
    assert len(page.context["page"]) == 5  # the second page of 50
    _header, *rows = exported(supervisor, "?page=2")  # all pages, whatever page is shown
    assert len(rows) == 55


def test_the_list_links_its_export_with_its_filters(org, supervisor):
    page = supervisor.get(reverse("enterprise_requests:request_list") + "?state=open&page=1")
    html = page.content.decode()
    assert "导出Excel" in html
    assert reverse("enterprise_requests:request_export") + "?state=open" in html
    assert "page=1" not in page.context["export_url"]


def test_the_export_query_count_does_not_grow_with_rows(
    org, supervisor, django_assert_max_num_queries
):
    enterprise = make_enterprise()
    for number in range(30):
        raise_one(enterprise, text=f"诉求{number}")
    assert EnterpriseRequest.objects.filter(state=State.SUBMITTED).count() == 30
    with django_assert_max_num_queries(10):
        _header, *rows = exported(supervisor)
    assert len(rows) == 30


def test_it_answers_get_only(org, supervisor):
    assert supervisor.post(reverse("enterprise_requests:request_export")).status_code == 405
