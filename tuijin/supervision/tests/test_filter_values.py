"""Filters that mean one thing: each value of a status filter stands for one set of states,
and the pseudo-states the home pages link with (未解决, 待反馈, 待核查) have values of their own."""

from django.urls import reverse

from tuijin.org.models import Person
from tuijin.projects.tests.factories import make_project
from tuijin.supervision import services
from tuijin.supervision.filters import ItemFilter
from tuijin.supervision.forms import ProblemListForm
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category


def values(choices) -> list[str]:
    return [str(value) for value, _label in choices]


def test_each_status_value_means_one_thing():
    problem_values = values(ProblemListForm.base_fields["status"].choices)
    assert len(problem_values) == len(set(problem_values))
    assert "unresolved" in problem_values and "open" in problem_values
    item_values = values(ItemFilter.base_filters["state"].extra["choices"])
    assert len(item_values) == len(set(item_values))


def raise_problems(org):
    staff = Person.objects.get(user__username="jingfa_staff").user
    project = make_project(unit=org["经济发展局"])
    made = {}
    for status in Problem.Status.values:
        problem = services.raise_problem(
            staff, project=project, category=category(), description=f"问题 {status}"
        )
        Problem.objects.filter(pk=problem.pk).update(status=status)
        made[status] = problem
    return made


def listed(client, query: str) -> set[str]:
    response = client.get(reverse("supervision:problem_list") + query)
    assert response.status_code == 200
    return {p.description for p in response.context["page"]}


def test_unresolved_is_open_and_coordinating_and_open_is_open_only(org, staff):
    raise_problems(org)
    unresolved = {"问题 open", "问题 coordinating"}
    assert listed(staff, "") == unresolved  # the default
    assert listed(staff, "?status=unresolved") == unresolved
    assert listed(staff, "?status=open") == {"问题 open"}
    assert listed(staff, "?status=coordinating") == {"问题 coordinating"}
    assert len(listed(staff, "?status=all")) == len(Problem.Status.values)


def test_the_status_select_offers_each_value_once(org, staff):
    page = staff.get(reverse("supervision:problem_list")).content.decode()
    assert page.count('value="open"') == 1
    assert '<option value="unresolved" selected>' in page


def test_an_old_open_link_still_answers_without_a_warning(org, staff):
    response = staff.get(reverse("supervision:problem_list") + "?status=open")
    assert response.status_code == 200
    assert not list(response.context["messages"])
