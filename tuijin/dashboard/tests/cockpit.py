"""What the cockpit's test modules share: an empty cache around each test (the figures are
cached per scope) and the figures as the page's JSON gives them to a user."""

import pytest
from django.urls import reverse

from conftest import clear_cache, login_as


@pytest.fixture(autouse=True)
def empty_cache():
    clear_cache()
    yield
    clear_cache()


def cockpit_json(username: str) -> dict:
    response = login_as(username).get(reverse("cockpit:data"))
    assert response.status_code == 200
    return response.json()
