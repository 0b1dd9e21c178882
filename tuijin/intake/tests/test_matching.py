"""Matching names from a text to records: similarity, containment, parks, and scoping."""

import pytest
from django.contrib.auth import get_user_model

from tuijin.intake import matching
from tuijin.projects.tests.factories import make_enterprise, make_project


def user(username):
    return get_user_model().objects.get(username=username)


def test_equal_names_score_one():
    assert matching.similarity("人才公寓", "人才公寓") == 1.0


def test_a_contained_short_form_is_a_match():
    score = matching.similarity(
        matching.normalize_project("犇星二期"),
        matching.normalize_project("犇星二期年产3万吨新能源电解液"),
    )
    assert matching.MATCH_THRESHOLD <= score < 1.0


def test_two_characters_are_too_short_to_count_as_containment():
    assert matching.similarity("园区", "青春化工园区") < matching.MATCH_THRESHOLD


def test_different_projects_with_shared_words_do_not_match():
    a = matching.normalize_project("年产10万吨石墨烯负极材料")
    b = matching.normalize_project("年产10万吨新能源动力电池负极材料一体化项目")
    assert matching.similarity(a, b) < matching.MATCH_THRESHOLD
    assert matching.similarity("北新建材产业园", "鑫星新材料产业园") < matching.MATCH_THRESHOLD


def test_a_close_spelling_matches_by_ratio():
    score = matching.similarity("国药天麻产业制造基地", "国药天麻产业制造园地")
    assert score >= matching.MATCH_THRESHOLD


def test_normalisation_drops_project_suffix_and_full_width():
    assert matching.normalize_project("南外环项目") == "南外环"
    assert matching.normalize_project("年产10万吨 ") == "年产10万吨"


def test_enterprise_names_lose_region_and_legal_form():
    assert matching.normalize_enterprise("正丹化学(随州)有限公司") == "正丹化学"
    assert matching.normalize_enterprise("正丹化学公司") == "正丹化学"
    assert matching.normalize_enterprise("湖北犇星新能源材料有限公司") == "犇星新能源材料"


@pytest.mark.django_db
def test_parks_match_without_the_zone_prefix_and_by_containment(org):
    parks = matching.match_parks(
        user("leader"), ["随州青春化工园", "化工园", "城东产业园", "西山产业园"]
    )
    assert parks["随州青春化工园"].name == "青春化工园"
    assert parks["化工园"].name == "青春化工园"
    assert parks["城东产业园"].name == "城东产业园"
    assert parks["西山产业园"] is None


@pytest.mark.django_db
def test_a_project_is_matched_with_its_name_and_percentage(org):
    project = make_project("犇星二期年产3万吨新能源电解液", park="青春化工园")
    make_project("年产10万吨石墨烯负极材料", park="青春化工园")
    candidates = matching.project_candidates(user("jingfa_staff"))
    match = matching.match_project("犇星二期", None, candidates)
    assert match.pk == project.pk
    assert match.name == "犇星二期年产3万吨新能源电解液"
    assert 75 <= match.percent < 100
    assert match.url == project.get_absolute_url()
    assert matching.match_project("文帝学校", None, candidates) is None


@pytest.mark.django_db
def test_another_units_project_is_not_matched_for_an_outsider(org):
    # 经济发展局's project in 青春化工园: the head of 城东产业园 does not see it.
    make_project("犇星二期年产3万吨新能源电解液", park="青春化工园", unit="经济发展局")
    outsider = matching.project_candidates(user("chengdong"))
    assert matching.match_project("犇星二期年产3万吨新能源电解液", None, outsider) is None
    staff = matching.project_candidates(user("jingfa_staff"))
    assert matching.match_project("犇星二期年产3万吨新能源电解液", None, staff).percent == 100


@pytest.mark.django_db
def test_a_project_in_the_named_park_wins_over_a_namesake_elsewhere(org):
    from tuijin.org.models import Unit

    make_project("人才公寓", park="青春化工园")
    chengdong = make_project("人才公寓", park="城东产业园")
    candidates = matching.project_candidates(user("leader"))
    park = Unit.objects.get(name="城东产业园")
    assert matching.match_project("人才公寓", park, candidates).pk == chengdong.pk


@pytest.mark.django_db
def test_enterprises_match_short_forms_and_respect_scope(org):
    enterprise = make_enterprise("湖北黄鹤楼酒业有限公司", unit="经济发展局", park="青春化工园")
    staff = matching.enterprise_candidates(user("jingfa_staff"))
    assert matching.match_enterprise("黄鹤楼酒业", staff).pk == enterprise.pk
    outsider = matching.enterprise_candidates(user("chengdong"))
    assert matching.match_enterprise("黄鹤楼酒业", outsider) is None
