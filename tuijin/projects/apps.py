from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "tuijin.projects"
    verbose_name = "项目台账"

    def ready(self):
        from tuijin.core.jobs import register_job_kind

        register_job_kind("projects.ledger_export", "tuijin.projects.exports.ledger_export_job")
