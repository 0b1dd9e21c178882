"""The event registry: every event an app publishes or has a rule for is named (never its key)
on the bell's list, the preferences page and the rules admin; notify's own events keep theirs."""

import re

from django.urls import reverse
from django.utils import translation

from tuijin.notify.events import URGENT_EVENTS, event_choices, event_keys, event_label
from tuijin.notify.models import Event, Notification, Rule

# The events other apps publish, each registered by its app's ready() (notify imports no
# domain app, so their keys are written out; every one of them has rules, walked below).
CLOCK = "lead_clock_overdue"  # investment
RAISED, ASSIGNED, ANSWERED = "request_raised", "request_assigned", "request_answered"
PUBLISHED = {
    CLOCK: "招商项目时限超期",
    "rural_payment_late": "联农协议逾期付款",  # rural
    RAISED: "企业提出诉求",  # enterprise_requests
    ASSIGNED: "企业诉求交办",
    ANSWERED: "企业诉求已答复",
    "request_reopened": "企业诉求重新打开",
}


def test_notify_events_keep_their_labels_order_and_urgency():
    assert event_keys()[: len(Event.values)] == Event.values
    assert [str(label) for _k, label in event_choices()][: len(Event.labels)] == [
        str(label) for label in Event.labels
    ]
    assert event_label(Event.ITEM_OVERDUE) == Event.ITEM_OVERDUE.label
    assert {Event.ITEM_OVERDUE, Event.ITEM_FELL_OVERDUE} <= URGENT_EVENTS
    assert CLOCK not in URGENT_EVENTS
    assert event_label("nobody_registered_this") == "nobody_registered_this"


def test_every_published_event_has_its_chinese_label():
    with translation.override("zh-hans"):
        assert {key: str(event_label(key)) for key in PUBLISHED} == PUBLISHED


def test_every_rule_names_a_registered_event(db):
    Rule.ensure_defaults()
    events = set(Rule.objects.values_list("event", flat=True))

    assert set(PUBLISHED) <= events  # the apps' migrations made their rules
    assert events - set(event_keys()) == set()
    for rule in Rule.objects.all():
        assert rule.get_event_display() != rule.event
        rule.full_clean()  # a valid choice: the admin can save it


def test_the_list_names_the_event_not_its_key(staff, django_user_model):
    me = django_user_model.objects.get(username="jingfa_staff")
    Notification.objects.create(recipient=me, event=RAISED, title="企业诉求:用电报装慢")

    html = staff.get(reverse("notify:list")).content.decode()

    assert "企业提出诉求 · " in html
    assert RAISED not in html


def test_preferences_list_the_apps_events(staff):
    html = staff.get(reverse("notify:preferences")).content.decode()

    assert html.count('type="checkbox" name="events"') == len(event_keys())
    for key, label in PUBLISHED.items():
        assert f'value="{key}"' in html
        assert label in html


def test_muting_an_app_event_is_kept(staff, django_user_model):
    received = [key for key in event_keys() if key != ANSWERED]
    staff.post(reverse("notify:preferences"), {"events": received, "version": 0})

    me = django_user_model.objects.get(username="jingfa_staff")
    assert me.notify_preference.muted_events == [ANSWERED]


def test_the_rules_admin_names_the_apps_events(admin_client_):
    Rule.ensure_defaults()
    html = admin_client_.get(reverse("admin:notify_rule_changelist")).content.decode()
    assert "企业诉求交办" in html
    assert "招商项目时限超期" in html

    rule = Rule.objects.get(event=ASSIGNED, audience="lead_unit")
    html = admin_client_.get(reverse("admin:notify_rule_change", args=[rule.pk])).content.decode()
    assert f'<option value="{ASSIGNED}" selected>企业诉求交办</option>' in html


def test_the_apps_event_labels_are_translated():
    with translation.override("en"):
        english = [str(event_label(key)) for key in PUBLISHED]
    assert not [label for label in english if re.search(r"[\u4e00-\u9fff]", label)]
