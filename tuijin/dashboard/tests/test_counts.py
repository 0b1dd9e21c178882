"""Every number on the home pages and the 督办 boards opens a list with exactly that many rows.

Nothing is listed by hand: each page is parsed for links whose text holds a number (the
count), each link is followed as the same user, and the rows of the list it opens are
counted. On the home page every standalone number must be such a link (a number added
without one fails here), and on every page a link must not answer 403 or 404.
"""

import datetime as dt
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import resolve
from django.utils import timezone
from lxml import html as lxml_html

from conftest import login_as
from tests.test_every_url import PERSONAS  # every demo persona, as the URL walk knows them
from tuijin.supervision.models import SupervisionItem

HOME = "/"
BOARDS = [
    "/supervision/",
    "/supervision/?view=mine",
    "/supervision/?view=week",
    "/supervision/?view=overdue",
    "/supervision/units/",
    "/supervision/leaders/",
]
NUMBER = re.compile(r"^\d+$")


@pytest.fixture
def zone(demo_zone, db):
    """The demo, loaded once for the module; each test rolls back its own writes."""


pytestmark = pytest.mark.usefixtures("zone")


def main_of(content: bytes):
    tree = lxml_html.fromstring(content)
    (main,) = tree.xpath("//main")
    return main


def counted_links(main) -> list[tuple[int, str, str]]:
    """(number, href, label) for each link whose text holds exactly one standalone number;
    page numbers of a pagination are not counts."""
    found = []
    for link in main.xpath(".//a[@href][not(ancestor::*[contains(@class, 'pagination')])]"):
        numbers = [t.strip() for t in link.xpath(".//text()") if NUMBER.match(t.strip())]
        if len(numbers) == 1:
            label = " ".join(" ".join(link.xpath(".//text()")).split())
            found.append((int(numbers[0]), link.get("href"), label))
    return found


def loose_numbers(main) -> list[str]:
    """Standalone numbers that are not inside a link (on home every number must open a list)."""
    loose = []
    for text in main.xpath(".//text()[not(ancestor::a)][not(ancestor::script)]"):
        if NUMBER.match(text.strip()):
            parent = text.getparent()
            loose.append(f"{text.strip()} in <{parent.tag} {dict(parent.attrib)}>")
    return loose


def rows_behind(response) -> int:
    """The rows of the list a count opens: a paginated list's full count (its first page
    shows them all, or a full page), or the rows of a board by unit or by leader."""
    context = response.context
    if "page" in context:
        page = context["page"]
        shown = len(page.object_list)
        assert shown == min(page.paginator.count, page.paginator.per_page)
        return page.paginator.count
    for key in ("rows", "leaders"):
        if key in context:
            return len(context[key])
    raise AssertionError(f"{response.request['PATH_INFO']} is not a list")


def check_page(client, url: str, strict: bool) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    main = main_of(response.content)
    problems = [f"{url}: number not a link: {n}" for n in loose_numbers(main)] if strict else []
    for number, href, label in counted_links(main):
        target = urljoin(url, href)
        followed = client.get(target)
        if followed.status_code != 200:
            problems.append(f"{url}: “{label}” → {target} answers {followed.status_code}")
            continue
        rows = rows_behind(followed)
        if rows != number:
            problems.append(f"{url}: “{label}” says {number}, {target} lists {rows}")
    return problems


@pytest.mark.parametrize("username", PERSONAS)
def test_every_number_on_home_opens_that_many_rows(username):
    client = login_as(username)
    problems = check_page(client, HOME, strict=True)
    assert not problems, "\n".join(problems)


# Zone-wide (the 督查室 sees what the leader sees), a unit head, a cadre.
@pytest.mark.parametrize("username", ["leader", "jingfa", "zhaoshang"])
def test_every_number_on_the_boards_opens_that_many_rows(username):
    client = login_as(username)
    problems = [p for url in BOARDS for p in check_page(client, url, strict=False)]
    assert not problems, "\n".join(problems)


def test_a_scheduled_verification_is_counted_as_its_link_lists_it():
    """The demo may have none scheduled: schedule two (one today, one past) and count again."""
    now = timezone.now()
    first, second = SupervisionItem.objects.open()[:2]
    SupervisionItem.objects.filter(pk=first.pk).update(state="verifying", verification_at=now)
    SupervisionItem.objects.filter(pk=second.pk).update(
        state="verifying", verification_at=now - dt.timedelta(days=2)
    )
    client = login_as("duban")
    response = client.get(HOME)
    (stat,) = [s for s in response.context["stats"] if s.key == "scheduled"]
    assert stat.n >= 1
    assert not check_page(client, HOME, strict=True)


def test_an_item_returned_twice_is_one_row_of_the_returned_list():
    """The board by unit summed the returns (2) while its link listed the items (1)."""
    item = SupervisionItem.objects.open().first()
    SupervisionItem.objects.filter(returned_count__gt=0).update(returned_count=0)
    SupervisionItem.objects.filter(pk=item.pk).update(returned_count=2)
    client = login_as("leader")
    response = client.get("/supervision/units/")
    (row,) = [r for r in response.context["rows"] if r["lead_unit"] == item.lead_unit_id]
    assert row["returned"] == 1
    assert not check_page(client, "/supervision/units/", strict=False)


def test_home_counts_links():
    """The checks above check something: the leader's home has counted links to each list."""
    main = main_of(login_as("leader").get(HOME).content)
    targets = {resolve(urlsplit(href).path).view_name for _n, href, _l in counted_links(main)}
    assert {"projects:project_list", "supervision:item_board", "supervision:problem_list"} <= (
        targets
    )


@pytest.mark.parametrize("username", PERSONAS)
def test_no_navigation_or_home_link_answers_403_or_404(username):
    """The menu shows only what the role can use, and nothing on the home page is refused."""
    client = login_as(username)
    tree = lxml_html.fromstring(client.get(HOME).content)
    nav = tree.xpath("//nav//a[@href]/@href")
    home = tree.xpath("//main//a[@href]/@href")
    refused = []
    for href in dict.fromkeys([*nav, *home]):
        if href.startswith("#") or not href.startswith(("/", "?")):
            continue
        status = client.get(urljoin(HOME, href)).status_code
        if status in (403, 404):
            refused.append(f"{href}: {status}")
    assert not refused, f"{username}: " + ", ".join(refused)


def test_a_liaison_sees_no_empty_menus():
    labels = [
        " ".join(a.text_content().split())
        for a in lxml_html.fromstring(login_as("qiye").get(HOME).content).xpath(
            "//ul[contains(@class, 'navbar-nav')]//a[contains(@class, 'nav-link') "
            "or contains(@class, 'dropdown-item')]"
        )
    ]
    for empty in ("督办", "会议", "工作日志", "文本录入", "组织机构"):
        assert empty not in labels
    assert "问题" in labels and "项目台账" in labels
