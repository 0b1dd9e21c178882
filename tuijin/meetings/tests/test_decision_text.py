"""A decision typed at the meeting proposes its lead unit, co-units, project, deadline and
requirement (``meetings/decision_text.py``), read without a database."""

import datetime as dt

import pytest

from tuijin.meetings.decision_text import Name, number, parse, read_deadline

SATURDAY = dt.date(2026, 11, 28)
UNITS = [
    Name(1, ("自然资源和规划分局",)),
    Name(2, ("城东产业园",)),
    Name(3, ("住建局",)),
    Name(4, ("招商局",)),
    Name(5, ("青春化工园",)),
    Name(6, ("经济发展局", "经发局")),
]
# intake's candidates: (pk, name, normalised name, park)
PROJECTS = [
    (10, "人才公寓", "人才公寓", 2),
    (11, "文帝学校", "文帝学校", 2),
    (12, "犇星二期年产3万吨新能源电解液项目", "犇星二期年产3万吨新能源电解液", 5),
    (13, "城东产业园标准化厂房", "城东产业园标准化厂房", 2),
]
PEOPLE = [Name(20, ("吴海燕",), 1), Name(21, ("张强",), 6)]


def read(text, **kwargs):
    return parse(
        text, today=SATURDAY, units=UNITS, projects=PROJECTS, people=PEOPLE, park=2, **kwargs
    )


def test_the_meeting_sentence_fills_lead_unit_deadline_project_and_requirement():
    draft = read("自然资源和规划分局牵头,三天内完成人才公寓地块清表")
    assert draft.lead_unit == 1
    assert draft.co_units == []
    assert (draft.deadline_mode, draft.deadline_days, draft.deadline_date) == ("calendar", 3, None)
    assert draft.project == 10
    assert draft.requirement == "完成人才公寓地块清表"
    assert draft.result_standard == "人才公寓地块清表完成"
    assert draft.found == ["牵头单位", "项目", "期限", "工作要求"]


def test_working_days():
    draft = read("住建局牵头,五个工作日内完成文帝学校施工便道硬化")
    assert (draft.lead_unit, draft.project) == (3, 11)
    assert (draft.deadline_mode, draft.deadline_days) == ("working", 5)
    assert draft.requirement == "完成文帝学校施工便道硬化"


def test_a_date_before_which_it_is_done():
    draft = read("12月20日前,城东产业园完成人才公寓周边道路绿化迁移")
    assert (draft.deadline_mode, draft.deadline_date) == ("date", dt.date(2026, 12, 20))
    assert draft.deadline_days is None
    assert (draft.lead_unit, draft.project) == (2, 10)
    assert draft.requirement == "完成人才公寓周边道路绿化迁移"


def test_a_date_already_past_this_year_is_next_years():
    mode, _days, day, _span = read_deadline("3月1日前报送方案", SATURDAY)
    assert (mode, day) == ("date", dt.date(2027, 3, 1))


def test_co_units_with_hui_tong():
    draft = read("招商局会同青春化工园、住建局,15日内落实犇星二期溶剂配套企业")
    assert draft.lead_unit == 4
    assert draft.co_units == [5, 3]
    assert (draft.deadline_mode, draft.deadline_days) == ("calendar", 15)
    assert draft.project == 12  # named by the start of its name
    assert draft.requirement == "落实犇星二期溶剂配套企业"


def test_co_units_named_with_pei_he_and_lead_with_you():
    draft = read("由经发局负责,城东产业园配合,两周内完成用地报批材料")
    assert (draft.lead_unit, draft.co_units) == (6, [2])
    assert (draft.deadline_mode, draft.deadline_days) == ("calendar", 14)
    assert draft.requirement == "完成用地报批材料"


def test_the_responsible_person_of_the_lead_unit():
    draft = read("自然资源和规划分局牵头,吴海燕负责,3日内完成人才公寓地块测绘")
    assert (draft.lead_unit, draft.responsible, draft.project) == (1, 20, 10)
    assert draft.deadline_days == 3
    # 张强 is of another unit: not proposed as the responsible person of this one
    assert read("自然资源和规划分局牵头,张强跟进,3日内完成测绘").responsible is None


def test_a_unit_inside_a_project_name_is_the_project():
    draft = read("住建局牵头,10个工作日内完成城东产业园标准化厂房消防验收")
    assert draft.project == 13
    assert (draft.lead_unit, draft.co_units) == (3, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("月底前完成", ("date", None, dt.date(2026, 11, 30))),
        ("12月底前完成", ("date", None, dt.date(2026, 12, 31))),
        ("年底前完成", ("date", None, dt.date(2026, 12, 31))),
        ("限期3天完成整改", ("calendar", 3, None)),
        ("二十个工作日内", ("working", 20, None)),
        ("一个月内完成", ("date", None, dt.date(2026, 12, 28))),
        ("2027年1月15日前", ("date", None, dt.date(2027, 1, 15))),
        ("尽快完成", ("", None, None)),
        ("2月30日前", ("", None, None)),
    ],
)
def test_deadline_phrases(text, expected):
    assert read_deadline(text, SATURDAY)[:3] == expected


def test_chinese_numbers():
    assert [number(t) for t in ("3", "三", "十", "十五", "二十", "二十五", "两", "一百")] == [
        3,
        3,
        10,
        15,
        20,
        25,
        2,
        100,
    ]
    assert number("几") is None


def test_nothing_named_proposes_only_the_requirement():
    draft = read("各单位抓紧推进")
    assert draft.lead_unit is None and draft.project is None and not draft.deadline_mode
    assert draft.requirement == "各单位抓紧推进"
    assert read("").found == []


def test_the_lead_unit_select_asks_in_words_not_dashes():
    """Django's empty choice "---------" was what a note-taker saw in 牵头单位 (meeting page)."""
    from tuijin.meetings.forms import DecisionForm

    assert DecisionForm.base_fields["lead_unit"].empty_label == "请选择牵头单位"
