"""Who sees a request (R15 item 14): the enterprise (its liaison), its 包保 leader, the handling
unit, the 督查室, zone leaders and admins; nobody else, not inspectors. Every persona, by the
queryset and by the page (404 outside); the list's query count."""

import pytest
from django.urls import reverse

from conftest import login_as
from tuijin.enterprise_requests.models import EnterpriseRequest
from tuijin.enterprise_requests.tests.factories import handled, make_enterprise, raise_one, user

# The request: the enterprise's liaison is qiye, its 包保 leader zhaoshang (招商局), handled by
# 经济发展局 (jingfa, jingfa_staff).
SEES = {"leader", "duban", "admin", "qiye", "zhaoshang", "jingfa", "jingfa_staff"}
BLIND = {"chengdong", "ziran", "jijian"}


@pytest.fixture
def request_(org):
    return handled(raise_one(make_enterprise()))


@pytest.mark.parametrize("name", sorted(SEES | BLIND))
def test_each_persona_sees_it_or_gets_404(request_, name):
    seen = EnterpriseRequest.objects.visible_to(user(name)).filter(pk=request_.pk).exists()
    assert seen == (name in SEES), name
    status = login_as(name).get(request_.get_absolute_url()).status_code
    assert status == (200 if name in SEES else 404), name
    listed = login_as(name).get(reverse("enterprise_requests:request_list")).content.decode()
    assert (request_.description in listed) == (name in SEES), name


def test_before_assignment_the_unit_does_not_see_it(org):
    request = raise_one(make_enterprise())
    assert not EnterpriseRequest.objects.visible_to(user("jingfa")).filter(pk=request.pk).exists()
    assert EnterpriseRequest.objects.visible_to(user("duban")).filter(pk=request.pk).exists()


def test_another_liaisons_enterprise_is_not_seen(org):
    other = make_enterprise(liaison=None)
    request = handled(raise_one(make_enterprise()))
    request.enterprise = other
    request.save()
    assert not EnterpriseRequest.objects.visible_to(user("qiye")).filter(pk=request.pk).exists()


def test_inspectors_get_no_menu_entry_nor_rates(org):
    client = login_as("jijian")
    home = client.get("/").content.decode()
    assert reverse("enterprise_requests:request_list") not in home
    assert client.get(reverse("enterprise_requests:unit_rates")).status_code == 403
    assert login_as("qiye").get(reverse("enterprise_requests:unit_rates")).status_code == 403


def test_a_read_only_role_cannot_act(request_):
    url = reverse("enterprise_requests:request_action", args=[request_.pk, "answer"])
    response = login_as("jijian").post(url, {"answer-version": 1, "answer-text": "x"})
    assert response.status_code == 404  # not even seen
    response = login_as("qiye").post(url, {"answer-version": request_.version, "answer-text": "x"})
    assert response.status_code == 403  # seen, not the unit's side
    assert EnterpriseRequest.objects.get(pk=request_.pk).answer == ""


def test_the_list_and_page_query_counts(org, django_assert_max_num_queries):
    enterprise = make_enterprise()
    for _ in range(5):
        handled(raise_one(enterprise))
    client = login_as("duban")
    client.get("/")  # the session and the person, read once
    with django_assert_max_num_queries(20):
        assert client.get(reverse("enterprise_requests:request_list")).status_code == 200
    request = EnterpriseRequest.objects.filter(enterprise=enterprise).first()
    with django_assert_max_num_queries(30):
        assert client.get(request.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("enterprise_requests:unit_rates")).status_code == 200
