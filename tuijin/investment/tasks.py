"""The pipeline's daily clock run on the Huey queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tuijin.investment.services import check_clocks


@db_periodic_task(crontab(hour="7", minute="40"))
def check_pipeline_clocks() -> None:
    check_clocks()
