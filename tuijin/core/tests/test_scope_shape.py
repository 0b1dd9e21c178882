"""B12: the visibility filter's shape, which decides whether PostgreSQL can answer a page by
index at province scale. A reader who sees the whole tree gets no condition; everyone else gets
indexed columns against lists read once per request, never a subquery per page query."""

from django.contrib.auth import get_user_model

from conftest import unit
from tuijin.org.access import unit_scope
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Project
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.tests.factories import make_item


def user(username):
    return get_user_model().objects.get(username=username)


def sql(queryset) -> str:
    return str(queryset.query).lower()


def test_a_zone_leader_of_a_one_zone_tree_gets_no_condition(org):
    leader = user("leader")
    assert unit_scope(leader).everything
    assert "where" not in sql(Project.objects.visible_to(leader))
    assert "where" not in sql(SupervisionItem.objects.visible_to(leader))


def test_a_second_zone_makes_the_zone_leader_see_only_their_own(org):
    other = Unit.objects.add_root(instance=Unit(name="另一高新区", kind=UnitKind.ZONE))
    park = Unit.objects.add_child(other, instance=Unit(name="另一产业园", kind=UnitKind.PARK))
    theirs = make_project("另一区项目", park=park.name, unit=park.name)
    ours = make_project("本区项目")
    leader = user("leader")
    assert not unit_scope(leader).everything
    visible = set(Project.objects.visible_to(leader))
    assert ours in visible and theirs not in visible
    assert "where" in sql(Project.objects.visible_to(leader))


def test_staff_visibility_reads_lists_not_subqueries(org):
    staff = user("jingfa_staff")
    make_item()
    for queryset in (Project.objects.visible_to(staff), SupervisionItem.objects.visible_to(staff)):
        text = sql(queryset)
        # The link tables were read once, into lists: no join or subquery over them per query.
        assert "select" not in text.split(" where ", 1)[1]
        assert "distinct" not in text


def test_an_item_led_outside_the_scope_is_seen_by_its_co_unit(org):
    staff = user("jingfa_staff")
    led_elsewhere = make_item(lead="住建局", co=["经济发展局"])
    own = make_item(lead="经济发展局")
    stranger = make_item(lead="住建局")
    visible = set(SupervisionItem.objects.visible_to(staff))
    assert {led_elsewhere, own} <= visible and stranger not in visible


def test_the_scope_is_read_once_per_request(org, django_assert_num_queries):
    staff = user("jingfa_staff")
    # The person, the unit ids, their own projects, the co-operated items, then the list.
    with django_assert_num_queries(5):
        list(SupervisionItem.objects.visible_to(staff))
    with django_assert_num_queries(1):  # the second list reads the cached scope
        list(SupervisionItem.objects.visible_to(staff).filter(state="assigned"))
    assert unit_scope(staff).unit_ids == [unit("经济发展局").pk]
