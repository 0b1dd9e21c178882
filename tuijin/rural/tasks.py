"""Late-payment alerts on the Huey queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tuijin.rural import services


# Every morning: payments that fell due yesterday and are still unpaid are announced once.
@db_periodic_task(crontab(hour="8", minute="5"))
@lock_task("rural-late-payments")
def late_payments() -> None:
    services.send_late_payment_alerts()
