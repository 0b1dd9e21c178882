import datetime as dt

import time_machine

from tuijin.projects.models import Light, PeriodLight
from tuijin.projects.tasks import daily_lights
from tuijin.projects.tests.factories import make_project


def test_daily_task_turns_a_late_start_yellow_and_freezes_the_due_period(org):
    project = make_project(
        "人才公寓", park="城东产业园", stage="preparing", planned_start=dt.date(2026, 12, 1)
    )
    with time_machine.travel(dt.datetime(2026, 11, 30, 20, tzinfo=dt.UTC)):  # Dec 1 in Shanghai
        daily_lights.call_local()
    project.refresh_from_db()
    assert project.light == Light.YELLOW
    assert project.light_reasons[0]["text"] == "计划2026年12月开工,本月尚未开工"
    # October's report was due on Nov 5: its light is frozen now.
    assert PeriodLight.objects.filter(project=project, period_start=dt.date(2026, 10, 1)).exists()
