"""The 督办 workflow through the API, verb by verb, as the item page does it: sign, start,
feedback, schedule, verify (属实 closes), return; extend and its decision; cancel. Each answers
the item with its new version; a refusal of the state or the rule changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from tuijin.api.tests.helpers import api_as
from tuijin.supervision.models import ExtensionRequest, SupervisionItem
from tuijin.supervision.tests.factories import make_item, person

pytestmark = pytest.mark.django_db


def test_an_item_from_signing_to_closing(org):
    item = make_item(lead="经济发展局", deadline=timezone.localdate() + dt.timedelta(days=10))
    unit, office = api_as("jingfa"), api_as("duban")

    def do(client, verb, **body):
        version = SupervisionItem.objects.get(pk=item.pk).version
        response = client.post(f"/items/{item.pk}/{verb}", {"version": version, **body})
        assert response.status_code == 200, (verb, response.content.decode()[:400])
        return response.json()

    assert "accept" in unit.get(f"/items/{item.pk}").json()["allowed_actions"]
    assert do(unit, "sign")["state"] == "accepted"
    assert do(unit, "start")["state"] == "in_progress"
    done = do(unit, "feedback", text="两处违建已拆除", latitude=31.7, longitude=113.4)
    assert done["state"] == "reported" and done["feedbacks"][0]["text"] == "两处违建已拆除"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    scheduled = do(office, "schedule", day=tomorrow, time="10:30", people=[person("duban").pk])
    assert scheduled["state"] == "verifying"
    returned = do(office, "verify", result="partly", text="只拆了一处")
    assert returned["state"] == "in_progress" and returned["returned_count"] == 1
    do(unit, "feedback", text="第二处也已拆除")
    closed = do(office, "verify", result="true", text="属实")
    assert closed["state"] == "closed" and closed["closed_on_time"] is True
    assert [a["verb"] for a in closed["activities"]][:2] == ["verify", "report"]


def test_extension_requested_and_decided_through_the_api(org):
    item = make_item(lead="经济发展局", deadline=timezone.localdate() + dt.timedelta(days=3))
    unit, office = api_as("jingfa"), api_as("duban")
    later = (item.deadline + dt.timedelta(days=7)).isoformat()
    asked = unit.post(
        f"/items/{item.pk}/extend",
        {"version": item.version, "new_deadline": later, "reason": "雨季"},
    )
    assert asked.status_code == 200, asked.content
    extension = ExtensionRequest.objects.get(item=item)
    no_reason = office.post(
        f"/items/{item.pk}/extension-decision",
        {"version": asked.json()["version"], "extension": extension.pk, "approve": False},
    )
    assert no_reason.status_code == 422 and "note" in no_reason.json()["errors"]
    decided = office.post(
        f"/items/{item.pk}/extension-decision",
        {"version": asked.json()["version"], "extension": extension.pk, "approve": True},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["deadline"] == later
    assert decided.json()["extensions"][0]["status"] == "approved"


def test_refusals_change_nothing(org):
    item = make_item(lead="经济发展局")
    before = SupervisionItem.objects.values().get(pk=item.pk)
    # The state refuses: an assigned item cannot be verified (409), nor closed by the unit.
    wrong_state = api_as("duban").post(
        f"/items/{item.pk}/verify", {"version": item.version, "result": "true", "text": "好"}
    )
    assert wrong_state.status_code in (403, 409)
    # The rule refuses: another unit's head may not sign (outside their scope: 404).
    assert api_as("chengdong").post(f"/items/{item.pk}/sign", {"version": 1}).status_code == 404
    # An inspector sees it but may not act (403), token or not.
    assert api_as("jijian").post(f"/items/{item.pk}/urge", {"version": 1}).status_code == 403
    # An enterprise liaison who cannot see it: 404.
    assert (
        api_as("qiye").post(f"/items/{item.pk}/cancel", {"version": 1, "note": "x"}).status_code
        == 404
    )
    assert SupervisionItem.objects.values().get(pk=item.pk) == before
