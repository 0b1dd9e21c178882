from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tuijin.dashboard"
    verbose_name = "首页与驾驶舱"

    def ready(self):
        from tuijin.dashboard.metrics import connect_signals

        connect_signals()  # the cockpit's cached figures are forgotten on relevant writes
