from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuijin.core.audit import verify_chain
from tuijin.core.backup import BackupError, restore
from tuijin.core.chain import verify_anchors


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup's (stop the services first)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar written by manage.py backup")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            answer = input(f"用 {archive} 替换当前数据库和上传文件?输入 yes 继续:")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消,未做任何更改。")
        try:
            info = restore(Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"已恢复,但审计链在事件 #{broken.pk} 处断开,请核查密钥是否一致。")
        # Local time, as in the archive's name (the manifest holds UTC).
        made = timezone.localtime(datetime.fromisoformat(info["created_at"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {made:%Y-%m-%d %H:%M:%S} 的备份;审计链完好({checked} 条事件)。"
            )
        )
        for problem in verify_anchors()[1]:  # anchors before the backup must still match
            self.stderr.write(self.style.WARNING(f"锚点核对:{problem}"))
