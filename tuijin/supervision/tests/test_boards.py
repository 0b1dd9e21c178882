"""督办台账: scoping, tabs at their boundaries, filters, the boards by unit and by leader,
the export of exactly what is shown, and a query count that does not grow with the items."""

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login_as
from tuijin.core.xlsx import table_rows
from tuijin.org.models import Person, Unit
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import ItemState, SupervisionItem, Verification

BOARD = reverse("supervision:item_board")
UNITS = reverse("supervision:unit_board")
LEADERS = reverse("supervision:leader_board")
EXPORT = reverse("supervision:item_export")
TZ = ZoneInfo("Asia/Shanghai")
WEDNESDAY = dt.date(2026, 11, 25)
SUNDAY = dt.date(2026, 11, 29)
MONDAY = dt.date(2026, 11, 30)


# The persona clients log in before the clock is pinned; after moving it days ahead, log in
# again (sessions last 8 hours).


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=TZ)


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def make_item(title, lead="经济发展局", deadline=WEDNESDAY, co=(), original=None, **fields):
    fields.setdefault("state", ItemState.IN_PROGRESS)
    fields.setdefault("reminder_days", 3)
    item = SupervisionItem.objects.create(
        title=title,
        requirement=fields.pop("requirement", f"{title}的工作要求"),
        result_standard=fields.pop("result_standard", f"{title}的成效标准"),
        assigner=person("duban"),
        lead_unit=Unit.objects.get(name=lead),
        assigned_on=deadline - dt.timedelta(days=14),
        original_deadline=original or deadline,
        deadline=deadline,
        **fields,
    )
    if co:
        item.co_units.set(Unit.objects.filter(name__in=co))
    return item


def verify(item, result):
    return Verification.objects.create(
        item=item,
        result=result,
        notes="现场核查",
        verified_by=person("duban"),
        verified_at=timezone.now(),
        unit=item.lead_unit,
    )


@pytest.fixture
def items(org, time_machine):
    """Today is Wednesday 2026-11-25; this week ends on Sunday 2026-11-29."""
    time_machine.move_to(at(WEDNESDAY), tick=False)
    benxing = make_project("犇星二期", leaders=["zhaoshang", "leader"])
    rcgy = make_project("人才公寓", park="城东产业园", unit="城东产业园", leaders=["leader"])
    made = {
        "jf_overdue": make_item(
            "经发超期三天", deadline=dt.date(2026, 11, 22), urge_count=2, project=benxing
        ),
        "jf_today": make_item(
            "经发今天到期", deadline=WEDNESDAY, state=ItemState.ACCEPTED, project=benxing
        ),
        "co_sunday": make_item(
            "自规周日到期",
            lead="自然资源和规划分局",
            deadline=SUNDAY,
            co=["经济发展局", "住建局"],
            source="meeting",
        ),
        "monday": make_item("自规下周一到期", lead="自然资源和规划分局", deadline=MONDAY),
        "cd_overdue": make_item(
            "人才公寓地块清表",
            lead="城东产业园",
            deadline=dt.date(2026, 11, 20),
            original=dt.date(2026, 11, 18),
            state=ItemState.ASSIGNED,
            project=rcgy,
            responsible=person("chengdong"),
        ),
        "jf_closed": make_item(
            "经发按期办结",
            deadline=dt.date(2026, 11, 10),
            state=ItemState.CLOSED,
            closed_on_time=True,
            closed_on=dt.date(2026, 11, 9),
        ),
        "cd_late": make_item(
            "城东逾期办结",
            lead="城东产业园",
            deadline=dt.date(2026, 11, 5),
            state=ItemState.CLOSED,
            closed_on_time=False,
            closed_on=dt.date(2026, 11, 12),
            returned_count=2,
            project=rcgy,
        ),
        "cancelled": make_item(
            "招商已撤销", lead="招商局", deadline=dt.date(2026, 11, 1), state=ItemState.CANCELLED
        ),
        "village": make_item(
            "碑岗村环境整治",
            lead="碑岗村",
            deadline=dt.date(2026, 12, 10),
            responsible=person("leader"),
        ),
    }
    verify(made["jf_closed"], Verification.Result.TRUE)
    verify(made["jf_overdue"], Verification.Result.PARTLY)
    verify(made["cd_late"], Verification.Result.UNTRUE)
    verify(made["cd_late"], Verification.Result.TRUE)
    verify(made["cd_late"], Verification.Result.TRUE)
    return made


