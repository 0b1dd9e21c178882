"""The enterprise list's 导出Excel: exactly the enterprises the list shows the user, with its
search and 重点企业 filter, all pages."""

from django.urls import reverse

from tuijin.core.tests.downloads import exported_rows
from tuijin.org.models import Person
from tuijin.projects.excel import ENTERPRISE_COLUMNS
from tuijin.projects.tests.factories import make_enterprise, make_project

HEADER = tuple(header for header, _width, _kind in ENTERPRISE_COLUMNS)
LIST = reverse("projects:enterprise_list")


def exported(client, query: str = "") -> list[tuple]:
    return exported_rows(client, "projects:enterprise_export", query)


def names(rows) -> list[str]:
    return [row[0] for row in rows]


def listed(client, query: str = "") -> list[str]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [enterprise.name for enterprise in response.context["page"]]


def test_it_exports_the_header_and_one_row_per_listed_enterprise(org, staff):
    benxing = make_enterprise(
        "犇星新能源", is_key=True, industry="新能源材料", credit_code="91420000MA4KXXXX0A"
    )
    benxing.leaders.set(Person.objects.filter(user__username__in=["leader", "zhaoshang"]))
    make_project("犇星二期", enterprises=[benxing])
    make_enterprise('=HYPERLINK("http://x","y")')  # stays text
    header, *rows = exported(staff)
    assert header == HEADER
    assert names(rows) == listed(staff) == ["犇星新能源", '=HYPERLINK("http://x","y")']
    assert rows[0][1:6] == ("91420000MA4KXXXX0A", "新能源材料", "青春化工园", "经济发展局", "是")
    assert set(rows[0][6].split("、")) == {
        Person.objects.get(user__username=name).name for name in ("leader", "zhaoshang")
    }
    assert rows[0][7] == 1  # 项目数, a number


def test_an_outsiders_export_has_no_other_units_enterprise(org, staff, outsider):
    make_enterprise("经发局的企业")
    make_enterprise("城东的企业", unit="城东产业园", park="城东产业园")
    _header, *rows = exported(outsider)
    assert names(rows) == ["城东的企业"] == listed(outsider)
    assert "经发局的企业" in names(exported(staff)[1:])


def test_a_filter_narrows_the_rows_as_on_the_list(org, staff):
    make_enterprise("犇星新能源", is_key=True)
    make_enterprise("正丹化学")
    assert names(exported(staff, "?key=1")[1:]) == ["犇星新能源"] == listed(staff, "?key=1")
    query = "?q=%E6%AD%A3%E4%B8%B9"  # 正丹
    assert names(exported(staff, query)[1:]) == ["正丹化学"] == listed(staff, query)


def test_the_export_covers_every_page(org, staff):
    for number in range(55):
        make_enterprise(f"企业{number:02d}")
    assert len(listed(staff, "?page=2")) == 5  # 50 a page
    assert len(exported(staff, "?page=2")) == 1 + 55  # all pages, whatever page is shown


def test_the_list_links_its_export_with_its_filters(org, staff):
    page = staff.get(LIST + "?key=1&page=1")
    html = page.content.decode()
    assert "导出Excel" in html
    assert reverse("projects:enterprise_export") + "?key=1" in html
    assert "page=1" not in page.context["export_url"]


def test_the_export_query_count_does_not_grow_with_rows(org, staff, django_assert_max_num_queries):
    leaders = Person.objects.filter(user__username__in=["leader", "zhaoshang"])
    for number in range(30):
        make_enterprise(f"企业{number:02d}").leaders.set(leaders)
    with django_assert_max_num_queries(10):
        assert len(exported(staff)) == 31


def test_it_answers_get_only(org, staff):
    assert staff.post(reverse("projects:enterprise_export")).status_code == 405
