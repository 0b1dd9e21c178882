from django.core.management.base import BaseCommand, CommandError

from tuijin.core.audit import verify_chain


class Command(BaseCommand):
    help = "Walk the audit chain and report the first broken link."

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"审计链在事件 #{broken.pk} 处断开({broken.model}:{broken.object_id},"
                f"{broken.created_at:%Y-%m-%d %H:%M:%S});此前 {checked} 条事件完好。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完好:共 {checked} 条事件。"))
