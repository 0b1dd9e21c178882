"""Chinese keyword search through the bigram index (FTS5 on SQLite, GIN on PostgreSQL)."""

import pytest

from tuijin.worklogs.models import WorkLog
from tuijin.worklogs.search import index_text, needs_scan, search, tokens
from tuijin.worklogs.tests.factories import make_log


def test_tokens_are_bigrams_of_chinese_and_whole_latin_words():
    assert tokens("土地指标") == ["土地", "地指", "指标"]
    assert tokens("犇") == ["犇"]
    assert tokens("年产3万吨,LED灯") == ["年产", "3", "万吨", "led", "灯"]
    assert index_text("土地", "", "指标") == "土地\n指标"


def test_a_lone_chinese_character_needs_a_scan():
    assert needs_scan("水")
    assert not needs_scan("水厂")
    assert not needs_scan("5")


def found(query: str) -> set[str]:
    return set(search(WorkLog.objects.all(), query).values_list("text", flat=True))


@pytest.fixture
def logs(org):
    make_log(text="协调解决土地指标短缺问题")
    make_log(text="督促电解液项目设备安装", username="zhaoshang")
    make_log(text="走访城东水厂,指标正常")


@pytest.mark.django_db
def test_search_finds_substrings_only(logs):
    assert found("土地指标") == {"协调解决土地指标短缺问题"}
    assert found("电解液") == {"督促电解液项目设备安装"}
    assert found("指标") == {"协调解决土地指标短缺问题", "走访城东水厂,指标正常"}
    # Both bigrams occur ("土地" nowhere else), but not as the phrase 地水.
    assert found("地水") == set()
    assert found("指标土地") == set()


@pytest.mark.django_db
def test_every_term_must_match(logs):
    assert found("指标 水厂") == {"走访城东水厂,指标正常"}
    assert found("指标 电解液") == set()


@pytest.mark.django_db
def test_one_character_falls_back_to_a_substring_scan(logs):
    assert found("液") == {"督促电解液项目设备安装"}


@pytest.mark.django_db
def test_index_follows_edits_and_deletes(logs):
    log = WorkLog.objects.get(text__startswith="走访城东水厂")
    log.text = "走访人才公寓地块"
    log.search_text = index_text(log.text)
    log.save()
    assert found("水厂") == set()
    assert found("人才公寓") == {"走访人才公寓地块"}
    log.delete()
    assert found("人才公寓") == set()
    assert found("土地") == {"协调解决土地指标短缺问题"}


@pytest.mark.django_db
def test_visits_are_searchable_with_their_log(org):
    from tuijin.projects.tests.factories import make_project
    from tuijin.worklogs.tests.factories import visit_to

    project = make_project("犇星二期年产3万吨新能源电解液")
    make_log(
        text="周末走访", visits=[visit_to(project, purpose="协调能耗指标", found="设备待安装")]
    )
    assert found("犇星") == {"周末走访"}
    assert found("设备待安装") == {"周末走访"}


def test_the_search_migrations_hold_their_own_sql_matching_search_py():
    import importlib
    import inspect

    from tuijin.worklogs import search as live

    sqlite = importlib.import_module("tuijin.worklogs.migrations.0002_search_index")
    postgres = importlib.import_module("tuijin.worklogs.migrations.0004_search_vector")
    for migration in (sqlite, postgres):
        assert "tuijin" not in "".join(
            line for line in inspect.getsource(migration).splitlines() if "import" in line
        )
    assert sqlite.SQLITE_CREATE == live.SQLITE_CREATE
    assert sqlite.SQLITE_DROP == live.SQLITE_DROP
    assert postgres.POSTGRES_CREATE == live.POSTGRES_CREATE
    assert postgres.POSTGRES_DROP == live.POSTGRES_DROP
