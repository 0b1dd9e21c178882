"""`make run`: the web server and the Huey consumer together; one Ctrl-C stops both, and so does
a SIGTERM or SIGHUP sent to this process alone (`kill`, a closed terminal, a service manager)."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from tuijin.org import demo


class Command(BaseCommand):
    help = "Start the web server and the task consumer together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        # Python's default for SIGTERM and SIGHUP is to die at once, leaving the two children
        # running without a parent: stop them as Ctrl-C does instead.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        procs = [
            subprocess.Popen([*manage, "run_huey", "--quiet"]),
            subprocess.Popen([*manage, "runserver", addr, "--noreload", "--skip-checks"]),
        ]
        self.stdout.write(self.style.SUCCESS(f"\n推进已启动:http://{addr}/  (Ctrl-C 停止)"))
        self.stdout.write(
            f"演示账号:{', '.join(u for u, *_ in demo.DEMO_PEOPLE)};密码均为 {demo.DEMO_PASSWORD}\n"
        )
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.stdout.write("已停止。")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
