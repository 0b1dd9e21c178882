"""The route's 添加观摩点 asks in words, not with Django's bare "---------"."""

import re

from django.urls import reverse

from tuijin.parkreview.tests.factories import make_review


def test_the_route_asks_for_a_stop_to_add(org, supervisor):
    review = make_review(scoring=False)
    response = supervisor.get(reverse("parkreview:plan_edit", args=[review.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "---------" not in html
    assert re.search('<option value=""( selected)?>请选择要添加的观摩点</option>', html)
