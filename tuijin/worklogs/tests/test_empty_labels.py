"""The log and roster forms ask in words ("请选择问题类别"), not with Django's bare "---------"."""

import re

from django.urls import reverse


def asks(response, *labels: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "---------" not in html
    for label in labels:
        assert re.search(f'<option value=""( selected)?>{label}</option>', html), label


def test_a_visit_asks_for_the_problem_category(staff):
    asks(staff.get(reverse("worklogs:log_create")), "请选择问题类别")


def test_the_leave_form_asks_for_the_cadre_and_the_reason(unit_head):
    asks(unit_head.get(reverse("worklogs:roster")), "请选择干部", "请选择原因")
