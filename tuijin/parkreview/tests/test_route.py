"""The route page (调整路线): its rows are parsed by a formset; a row the page did not send, a
stop of another review or the same stop twice is a message naming the row, nothing saved and
what was typed kept."""

import pytest
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.parkreview.models import ParkEntry, ParkReview, Stop
from tuijin.parkreview.tests.factories import make_review


@pytest.fixture
def review(org):
    return make_review(scoring=False)


def route_data(review, **changes) -> dict:
    stops = list(review.stops.order_by("entry__position", "position", "pk"))
    data = {
        "version": review.version,
        "stops-TOTAL_FORMS": len(stops),
        "stops-INITIAL_FORMS": len(stops),
        "add": "",
    }
    for entry in review.entries.all():
        data[f"park_{entry.pk}"] = entry.position
    for n, stop in enumerate(stops):
        data |= {
            f"stops-{n}-stop": stop.pk,
            f"stops-{n}-position": stop.position,
            f"stops-{n}-arrive_at": stop.arrive_at.strftime("%H:%M"),
            f"stops-{n}-minutes": stop.minutes,
        }
    return data | changes


def post(client, review, data):
    return client.post(reverse("parkreview:plan_edit", args=[review.pk]), data)


def test_it_saves_the_route(review, supervisor):
    data = route_data(review, **{"stops-0-minutes": 45})
    response = post(supervisor, review, data)
    assert response.status_code == 302
    assert review.stops.get(pk=data["stops-0-stop"]).minutes == 45


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        # One row more than the page sent, without its stop (was a KeyError: 500).
        ({"stops-TOTAL_FORMS": 5, "stops-4-minutes": "30"}, "第5行观摩点"),
        ({"stops-1-stop": "abc"}, "第2行观摩点"),
        ({"stops-1-stop": "99999999999999999999"}, "第2行观摩点"),
        ({"stops-TOTAL_FORMS": "abc"}, "观摩点行数不完整"),
        ({"stops-TOTAL_FORMS": "99999999999999999999"}, ""),
        ({"stops-2-minutes": "-1"}, "第3行停留(分钟)"),
        ({"stops-0-arrive_at": "25:99"}, "第1行到达时间"),
        ({"add": "abc"}, "添加观摩点"),
        ({"version": "abc"}, "请刷新页面"),
    ],
)
def test_bad_input_is_a_message_naming_the_row_or_field(review, supervisor, changes, words):
    data = route_data(review, **{"stops-0-minutes": 45}) | changes
    events = AuditEvent.objects.count()
    response = post(supervisor, review, data)
    assert response.status_code == 200
    error = response.context["error"]
    assert words in error
    assert AuditEvent.objects.count() == events
    if "stops-TOTAL_FORMS" not in changes:
        assert 'value="45"' in response.content.decode()  # what was typed is kept


def test_a_stop_of_another_review_is_refused(review, supervisor):
    stop = review.stops.select_related("entry").first()
    other = ParkReview.objects.create(
        zone=review.zone, year=2025, quarter=4, title="上季度", tour_date=review.tour_date,
        start_time=review.start_time,
    )  # fmt: skip
    entry = ParkEntry.objects.create(review=other, park=stop.entry.park, position=1)
    theirs = Stop.objects.create(review=other, entry=entry, project=stop.project, position=1)
    data = route_data(review, **{"stops-0-stop": theirs.pk})
    response = post(supervisor, review, data)
    assert "第1行观摩点:不是本次观摩的观摩点" in response.context["error"]


def test_the_same_stop_twice_is_refused(review, supervisor):
    data = route_data(review)
    data["stops-1-stop"] = data["stops-0-stop"]
    response = post(supervisor, review, data)
    assert "第2行与第1行是同一个观摩点" in response.context["error"]
