"""Seal the committed audit events now (the consumer does it every minute and on commit)."""

from django.core.management.base import BaseCommand

from tuijin.core.chain import head, publish_anchor, seal_audit_chain


class Command(BaseCommand):
    help = "Chain the committed unsealed audit events now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="then publish an anchor now (the daily task does it at 00:05)",
        )

    def handle(self, *args, anchor=False, **options):
        sealed = seal_audit_chain()
        seq, _ = head()
        self.stdout.write(f"已封存 {sealed} 条审计事件;链上共 {seq} 条。")
        if anchor:
            published = publish_anchor()
            if published:
                self.stdout.write(f"锚点:{published.at} 第 {published.seq} 条 {published.hash}")
