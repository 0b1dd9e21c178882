"""The zone home: figures as the reader may see them, in a constant number of queries."""

from django.core.management import call_command


def test_home_query_count_is_constant(leader, django_assert_max_num_queries):
    call_command("load_demo", verbosity=0)
    with django_assert_max_num_queries(16):
        response = leader.get("/")
    assert response.context["project_count"] == 21
