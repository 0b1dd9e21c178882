from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tuijin.dashboard"
    verbose_name = "首页与驾驶舱"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.jobs import register_job_kind
        from tuijin.dashboard.metrics import connect_signals
        from tuijin.dashboard.models import WeeklyReport

        register_job_kind("dashboard.weekly_report", "tuijin.dashboard.weekly.build_job")
        register_stored_file(WeeklyReport, "file", "original_name")
        connect_signals()  # the cockpit's cached figures are forgotten on relevant writes
