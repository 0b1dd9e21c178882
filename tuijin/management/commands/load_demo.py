from django.core.management.base import BaseCommand
from django.db import transaction

from tuijin.assessment import demo as assessment_demo
from tuijin.core.audit import audit_context, seal_audit_chain
from tuijin.dashboard import demo as weekly_demo
from tuijin.enterprise_requests import demo as requests_demo
from tuijin.factors import demo as factors_demo
from tuijin.integrity import demo as integrity_demo
from tuijin.investment import demo as investment_demo
from tuijin.meetings import demo as meetings_demo
from tuijin.notify import demo as notify_demo
from tuijin.org import demo as org_demo
from tuijin.parkreview import demo as parkreview_demo
from tuijin.projects import demo as projects_demo
from tuijin.public import demo as public_demo
from tuijin.rural import demo as rural_demo
from tuijin.supervision import demo as supervision_demo
from tuijin.worklogs import demo as worklogs_demo


class Command(BaseCommand):
    help = "Load the demo zone built from the source report (idempotent: safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic(), audit_context(action="load_demo"):
            units = org_demo.load_org()
            logins = org_demo.load_people(units)
            notify_demo.load_robots(units)  # 经济发展局's WeCom and DingTalk robots
            projects = projects_demo.load_projects(units)
            supervision = supervision_demo.load_supervision(units)
            meetings = meetings_demo.load_meetings(units)
            worklogs = worklogs_demo.load_worklogs(units)
            assessment = assessment_demo.load_assessment(units)
            park_review = parkreview_demo.load_park_review(units)
            investment = investment_demo.load_investment(units)
            factors = factors_demo.load_factors(units)  # after the pipeline: its leads' needs
            rural = rural_demo.load_rural(units)
            integrity = integrity_demo.load_integrity(units)
            requests = requests_demo.load_requests(units)  # after the assessment: adds 督办 items
            public_demo.load_public(units)  # projects published for /public/
            weekly_report = weekly_demo.load_weekly_report(units)  # last: reads them all
        seal_audit_chain()  # events dated in the story's past are sealed now, not minutes later
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪:{len(units)} 个单位。"))
        self.stdout.write(projects_demo.lights_line(projects))
        self.stdout.write(supervision_demo.summary_line(supervision))
        self.stdout.write(meetings_demo.summary_line(meetings))
        self.stdout.write(worklogs_demo.summary_line(worklogs))
        self.stdout.write(assessment_demo.summary_line(assessment))
        self.stdout.write(parkreview_demo.summary_line(park_review))
        self.stdout.write(investment_demo.summary_line(investment))
        self.stdout.write(factors_demo.summary_line(factors))
        self.stdout.write(rural_demo.summary_line(rural))
        self.stdout.write(integrity_demo.summary_line(integrity))
        self.stdout.write(requests_demo.summary_line(requests))
        self.stdout.write(weekly_demo.summary_line(weekly_report))
        self.stdout.write(f"演示账号(密码均为 {org_demo.DEMO_PASSWORD}):")
        for username, who in logins:
            self.stdout.write(f"  {username:<14} {who}")