def titles(response):
    assert response.status_code == 200
    return {item.title for item in response.context["page"]}


def ordered(response):
    return [item.title for item in response.context["page"]]


# --- scoping ------------------------------------------------------------------------------


def test_staff_see_items_their_unit_leads_or_co_operates_on(staff, items):
    assert titles(staff.get(BOARD)) == {
        "经发超期三天",
        "经发今天到期",
        "自规周日到期",
        "经发按期办结",
    }


def test_another_unit_sees_only_its_own(outsider, items):
    assert titles(outsider.get(BOARD)) == {"人才公寓地块清表", "城东逾期办结"}


def test_zone_leader_and_supervisor_see_all(leader, supervisor, items):
    assert titles(leader.get(BOARD)) == {i.title for i in items.values()}
    assert len(titles(supervisor.get(BOARD))) == len(items)


def test_a_unit_filter_outside_scope_shows_nothing(outsider, items, org):
    response = outsider.get(BOARD, {"unit": org["经济发展局"].pk})
    assert titles(response) == set()


# --- tabs ---------------------------------------------------------------------------------


def test_week_tab_runs_from_today_to_sunday(leader, items):
    assert titles(leader.get(BOARD, {"view": "week"})) == {"经发今天到期", "自规周日到期"}


def test_week_tab_on_sunday_and_on_monday(items, time_machine):
    time_machine.move_to(at(SUNDAY), tick=False)
    assert titles(login_as("leader").get(BOARD, {"view": "week"})) == {"自规周日到期"}
    time_machine.move_to(at(MONDAY), tick=False)
    assert titles(login_as("leader").get(BOARD, {"view": "week"})) == {"自规下周一到期"}


def test_overdue_tab_deadline_today_is_not_overdue(leader, items, time_machine):
    assert titles(leader.get(BOARD, {"view": "overdue"})) == {"经发超期三天", "人才公寓地块清表"}
    time_machine.move_to(at(WEDNESDAY + dt.timedelta(days=1)), tick=False)
    assert "经发今天到期" in titles(login_as("leader").get(BOARD, {"view": "overdue"}))


def test_mine_tab(leader, staff, outsider, items):
    # The zone leader is responsible for one item; their unit (the zone) leads none.
    assert titles(leader.get(BOARD, {"view": "mine"})) == {"碑岗村环境整治"}
    # Staff: their unit leads three and co-operates on one.
    assert titles(staff.get(BOARD, {"view": "mine"})) == {
        "经发超期三天",
        "经发今天到期",
        "自规周日到期",
        "经发按期办结",
    }
    assert titles(outsider.get(BOARD, {"view": "mine"})) == {"人才公寓地块清表", "城东逾期办结"}


def test_supervisor_mine_is_what_they_assigned(supervisor, items):
    assert len(titles(supervisor.get(BOARD, {"view": "mine"}))) == len(items)


def test_tab_counts(staff, leader, items):
    tabs = staff.get(BOARD).context["tabs"]
    assert tabs == {"all": 4, "mine": 4, "week": 2, "overdue": 1, "units": 2, "leaders": 2}
    tabs = leader.get(UNITS).context["tabs"]
    assert tabs == {"all": 9, "mine": 1, "week": 2, "overdue": 2, "units": 5, "leaders": 2}
    html = staff.get(BOARD, {"view": "overdue"}).content.decode()
    assert 'data-tab="overdue"' in html and "按包保领导" in html


# --- filters, sort, rows ------------------------------------------------------------------


@pytest.mark.parametrize(
    "light, expected",
    [
        ("red", {"经发超期三天", "人才公寓地块清表"}),
        ("yellow", {"经发今天到期"}),
        ("green", {"自规周日到期", "自规下周一到期", "碑岗村环境整治"}),
        ("closed_on_time", {"经发按期办结"}),
        ("closed_late", {"城东逾期办结"}),
    ],
)
def test_light_filter(leader, items, light, expected):
    assert titles(leader.get(BOARD, {"light": light})) == expected


