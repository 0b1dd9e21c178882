"""Logins as a government system expects: the real client address behind our proxy (lockout per
user and address, logs), access events in the audit trail with address and browser."""

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from tuijin.core.clientip import client_ip
from tuijin.core.models import AuditEvent
from tuijin.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
HOME_A, HOME_B = "203.0.113.5", "198.51.100.7"
BROWSER = "Mozilla/5.0 (Linux; Android 14) 政务微信"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def log_in(username, password, forwarded_for=None, remote=PROXY, client=None):
    client = client or Client()
    extra = {"REMOTE_ADDR": remote, "HTTP_USER_AGENT": BROWSER}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = client.post(reverse("login"), {"username": username, "password": password}, **extra)
    return client, response


def request_from(remote, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


# --- The client's address ----------------------------------------------------------------------


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from(HOME_A, "1.2.3.4")) == HOME_A


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(behind_proxy):
    assert client_ip(request_from(PROXY, HOME_A)) == HOME_A
    # The left entries were written by the client: only what our proxy appended counts.
    assert client_ip(request_from(PROXY, f"1.2.3.4, {HOME_A}")) == HOME_A
    # Two of our proxies in a row: the first address before them.
    assert client_ip(request_from(PROXY, f"{HOME_A}, 10.0.0.2")) == HOME_A
    # From anyone else the header is ignored.
    assert client_ip(request_from(HOME_B, "1.2.3.4")) == HOME_B
    # Garbage in the header: the last good hop.
    assert client_ip(request_from(PROXY, "not-an-ip")) == PROXY
    assert client_ip(request_from(PROXY)) == PROXY


def test_a_locked_out_official_can_still_log_in_from_another_address(org, behind_proxy):
    for _ in range(5):
        log_in("leader", "wrong-password", HOME_A)
    _client, response = log_in("leader", DEMO_PASSWORD, HOME_A)
    assert response.status_code == 429  # locked: this user from this address

    _client, response = log_in("leader", DEMO_PASSWORD, HOME_B)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # The logs name the real addresses, not the proxy's.
    assert AccessLog.objects.get(username="leader").ip_address == HOME_B
    failed = set(AccessFailureLog.objects.values_list("ip_address", flat=True))
    assert failed == {HOME_A}


def test_forwarded_for_from_an_untrusted_client_does_not_escape_the_lockout(org, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        log_in("leader", "wrong-password", f"192.0.2.{n}", remote=HOME_A)
    _client, response = log_in("leader", DEMO_PASSWORD, "192.0.2.99", remote=HOME_A)
    assert response.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {HOME_A}
    assert {e.changes["ip"] for e in access_events("login_failed")} == {HOME_A}


# --- Access events in the audit trail ------------------------------------------------------


def access_events(action):
    return list(AuditEvent.objects.filter(model="auth.user", action=action).order_by("pk"))


def test_login_logout_and_failed_logins_are_audited_with_address_and_browser(org, behind_proxy):
    leader = get_user_model().objects.get(username="leader")
    log_in("leader", "wrong-password", HOME_A)
    client, response = log_in("leader", DEMO_PASSWORD, HOME_B)
    assert response.status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOME_B,
                HTTP_USER_AGENT=BROWSER)  # fmt: skip

    (failed,) = access_events("login_failed")
    assert failed.changes == {"ip": HOME_A, "user_agent": BROWSER}
    assert failed.actor is None and failed.object_repr == "leader"
    (login,) = access_events("login")
    (logout,) = access_events("logout")
    for event in (login, logout):
        assert event.changes == {"ip": HOME_B, "user_agent": BROWSER}
        assert event.actor == leader and event.object_id == str(leader.pk)


def test_a_lockout_is_audited_with_the_address(org, behind_proxy):
    for _ in range(5):
        log_in("jingfa", "wrong-password", HOME_A)
    (lockout,) = access_events("lockout")
    assert lockout.changes["ip"] == HOME_A and lockout.object_repr == "jingfa"
