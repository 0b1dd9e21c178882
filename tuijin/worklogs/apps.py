from django.apps import AppConfig


class WorklogsConfig(AppConfig):
    name = "tuijin.worklogs"
    verbose_name = "工作日志"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.worklogs.models import LogPhoto

        register_stored_file(LogPhoto, "image", "original_name", thumbnail=True)
