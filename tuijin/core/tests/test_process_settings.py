"""The process and database settings B12 measured: the garbage collector set once the apps are
loaded (collector.py), PostgreSQL's planner told the storage is SSD (settings.py)."""

import gc

import pytest
from django.db import connection

from tuijin.core import collector


def test_startup_objects_are_frozen_and_the_young_generation_is_large():
    # This process loaded the apps as gunicorn's workers and the consumer do (AppConfig.ready).
    assert gc.get_threshold() == (collector.YOUNG, collector.MIDDLE, collector.OLD)
    assert gc.get_freeze_count() > 50_000  # Django and the apps: ~130,000 objects


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_postgresql_plans_for_ssd_storage():
    # settings.py: random_page_cost 1.1 on every connection (the overdue board's plan, B12).
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
