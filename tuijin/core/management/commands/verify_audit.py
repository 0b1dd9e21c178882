"""Check the audit trail: the sealed chain (with the key), the anchors, events left unsealed,
and with ``--records`` the audited rows against their events. Exits non-zero on any finding."""

from itertools import islice

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tuijin.core.audit_records import check_records
from tuijin.core.chain import stale_unsealed, verify_anchors, verify_chain

SHOWN = 50  # findings printed; the count is always given


class Command(BaseCommand):
    help = "Walk the audit chain, compare it with the anchors and report unsealed events."

    def add_arguments(self, parser):
        parser.add_argument(
            "--records",
            action="store_true",
            help="also compare every audited row with the values its events give it",
        )

    def handle(self, *args, records=False, **options):
        problems = []
        checked, broken = verify_chain()
        if broken is not None:
            problems.append(
                f"审计链在事件 #{broken.pk}(链序号 {broken.seq})处断开({broken.model}:"
                f"{broken.object_id},{broken.created_at:%Y-%m-%d %H:%M:%S});"
                f"此前 {checked} 条事件完好。密钥不符、事件被改写或删除都会如此。"
            )
        anchors, anchor_problems = verify_anchors()
        problems += anchor_problems
        stale = stale_unsealed()
        if count := stale.count():
            oldest = stale.order_by("id").first()
            problems.append(
                f"{count} 条审计事件写入超过 {settings.AUDIT_SEAL_GRACE_SECONDS} 秒仍未封存入链"
                f"(最早为 #{oldest.pk},{oldest.created_at:%Y-%m-%d %H:%M:%S}):"
                "任务进程(run_huey)是否在运行?"
            )
        if records:
            findings = check_records()
            shown = list(islice(findings, SHOWN))
            more = sum(1 for _ in findings)
            problems += [str(f) for f in shown]
            if more:
                problems.append(f"……另有 {more} 处不符未列出。")
            if not shown:
                self.stdout.write("记录核对:各审计对象的当前值与审计记录一致。")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(
            self.style.SUCCESS(f"审计链完好:共 {checked} 条事件;核对锚点 {anchors} 个。")
        )
