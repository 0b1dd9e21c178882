"""The meeting form asks in words ("请选择会议类型"), not with Django's bare "---------"."""

import re

from django.urls import reverse


def test_the_meeting_form_asks_for_kind_park_and_chair(supervisor):
    response = supervisor.get(reverse("meetings:meeting_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "---------" not in html
    for label in ("请选择会议类型", "请选择园区", "请选择主持人"):
        assert re.search(f'<option value=""( selected)?>{label}</option>', html)
