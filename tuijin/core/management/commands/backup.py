from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuijin.core.backup import BackupError, back_up


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (docs/deploy/backup.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            help="the archive to write, or a folder for tuijin-<time>.tar (default var/backups/)",
        )

    def handle(self, *args, to=None, **options):
        target = Path(to or settings.VAR_DIR / "backups")
        if target.suffix != ".tar":
            target = target / f"tuijin-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        try:
            info = back_up(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = target.stat().st_size / 1024 / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {target}({size:.1f} MB):{info['database']} 数据库,"
                f"审计事件 {info['audit_events']} 条,连同上传文件。"
            )
        )
