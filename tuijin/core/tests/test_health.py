"""/healthz: 200 when the app server and the consumer are fit, 503 naming what is not."""

import time

import pytest
import time_machine
from django.test import Client
from huey.contrib.djhuey import HUEY

from tuijin.core import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe():
    return Client()  # no login: load balancers and monitoring ask


@pytest.fixture
def alive(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    health.beat()
    yield
    HUEY.get(health.HEARTBEAT_KEY)  # read and removed: other tests start without a heartbeat


def test_all_well_is_200_without_login(probe, alive):
    response = probe.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": dict.fromkeys(["database", "cache", "queue", "media", "consumer"], "ok"),
    }


def test_no_consumer_heartbeat_is_503(probe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    HUEY.get(health.HEARTBEAT_KEY)
    response = probe.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["consumer"] == "fail: RuntimeError"
    assert response.json()["checks"]["database"] == "ok"


def test_a_stale_heartbeat_is_503(probe, alive, settings):
    with time_machine.travel(time.time() + settings.HEALTH_HEARTBEAT_SECONDS + 5):
        assert probe.get("/healthz").status_code == 503


def test_a_cache_that_is_down_is_503(probe, alive, settings):
    # Nothing listens on port 1: as when Redis is stopped.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = probe.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("fail:")


def test_too_little_disk_for_uploads_is_503(probe, alive, settings):
    settings.HEALTH_MIN_FREE_MB = 10**12
    response = probe.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == "fail: RuntimeError"


def test_the_heartbeat_is_a_periodic_task_of_the_consumer():
    from tuijin.core.tasks import consumer_heartbeat

    HUEY.get(health.HEARTBEAT_KEY)
    consumer_heartbeat.call_local()
    assert time.time() - HUEY.get(health.HEARTBEAT_KEY, peek=True) < 5
