"""`manage.py archive_logs`: login logs older than six months go to a compressed file; younger
rows are refused; the audit chain is never touched."""

import datetime as dt
import gzip
import json

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django.utils import timezone

from tuijin.core.models import AuditEvent
from tuijin.org.management.commands.archive_logs import months_before

pytestmark = pytest.mark.django_db


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


def access_log(day: str, username="leader"):
    row = AccessLog.objects.create(username=username, ip_address="203.0.113.5", user_agent="UA")
    AccessLog.objects.filter(pk=row.pk).update(attempt_time=at(day))  # auto_now_add
    return row


def failure_log(day: str):
    row = AccessFailureLog.objects.create(username="leader", ip_address="198.51.100.7")
    AccessFailureLog.objects.filter(pk=row.pk).update(attempt_time=at(day))
    return row


@pytest.fixture
def today(time_machine):
    time_machine.move_to(at("2026-12-06 10:00"))


def test_six_calendar_months(org):
    assert months_before(dt.date(2026, 12, 6), 6) == dt.date(2026, 6, 6)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 3, 15), 6) == dt.date(2025, 9, 15)


def test_it_refuses_rows_younger_than_six_months(org, today, tmp_path):
    access_log("2026-05-01")
    with pytest.raises(CommandError, match="不能晚于 2026-06-06"):
        call_command("archive_logs", before="2026-07-01", to=str(tmp_path / "a.jsonl.gz"))
    assert AccessLog.objects.count() == 1
    assert not (tmp_path / "a.jsonl.gz").exists()


def test_it_archives_old_login_logs_and_leaves_the_rest_and_the_audit_chain(org, today, tmp_path):
    old, kept = access_log("2026-04-30"), access_log("2026-06-01")
    old_failure = failure_log("2026-01-02")
    events = AuditEvent.objects.count()
    target = tmp_path / "logs.jsonl.gz"

    call_command("archive_logs", before="2026-06-01", to=str(target))

    with gzip.open(target, "rt", encoding="utf-8") as archived:
        lines = [json.loads(line) for line in archived]
    assert [(r["table"], r["id"]) for r in lines] == [
        ("axes.accesslog", old.pk),
        ("axes.accessfailurelog", old_failure.pk),
    ]
    assert lines[0]["ip_address"] == "203.0.113.5"
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessFailureLog.objects.exists()
    assert AuditEvent.objects.count() == events

    with pytest.raises(CommandError, match="已存在"):  # never overwrites an archive
        call_command("archive_logs", before="2026-06-01", to=str(target))
