"""`manage.py load_demo`, the project-level command: loaded twice it is the same demo, each
app's story is there, the audit chain holds and every audited row agrees with its events.
(One test: each load is the whole demo.)"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command

from tuijin.core.chain import seal_audit_chain
from tuijin.core.models import AuditEvent
from tuijin.meetings.models import Meeting
from tuijin.projects.models import ProgressReport, Project
from tuijin.supervision.demo import demo_items
from tuijin.supervision.models import Verification

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_load_demo_command_twice_and_audit_chain_holds(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    meetings = Meeting.objects.count()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()

    assert Project.objects.count() == 21
    assert printed.count("项目 21 个:红 6、黄 7、绿 8") == 2
    assert demo_items().count() == 19
    assert printed.count("督办事项 19 项:超期 ") == 2
    assert printed.count(";问题 9 个") == 2
    assert Meeting.objects.count() == meetings
    assert printed.count("会议 8 次,议定事项 ") == 2

    assert AuditEvent.objects.filter(model="supervision.supervisionitem", action="verify").exists()
    assert AuditEvent.objects.filter(model="meetings.decision", action="record_decision").exists()
    # The history agrees with the timeline: the services ran on the story's clock, so each
    # step's events carry its day and nothing needed moving afterwards (core/democlock.py).
    for verification in Verification.objects.filter(verified_at__lt=NOW):
        created = AuditEvent.objects.get(
            model="supervision.verification", object_id=str(verification.pk), action="verify"
        )
        assert created.created_at == verification.verified_at
    for report in ProgressReport.objects.all()[:20]:
        created = AuditEvent.objects.get(
            model="projects.progressreport", object_id=str(report.pk), action="load_demo"
        )
        assert created.created_at == report.submitted_at
    assert not AuditEvent.objects.filter(model="supervision.feedback", action="load_demo").exists()
    audit = StringIO()
    assert seal_audit_chain() == 0  # load_demo sealed its events, dated in the past
    # --records: every audited row is what its events say (a finding raises, naming the row).
    # The loaders' backdating (submitted_at, verified_at, closed_on …) is audited too, so a zone
    # started from the demo is clean: nothing reads as changed outside the application.
    call_command("verify_audit", "--records", stdout=audit)
    assert "记录核对:各审计对象的当前值与审计记录一致。" in audit.getvalue()
    assert "审计链完好" in audit.getvalue()
