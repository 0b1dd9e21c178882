"""The pipeline list's 导出Excel: exactly the leads the list shows the user, with the list's
filters (仅看超时 included) and all its pages; the count covers every page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.core.tests.downloads import exported_rows
from tuijin.investment.models import LeadStage
from tuijin.investment.tests.factories import make_lead, move, unit

RECEIVED = dt.date(2026, 11, 2)


def exported(client, query: str = "") -> list[tuple]:
    return exported_rows(client, "investment:leads_xlsx", query)


def names(rows) -> list[str]:
    return [row[0] for row in rows]


def listed(client, query: str = "") -> list[str]:
    response = client.get(reverse("investment:lead_list") + query)
    assert response.status_code == 200
    return [lead.name for lead in response.context["leads"]]


@pytest.mark.django_db
def test_it_exports_the_header_and_one_row_per_listed_lead(org, leader):
    make_lead("导出锂电项目", received_on=RECEIVED, industry_chain="新能源")
    make_lead('=HYPERLINK("http://x","y")', received_on=RECEIVED)  # stays text
    header, *rows = exported(leader)
    assert header[0] == "项目名称" and header[-1] == "超时"
    assert names(rows) == listed(leader)
    assert set(names(rows)) == {"导出锂电项目", '=HYPERLINK("http://x","y")'}
    row = dict(zip(header, rows[names(rows).index("导出锂电项目")], strict=True))
    assert row["阶段"] == "线索" and row["招商单位"] == "招商局"
    assert isinstance(row["登记日期"], dt.datetime)
    assert "线索响应" in row["超时"]  # never answered, received weeks ago


@pytest.mark.django_db
def test_an_outsiders_export_has_no_other_units_lead(org, leader, outsider):
    make_lead("招商局的线索", received_on=RECEIVED)
    make_lead("城东的线索", unit_name="城东产业园", park="城东产业园", received_on=RECEIVED)
    _header, *rows = exported(outsider)
    assert names(rows) == ["城东的线索"] == listed(outsider)
    assert "招商局的线索" in names(exported(leader)[1:])


@pytest.mark.django_db
def test_a_filter_narrows_the_rows_as_on_the_list(org, leader):
    make_lead("筛选锂电项目", received_on=RECEIVED, industry_chain="新能源")
    talks = make_lead("筛选食品项目", unit_name="经济发展局", received_on=RECEIVED)
    move(talks, LeadStage.TALKS, dt.date(2026, 11, 3))
    for query, expected in [
        ("?q=锂电", ["筛选锂电项目"]),
        (f"?stage={LeadStage.TALKS}", ["筛选食品项目"]),
        (f"?unit={unit('经济发展局').pk}", ["筛选食品项目"]),
        ("?chain=新能源", ["筛选锂电项目"]),
    ]:
        assert names(exported(leader, query)[1:]) == expected == listed(leader, query), query


@pytest.mark.django_db
def test_overdue_only_is_counted_and_exported_over_every_page(org):
    client = login_as("zhaoshang")
    today = timezone.localdate()
    for number in range(50):  # received today: no clock is overdue yet
        make_lead(f"新线索{number}", received_on=today)
    make_lead("早已超时的线索", received_on=dt.date(2025, 1, 6))  # listed last: on page 2
    response = client.get(reverse("investment:lead_list") + "?overdue=on")
    assert response.context["page"].paginator.count == 1
    assert "共 1 个项目" in response.content.decode()
    assert [lead.name for lead in response.context["leads"]] == ["早已超时的线索"]
    assert names(exported(client, "?overdue=on&page=2")[1:]) == ["早已超时的线索"]
    assert len(exported(client, "?page=2")) == 1 + 51  # all pages, whatever page is shown


@pytest.mark.django_db
def test_the_list_links_its_export_with_its_filters(org, leader):
    page = leader.get(reverse("investment:lead_list") + "?stage=talks&page=1")
    html = page.content.decode()
    assert "导出Excel" in html
    assert reverse("investment:leads_xlsx") + "?stage=talks" in html
    assert "page=1" not in page.context["export_url"]


@pytest.mark.django_db
def test_the_export_query_count_does_not_grow_with_rows(org, leader, django_assert_max_num_queries):
    for number in range(30):
        make_lead(f"线索{number}", received_on=RECEIVED)
    with django_assert_max_num_queries(12):
        assert len(exported(leader, "?overdue=on")) == 31
    with django_assert_max_num_queries(12):
        assert len(exported(leader)) == 31
