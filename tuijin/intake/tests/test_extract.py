"""Extraction: the acceptance checks on the repaired source report, and the rules on other text."""

import datetime
from collections import Counter
from pathlib import Path

import pytest

from tuijin.intake.extract import Extraction, PersonMention, extract, resolve_deadline
from tuijin.projects.demo import PROJECTS as DEMO_PROJECTS

REPORT = (Path(__file__).parent / "data" / "suizhou-2022-simplified.txt").read_text(
    encoding="utf-8"
)
REFERENCE = datetime.date(2022, 11, 21)


@pytest.fixture(scope="module")
def report() -> Extraction:
    return extract(REPORT, reference_date=REFERENCE)


class TestSourceReport:
    def test_it_finds_the_21_projects_of_the_demo_ledger(self, report):
        assert len(report.projects) == 21
        found = {(p.name, p.park) for p in report.projects}
        assert found == {(spec["name"], spec["park"]) for spec in DEMO_PROJECTS}

    def test_it_puts_the_projects_in_their_four_parks(self, report):
        per_park = Counter(p.park for p in report.projects)
        assert per_park == {"青春化工园": 9, "城东产业园": 6, "铁北产业园": 4, "府南产业园": 2}

    def test_the_fu_nan_sentence_gives_two_projects(self, report):
        fu_nan = [p.name for p in report.projects if p.park == "府南产业园"]
        assert fu_nan == ["年产10万吨新能源动力电池负极材料一体化项目", "南外环"]

    def test_it_reads_construction_content_from_the_name(self, report):
        content = {p.name: p.content for p in report.projects}
        assert content["犇星二期年产3万吨新能源电解液"] == "年产3万吨新能源电解液"
        assert content["云南年产2万吨高端锂电铜箔"] == "年产2万吨高端锂电铜箔"
        assert content["施奈德电气公司高低压成套设备"] == "高低压成套设备"
        assert content["文帝学校"] is None

    def test_the_first_mention_of_the_talent_flats_gets_its_park_later(self, report):
        assert report.projects[0].name == "人才公寓"  # "…人才公寓项目地块", the first sentence
        assert report.projects[0].park == "城东产业园"

    def test_it_finds_the_people_with_their_titles(self, report):
        people = {p.name: p.title for p in report.people}
        assert people["郭晓东"] == "随州高新区党工委书记、管委会主任"
        assert people["朱西胜"] == "高新区管委会副主任"
        assert people["陈俊杰"] == "随州高新区党工委委员、纪检监察工委书记"
        assert "周六" not in people  # "书记周六现场办公会": a weekday after a title

    def test_it_finds_the_parks_and_places(self, report):
        assert report.parks[:5] == [
            "随州高新区",
            "青春化工园",
            "城东产业园",
            "铁北产业园",
            "府南产业园",
        ]
        assert {"淅河镇", "碑岗村", "丰碑产业园"} <= set(report.parks)
        assert not any(p.endswith("个村") or p == "乡村" for p in report.parks)

    def test_it_finds_the_deadline_set_on_site(self, report):
        assert "三天后" in report.deadlines
        assert ("三天后", datetime.date(2022, 11, 24)) in report.resolved_deadlines

    def test_it_finds_the_bottlenecks_and_the_illegal_buildings(self, report):
        assert report.problems == [
            "两处违章建筑物在使用",
            "土地指标短缺",
            "绿电保障不优",
            "能耗指标不足",
            "产业配套不强",
        ]

    def test_it_lists_dates_as_written(self, report):
        assert report.dates == ["11月上旬", "11月20日", "11月14日", "11月初", "2023年"]

    def test_it_finds_the_enterprises(self, report):
        assert {"正丹化学公司", "施奈德电气公司", "齐星公司", "品源现代农业公司"} <= set(
            report.enterprises
        )
        assert {"黄鹤楼酒业", "青岛啤酒", "正大食品", "健民药厂"} <= set(report.enterprises)

    def test_as_dict_has_the_json_shape(self, report):
        data = report.as_dict()
        assert list(data) == [
            "parks",
            "projects",
            "enterprises",
            "people",
            "dates",
            "deadlines",
            "problems",
        ]
        assert data["projects"][1] == {
            "name": "犇星二期年产3万吨新能源电解液",
            "park": "青春化工园",
            "content": "年产3万吨新能源电解液",
            "reason": "列举于“青春化工园，犇星…园等项目全力推进”",
            "confidence": 0.95,
            "aliases": [],
        }
        assert {"name": "朱西胜", "title": "高新区管委会副主任"} in data["people"]


