"""The garbage collector is set once the apps are loaded (collector.py): the objects of
startup frozen, a young generation large enough for a request's short-lived objects."""

import gc

from tuijin.core import collector


def test_startup_objects_are_frozen_and_the_young_generation_is_large():
    # This process loaded the apps as gunicorn's workers and the consumer do (AppConfig.ready).
    assert gc.get_threshold() == (collector.YOUNG, collector.MIDDLE, collector.OLD)
    assert gc.get_freeze_count() > 50_000  # Django and the apps: ~130,000 objects
