from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "tuijin.projects"
    verbose_name = "项目台账"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.jobs import register_job_kind
        from tuijin.projects.models import ProjectFile

        register_job_kind("projects.ledger_export", "tuijin.projects.exports.ledger_export_job")
        register_job_kind("projects.import", "tuijin.projects.imports.import_job")
        register_stored_file(ProjectFile, "file", "original_name", thumbnail=True)
