"""The recall generator (``extract.shapes``, I18 eighth round): projects written without 项目,
read from general shapes; phrases made up in those shapes, none copied from a labelled text."""

from tuijin.intake.extract import extract, shapes
from tuijin.intake.extract.mentions import CONFIDENT


def confident(text: str) -> list[str]:
    return [p.name for p in extract(text).projects if p.confidence >= CONFIDENT]


def candidates(generate, sentence: str) -> dict[str, float]:
    return {name: confidence for _, _, name, _, confidence in generate(sentence)}


class TestWorks:
    def test_a_firm_and_a_works_noun_being_built_is_a_project(self):
        found = extract("青禾药业智能化生产基地正式开工，计划总投资3亿元。").projects
        (project,) = [p for p in found if "生产基地" in p.name]
        assert project.name == "青禾药业智能化生产基地"
        assert project.confidence >= CONFIDENT
        assert "含企业或行业词“药业”" in project.reason

    def test_a_zone_is_no_project(self):
        # the zone the report is about, or a zone's word inside the subject
        assert (
            candidates(shapes.works, "县委书记来到城东工业园调研。").get("城东工业园", 0)
            < CONFIDENT
        )
        assert "临港新区化工产业园" not in confident("临港新区化工产业园加快建设。")

    def test_a_park_only_visited_is_not_confident(self):
        found = candidates(shapes.works, "先后到瑞拓电子产业园、精工制造产业园调研。")
        assert all(c < CONFIDENT for c in found.values())

    def test_a_measure_or_a_projects_content_is_no_subject(self):
        assert not candidates(shapes.works, "主要建设年产50万吨骨料生产线，总投资2亿元。")
        assert not candidates(shapes.works, "配套建设10万吨沥青生产线。")

    def test_a_name_ending_in_xiangmu_is_left_to_its_finders(self):
        assert not candidates(shapes.works, "青禾药业智能化生产基地项目开工。")


class TestCapacities:
    def test_a_maker_and_its_capacity_is_a_project(self):
        found = candidates(shapes.capacities, "签约的安瑞精工年产200万套汽车轴承，总投资5亿元。")
        assert list(found) == ["安瑞精工年产200万套汽车轴承"]
        assert found["安瑞精工年产200万套汽车轴承"] >= CONFIDENT

    def test_no_maker_named_is_none(self):
        assert not candidates(shapes.capacities, "达产后可年产植物润滑油10万吨以上。")
