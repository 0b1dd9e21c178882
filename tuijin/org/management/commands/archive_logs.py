"""Move django-axes login logs older than the retention period into a compressed file.

    manage.py archive_logs --before 2026-06-01 [--to var/archive/login-logs-before-2026-06-01.jsonl.gz]

Only axes' access logs (successful logins and logouts) and failure logs are archived: one
JSON object a line, gzip-compressed, then exactly the archived rows are deleted. The audit
chain is never archived or deleted: each event's hash covers the one before it, so removing
old events would break ``verify_audit`` for everything after them; the chain stays whole in
the database (back it up with the database). Rows younger than ``LOG_RETENTION_MONTHS``
(at least 6) are refused.
"""

import datetime as dt
import gzip
import json
import os
from pathlib import Path

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

MODELS = [AccessLog, AccessFailureLog]
COMMON = ["id", "attempt_time", "username", "ip_address", "user_agent", "http_accept", "path_info"]
FIELDS = {
    AccessLog: [*COMMON, "logout_time", "session_hash"],
    AccessFailureLog: [*COMMON, "locked_out"],
}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def earliest_allowed_cutoff(today: dt.date | None = None) -> dt.date:
    """The latest ``--before`` allowed: everything earlier is older than the retention."""
    return months_before(today or timezone.localdate(), max(6, settings.LOG_RETENTION_MONTHS))


class Command(BaseCommand):
    help = (
        "将早于 --before 日期的登录日志(django-axes)写入压缩文件后删除;只能归档保存期"
        "(至少6个月)以前的日志。审计链从不归档、从不删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before", required=True, help="归档此日期(不含)以前的日志,如 2026-06-01"
        )
        parser.add_argument("--to", help="归档文件(.jsonl.gz),默认 var/archive/ 下按日期命名")

    def handle(self, *args, before, to=None, **options):
        try:
            day = dt.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"--before 应为日期,如 2026-06-01,而不是“{before}”") from None
        limit = earliest_allowed_cutoff()
        if day > limit:
            raise CommandError(
                f"只能归档保存期({max(6, settings.LOG_RETENTION_MONTHS)}个月)以前的日志:"
                f"--before 不能晚于 {limit:%Y-%m-%d}"
            )
        target = Path(to or settings.VAR_DIR / "archive" / f"login-logs-before-{day}.jsonl.gz")
        if target.exists():
            raise CommandError(f"归档文件已存在:{target}。请换一个文件名,不会覆盖已有归档")
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time()))

        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        archived: dict = {model: [] for model in MODELS}
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            for model in MODELS:
                rows = model.objects.filter(attempt_time__lt=cutoff).order_by("pk")
                for row in rows.values(*FIELDS[model]).iterator(chunk_size=2000):
                    record = {"table": model._meta.label_lower, **row}
                    out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
                    archived[model].append(row["id"])
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        partial.rename(target)  # the rows are deleted only once the whole file is in place

        with transaction.atomic():
            for model, ids in archived.items():
                for start in range(0, len(ids), 500):
                    model.objects.filter(pk__in=ids[start : start + 500]).delete()
        counts = "、".join(f"{m._meta.verbose_name} {len(ids)} 条" for m, ids in archived.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"已归档 {day:%Y-%m-%d} 以前的登录日志({counts})到 {target};审计链未改动。"
            )
        )
