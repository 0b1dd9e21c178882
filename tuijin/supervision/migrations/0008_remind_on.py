"""remind_on: the next day the reminder run has something to send for an item (B12), filled
for the open items as the services set it (the start of the 临期 window). The run moves it on
from there; re-reading an item whose reminders were already sent creates nothing (the
deliveries' unique keys)."""

import datetime as dt
from collections import defaultdict

from django.db import migrations, models

OPEN_STATES = ["accepted", "assigned", "in_progress", "reported", "verifying"]
HORIZON_DAYS = 30  # as supervision.notifications


def fill_remind_on(apps, schema_editor):
    SupervisionItem = apps.get_model("supervision", "SupervisionItem")
    by_day = defaultdict(list)
    rows = SupervisionItem.objects.filter(state__in=OPEN_STATES).values_list(
        "pk", "deadline", "reminder_days"
    )
    for pk, deadline, reminder_days in rows.iterator(chunk_size=5_000):
        by_day[deadline - dt.timedelta(days=min(reminder_days, HORIZON_DAYS))].append(pk)
    for day, pks in by_day.items():
        for start in range(0, len(pks), 5_000):
            SupervisionItem.objects.filter(pk__in=pks[start : start + 5_000]).update(remind_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_password_records"),
        ("projects", "0006_report_progress_drop_reason"),
        ("supervision", "0007_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionitem",
            name="remind_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="下次提醒日期"
            ),
        ),
        migrations.AddIndex(
            model_name="supervisionitem",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["accepted", "assigned", "in_progress", "reported", "verifying"])
                ),
                fields=["remind_on", "deadline"],
                name="item_remind_on_idx",
            ),
        ),
        migrations.RunPython(fill_remind_on, migrations.RunPython.noop, elidable=True),
    ]
