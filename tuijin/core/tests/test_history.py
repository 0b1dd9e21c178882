"""The history tab reads as people read (L11 part 8): labels, names and local times, never
ids, internal keys, True/False or ISO/UTC timestamps."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.org.models import Unit
from tuijin.projects.models import Enterprise

ISO = re.compile(r"\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}|\+00:00|UTC")


def history_text(client, record) -> str:
    url = reverse("history", args=[record._meta.label_lower, record.pk])
    html = client.get(url).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="history"')[1]))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_history_shows_labels_names_and_local_times(org, leader):
    parent = Unit.objects.get(name="城东产业园")
    unit = parent.add_child(name="临时专班", kind="community", sort_order=999)
    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH,
        title="12月20日云视频调度会",
        starts_at=dt.datetime(2026, 12, 20, 11, 0, tzinfo=dt.UTC),  # 19:00 in Asia/Shanghai
        slot="z1:dispatch:2026-12-20",
    )
    meeting.invited_units.add(unit, parent)
    unit.delete()  # the invited unit is gone: its name comes from its own events
    enterprise = Enterprise.objects.create(
        name="湖北测试科技有限公司", unit=org["经济发展局"], is_key=True
    )

    text = history_text(leader, meeting)
    assert "2026年12月20日 19:00" in text  # the zone's time zone, Chinese format
    assert "参会单位: +城东产业园、临时专班" in text
    assert "slot" not in text and "z1:dispatch" not in text  # an internal key
    assert "ID:" not in text and f" {meeting.pk} " not in text  # the row's own id
    assert not ISO.search(text), ISO.search(text)
    enterprise_text = history_text(leader, enterprise)
    assert "重点企业: 是" in enterprise_text
    assert "True" not in enterprise_text and "False" not in enterprise_text


def test_history_in_english_writes_dates_in_english(org, leader):
    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH,
        title="调度会",
        starts_at=dt.datetime(2026, 12, 20, 11, 0, tzinfo=dt.UTC),
    )
    meeting.invited_units.add(org["经济发展局"])
    leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = history_text(leader, meeting)
    assert "20 Dec 2026 19:00" in text
    assert "年" not in text.replace("调度会", "")


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_a_history_address_with_an_id_that_is_no_number_is_404(org, leader, pk):
    # Was a 500 ("Field 'id' expected a number but got 'abc'") for anything not an integer.
    assert leader.get(f"/history/projects.project/{pk}/").status_code == 404
