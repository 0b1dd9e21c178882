from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "tuijin.dashboard"
    verbose_name = "首页与驾驶舱"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.jobs import register_job_kind
        from tuijin.core.templatetags.tuijin import ACTION_LABELS
        from tuijin.dashboard.metrics import connect_signals
        from tuijin.dashboard.models import WeeklyReport

        register_job_kind("dashboard.weekly_report", "tuijin.dashboard.services.build_job")
        # The Monday report's verbs on the history tab.
        ACTION_LABELS.update(
            {
                "build_weekly_report": _("生成周调度通报"),
                "send_weekly_report": _("推送周调度通报"),
            }
        )
        register_stored_file(WeeklyReport, "file", "original_name")
        connect_signals()  # the cockpit's cached figures are forgotten on relevant writes
