"""``/healthz``: is this app server fit to take requests, and is the task consumer alive?

For the load balancer, systemd and monitoring: no login, no details beyond which check failed
(the exception's class, never its message: the page is public). 200 when every check passes,
503 naming the failed ones. The consumer proves it is alive by a heartbeat task every minute
that writes the time into the queue's own storage, which every app server reads.
"""

import logging
import shutil
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "tuijin:consumer-heartbeat"


def beat() -> None:
    """Called by the consumer's periodic task (tuijin.core.tasks.consumer_heartbeat)."""
    HUEY.put(HEARTBEAT_KEY, time.time())


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache lost a value")
    cache.delete(key)


def check_queue() -> None:
    HUEY.pending_count()  # a round trip to the queue's storage (SQLite or Redis)


def check_media() -> None:
    root = settings.MEDIA_ROOT
    root.mkdir(parents=True, exist_ok=True)
    probe = root / f".healthz-{uuid.uuid4().hex}"
    probe.write_bytes(b"ok")  # writable, not just present
    probe.unlink()
    free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    if free_mb < settings.HEALTH_MIN_FREE_MB:
        raise RuntimeError(f"{free_mb} MB free")


def check_consumer() -> None:
    last = HUEY.get(HEARTBEAT_KEY, peek=True)
    if last is None:
        raise RuntimeError("no heartbeat yet")
    if time.time() - float(last) > settings.HEALTH_HEARTBEAT_SECONDS:
        raise RuntimeError("heartbeat too old")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
    "media": check_media,
    "consumer": check_consumer,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure is a failed check, reported by name
            logger.warning("health check %s failed: %r", name, exc)
            results[name] = f"fail: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results


@require_GET
@never_cache
def healthz(request):
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503
    )