def test_light_counts_are_over_the_other_filters(leader, items, org):
    response = leader.get(BOARD, {"unit": org["经济发展局"].pk, "light": "red"})
    assert titles(response) == {"经发超期三天"}
    counts = {key: n for key, _label, n in response.context["light_counts"]}
    assert counts == {"red": 1, "yellow": 1, "green": 0, "closed_on_time": 1, "closed_late": 0}
    assert response.context["count"] == 1
    assert "共 1 项" in response.content.decode()


def test_filters_state_source_q_and_sub_units(leader, items, org):
    assert titles(leader.get(BOARD, {"state": "assigned"})) == {"人才公寓地块清表"}
    assert len(titles(leader.get(BOARD, {"state": "open"}))) == 6
    assert titles(leader.get(BOARD, {"source": "meeting"})) == {"自规周日到期"}
    assert titles(leader.get(BOARD, {"q": "清表"})) == {"人才公寓地块清表"}
    assert titles(leader.get(BOARD, {"q": "环境整治的工作要求"})) == {"碑岗村环境整治"}
    assert titles(leader.get(BOARD, {"unit": org["淅河镇"].pk})) == {"碑岗村环境整治"}
    assert titles(leader.get(BOARD, {"lead_unit": org["淅河镇"].pk})) == set()
    assert titles(leader.get(BOARD, {"unit": org["城东产业园"].pk, "view": "overdue"})) == {
        "人才公寓地块清表"
    }


def test_leader_filter(leader, items):
    zhaoshang = person("zhaoshang").pk
    assert titles(leader.get(BOARD, {"leader": zhaoshang})) == {"经发超期三天", "经发今天到期"}
    assert len(titles(leader.get(BOARD, {"leader": person("leader").pk}))) == 4


def test_open_first_overdue_first_then_due_soonest_closed_last(leader, items):
    order = ordered(leader.get(BOARD))
    assert order == [
        # open and overdue, most overdue first
        "人才公寓地块清表",
        "经发超期三天",
        # open, due soonest first
        "经发今天到期",
        "自规周日到期",
        "自规下周一到期",
        "碑岗村环境整治",
        # closed last, most recently closed first; the cancelled one (never closed) at the end
        "城东逾期办结",
        "经发按期办结",
        "招商已撤销",
    ]
    # The export lists the rows in the board's order.
    _header, rows = exported(leader.get(EXPORT))
    assert [row[0] for row in rows] == order


def test_rows_show_light_word_days_and_original_deadline(leader, items):
    html = leader.get(BOARD).content.decode()
    assert "超期3天" in html and "超期5天" in html
    assert "今天到期" in html and "剩余4天" in html
    assert "原定2026年11月18日" in html
    assert html.count("data-original-deadline") == 1
    assert "tj-light-red" in html and ">红<" in html
    assert "按期办结" in html and "逾期办结" in html and "已撤销" in html
    assert "住建局、经济发展局" in html or "经济发展局、住建局" in html


def test_assign_link_only_for_assigners(leader, staff, items):
    create = reverse("supervision:item_create")
    assert create in leader.get(BOARD).content.decode()
    assert create not in staff.get(BOARD).content.decode()


