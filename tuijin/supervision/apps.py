from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tuijin.supervision"
    verbose_name = "督办"

    def ready(self):
        from tuijin.core.jobs import register_job_kind

        register_job_kind("supervision.item_export", "tuijin.supervision.exports.item_export_job")