class TestRules:
    def test_a_list_before_deng_xiangmu(self):
        found = extract(
            "王广部一行先后深入到杨宁特殊膳食、健袖蛋黄球蛋白及溶菌酶、海王优品等项目现场。"
        )
        assert [p.name for p in found.projects] == [
            "杨宁特殊膳食",
            "健袖蛋黄球蛋白及溶菌酶",
            "海王优品",
        ]

    def test_a_list_whose_last_item_ends_in_xiangmu(self):
        found = extract(
            "先后深入到航天科工新能源产业园、华信路提升改造、九州双创研发平台项目现场。"
        )
        assert [p.name for p in found.projects] == [
            "航天科工新能源产业园",
            "华信路提升改造",
            "九州双创研发平台项目",
        ]

    def test_a_verb_before_xiangmu_is_not_a_project(self):
        text = "认真听取项目负责同志汇报，现场解决项目推进中的困难，同向发力打通项目招引全链条。"
        assert extract(text).projects == []

    def test_a_named_project_and_what_it_builds(self):
        found = extract(
            "众安诚旭新型建筑材料建设项目总投资2亿元，主要建设绿色环保新型装配式建筑材料和配套模具生产线。"
        )
        assert [(p.name, p.content) for p in found.projects] == [
            ("众安诚旭新型建筑材料建设项目", "绿色环保新型装配式建筑材料和配套模具生产线")
        ]

    def test_titles_joined_and_names_listed_after_them(self):
        found = extract("区党工委副书记、管委会主任蔡军宣布开工令。区领导邓兴、张忠良参加活动。")
        assert found.people == [
            PersonMention("蔡军", "区党工委副书记、管委会主任"),
            PersonMention("邓兴", "区领导"),
            PersonMention("张忠良", "区领导"),  # the title is shared by the names listed after it
        ]

    def test_a_name_is_not_part_of_a_park(self):
        found = extract("8月11日，区委书记荣红智到凤凰工业园调研重点项目建设工作。")
        assert found.people == [PersonMention("荣红智", "区委书记")]
        assert found.parks == ["凤凰工业园"]

    def test_problems_from_keywords_and_from_still(self):
        found = extract("由于场地紧张，工棚不够住、材料无处堆放。见到仍有两处违章建筑物在使用。")
        assert found.problems == ["场地紧张", "工棚不够住", "材料无处堆放", "两处违章建筑物在使用"]

    def test_deadlines_as_written(self):
        text = "要求11月底前完成整改，确保5月底开工，3个工作日内反馈，争取在八月底前完成任务。"
        assert extract(text).deadlines == [
            "要求11月底前完成",
            "确保5月底开工",
            "3个工作日内",
            "争取在八月底前完成",
        ]

    def test_without_a_reference_date_nothing_is_resolved(self):
        found = extract("当即限定：三天后一定要见到成效。")
        assert found.resolved_deadlines == [("三天后", None)]

    def test_empty_text_gives_empty_lists(self):
        assert extract("").as_dict() == {
            "parks": [],
            "projects": [],
            "enterprises": [],
            "people": [],
            "dates": [],
            "deadlines": [],
            "problems": [],
        }


class TestResolveDeadline:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("三天后", datetime.date(2022, 11, 24)),
            ("三天为限", datetime.date(2022, 11, 24)),
            ("10日内", datetime.date(2022, 12, 1)),
            ("两周内", datetime.date(2022, 12, 5)),
            ("3个月内", datetime.date(2023, 2, 21)),
            ("11月底前", datetime.date(2022, 11, 30)),
            ("确保5月底开工", datetime.date(2023, 5, 31)),  # May has passed: next year's
            ("争取在八月底前完成", datetime.date(2023, 8, 31)),
            ("12月20日前", datetime.date(2022, 12, 20)),
            ("12月上旬前", datetime.date(2022, 12, 10)),
            ("年底前", datetime.date(2022, 12, 31)),
        ],
    )
    def test_it_counts_from_the_reference_date(self, text, expected):
        assert resolve_deadline(text, REFERENCE) == expected

    def test_working_days_skip_weekends_and_holidays(self):
        # Friday 30 September 2022, then the National Day holiday until 7 October;
        # 8 and 9 October were make-up working days.
        assert resolve_deadline("3个工作日内", datetime.date(2022, 9, 30)) == datetime.date(
            2022, 10, 10
        )

    @pytest.mark.parametrize("text", ["13月底前", "2月30日前", "尽快"])
    def test_it_gives_none_for_no_date(self, text):
        assert resolve_deadline(text, REFERENCE) is None
