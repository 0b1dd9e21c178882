"""Shared fixtures: the demo organisation and one logged-in client per role (personas)."""

import pytest
from django.test import Client

from tuijin.org import demo
from tuijin.org.models import Unit


@pytest.fixture
def org(db):
    """The demo zone (随州高新区) with its units and one user per role; returns units by name."""
    units = demo.load_org()
    demo.load_people(units)
    return units


def login_as(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def leader(org):
    """Zone leader: sees the whole zone."""
    return login_as("leader")


@pytest.fixture
def supervisor(org):
    return login_as("duban")


@pytest.fixture
def unit_head(org):
    """Head of 经济发展局."""
    return login_as("jingfa")


@pytest.fixture
def staff(org):
    """Staff of 经济发展局."""
    return login_as("jingfa_staff")


@pytest.fixture
def outsider(org):
    """Head of 城东产业园: another unit than the staff persona's."""
    return login_as("chengdong")


@pytest.fixture
def inspector(org):
    return login_as("jijian")


@pytest.fixture
def liaison(org):
    return login_as("qiye")


@pytest.fixture
def admin_client_(org):
    return login_as("admin")


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)