def test_htmx_gets_the_table_only(leader, items):
    response = leader.get(BOARD, {"view": "week"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="item-table"' in html and "<html" not in html


def test_the_filter_form_swaps_the_table_and_the_export_follows(leader, items):
    # The form asks for the table only (htmx, B12), counts and chips included; the export
    # button outside it is swapped in with the same filters. An invalid filter, or back and
    # forward, get the whole page.
    assert f'hx-get="{BOARD}" hx-target="#board"' in leader.get(BOARD).content.decode()
    response = leader.get(BOARD, {"state": "assigned"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert titles(response) == {"人才公寓地块清表"} and 'id="result-count"' in html
    assert 'id="board-filters"' not in html
    assert "tabs" not in response.context  # the tabs' counts are not worked out for it
    assert f'href="{EXPORT}?state=assigned" id="export" hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    invalid = leader.get(BOARD, {"state": "nonsense"}, HTTP_HX_REQUEST="true")
    assert invalid["HX-Redirect"] == f"{BOARD}?state=nonsense"
    restore = leader.get(BOARD, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert 'id="board-filters"' in restore.content.decode()
    assert restore.content.decode().count('id="export"') == 1  # no out-of-band copy


def test_the_table_alone_checks_a_chosen_leader_without_listing_the_leaders(leader, items):
    # The leader list is the form's and the tab count's (B12: its query was a seventh of the
    # table's time at province scale); the table alone only checks the chosen leader.
    zhaoshang = person("zhaoshang").pk
    with CaptureQueriesContext(connection) as queries:
        response = leader.get(BOARD, {"leader": zhaoshang}, HTTP_HX_REQUEST="true")
    assert titles(response) == {"经发超期三天", "经发今天到期"}
    listed = 'FROM "org_person" WHERE "org_person"."id" IN (SELECT'
    assert not [q for q in queries if listed in q["sql"] and "ORDER BY" in q["sql"]]
    # Someone who leads no project with an item is no choice, on the table as on the page.
    duban = person("duban").pk
    invalid = leader.get(BOARD, {"leader": duban}, HTTP_HX_REQUEST="true")
    assert invalid["HX-Redirect"] == f"{BOARD}?leader={duban}"
    page = leader.get(BOARD, {"leader": duban})
    assert not page.context["filter"].is_valid() and "筛选条件无法识别" in page.content.decode()
    options = page.context["filter"].form.fields["leader"].queryset
    assert {p.pk for p in options} == {zhaoshang, person("leader").pk}


def test_pagination_keeps_the_filters(leader, org, time_machine):
    time_machine.move_to(at(WEDNESDAY), tick=False)
    for n in range(55):
        make_item(f"批量事项{n}", deadline=WEDNESDAY + dt.timedelta(days=n))
    response = leader.get(BOARD, {"state": "open"})
    assert len(response.context["page"]) == 50 and response.context["count"] == 55
    assert "state=open&amp;page=2" in response.content.decode()
    assert len(leader.get(BOARD, {"state": "open", "page": 2}).context["page"]) == 5


# --- boards by unit and by leader ---------------------------------------------------------


def rows_by_unit(response):
    return {row["lead_unit__name"]: row for row in response.context["rows"]}


def test_unit_board_numbers_and_truthfulness(leader, items):
    rows = rows_by_unit(leader.get(UNITS))
    assert list(rows) == ["经济发展局", "招商局", "自然资源和规划分局", "城东产业园", "碑岗村"]
    jf = rows["经济发展局"]
    assert (jf["open"], jf["overdue"], jf["week"], jf["on_time"], jf["late"]) == (2, 1, 1, 1, 0)
    assert jf["truthfulness"] == 75  # 属实 + 部分属实
    cd = rows["城东产业园"]
    # One item returned twice: one row behind the link (?returned=true), so 1, not 2 returns.
    assert (cd["open"], cd["overdue"], cd["week"], cd["late"], cd["returned"]) == (1, 1, 0, 1, 1)
    assert cd["truthfulness"] == 67  # 不属实 + 属实 + 属实
    assert rows["自然资源和规划分局"]["week"] == 1
    assert rows["自然资源和规划分局"]["truthfulness"] is None
    assert rows["招商局"]["open"] == 0
    totals = leader.get(UNITS).context["totals"]
    assert totals["open"] == 6 and totals["overdue"] == 2 and totals["truthfulness"] == 70


def test_unit_board_is_scoped_and_links_to_the_filtered_board(staff, items, org):
    response = staff.get(UNITS)
    rows = rows_by_unit(response)
    assert set(rows) == {"经济发展局", "自然资源和规划分局"}
    assert rows["自然资源和规划分局"]["open"] == 1  # only the item staff co-operate on
    html = response.content.decode()
    jf = org["经济发展局"].pk
    link = f"{BOARD}?view=overdue&lead_unit={jf}"
    assert link in html
    assert titles(staff.get(BOARD, {"view": "overdue", "lead_unit": jf})) == {"经发超期三天"}
    assert titles(staff.get(BOARD, {"lead_unit": jf, "verified": "true"})) == {
        "经发超期三天",
        "经发按期办结",
    }
    assert f"{BOARD}?lead_unit={jf}&returned=true" in html


def test_returned_filter(leader, items):
    assert titles(leader.get(BOARD, {"returned": "true"})) == {"城东逾期办结"}


def test_leader_board(leader, staff, items):
    rows = {p.name: p for p in leader.get(LEADERS).context["leaders"]}
    wang, chen = rows["王立新"], rows["陈晨"]
    assert (wang.open, wang.overdue, wang.week, wang.total) == (3, 2, 1, 4)
    assert (chen.open, chen.overdue, chen.week, chen.total) == (2, 1, 1, 2)
    # Staff see only the items on the projects visible to them.
    rows = {p.name: p for p in staff.get(LEADERS).context["leaders"]}
    assert (rows["王立新"].open, rows["王立新"].total) == (2, 2)
    html = staff.get(LEADERS).content.decode()
    assert f"{BOARD}?view=overdue&leader={person('zhaoshang').pk}" in html


def test_outsider_boards_hold_only_their_items(outsider, items):
    assert set(rows_by_unit(outsider.get(UNITS))) == {"城东产业园"}
    assert {p.name for p in outsider.get(LEADERS).context["leaders"]} == {"王立新"}


# --- export -------------------------------------------------------------------------------


def exported(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = table_rows(workbook.active)
    return rows[0], rows[1:]


def test_export_holds_exactly_the_filtered_rows(leader, items):
    response = leader.get(EXPORT, {"view": "overdue"})
    assert "督办台账-20261125.xlsx" in response["Content-Disposition"].replace(
        "%E7%9D%A3%E5%8A%9E%E5%8F%B0%E8%B4%A6", "督办台账"
    )
    assert response["Content-Disposition"].startswith("attachment")
    header, rows = exported(response)
    assert header == (
        "事项",
        "来源",
        "项目",
        "牵头单位",
        "配合单位",
        "责任人",
        "交办人",
        "交办日期",
        "原定期限",
        "办理期限",
        "状态",
        "灯色",
        "催办次数",
        "退回次数",
        "成效标准",
    )
    assert [r[0] for r in rows] == ["人才公寓地块清表", "经发超期三天"]
    cd = rows[0]
    assert cd[2] == "人才公寓" and cd[3] == "城东产业园" and cd[5] == "孙伟" and cd[6] == "李敏"
    assert cd[8].date() == dt.date(2026, 11, 18) and cd[9].date() == dt.date(2026, 11, 20)
    assert cd[10] == "交办" and cd[11] == "红" and cd[14] == "人才公寓地块清表的成效标准"
    assert rows[1][12] == 2


def test_export_is_scoped_and_follows_every_filter(staff, items):
    _header, rows = exported(staff.get(EXPORT))
    assert {r[0] for r in rows} == {"经发超期三天", "经发今天到期", "自规周日到期", "经发按期办结"}
    _header, rows = exported(staff.get(EXPORT, {"light": "closed_on_time"}))
    assert [r[0] for r in rows] == ["经发按期办结"] and rows[0][11] == "按期办结"
    _header, rows = exported(staff.get(EXPORT, {"source": "meeting"}))
    assert rows[0][4] in ("经济发展局、住建局", "住建局、经济发展局")


# --- query counts -------------------------------------------------------------------------

_n = itertools.count()


def add_items(count, project):
    units = ["经济发展局", "城东产业园", "自然资源和规划分局", "招商局"]
    states = [ItemState.ASSIGNED, ItemState.IN_PROGRESS, ItemState.CLOSED]
    for i in range(count):
        n = next(_n)
        item = make_item(
            f"事项{n}",
            lead=units[i % 4],
            deadline=WEDNESDAY + dt.timedelta(days=i % 9 - 4),
            co=units[:2],
            state=states[i % 3],
            closed_on_time=i % 2 == 0,
            project=project,
            responsible=person("jingfa"),
        )
        if i % 3 == 2:
            verify(item, Verification.Result.TRUE)


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, params",
    [
        (BOARD, {}),
        (BOARD, {"view": "week", "light": "yellow"}),
        (UNITS, {}),
        (LEADERS, {}),
        (EXPORT, {"state": "open"}),
    ],
)
def test_query_count_is_constant(leader, org, time_machine, url, params):
    time_machine.move_to(at(WEDNESDAY), tick=False)
    project = make_project("测试项目", leaders=["leader", "zhaoshang"])
    add_items(5, project)
    few = count_queries(leader, url, params)
    add_items(35, make_project("测试项目二", leaders=["zhaoshang"]))
    assert count_queries(leader, url, params) == few
    assert few <= 20
