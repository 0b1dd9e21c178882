from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "tuijin.assessment"
    verbose_name = "月度考核"

    def ready(self):
        from tuijin.assessment.models import Adjustment, Appeal
        from tuijin.core.files import register_stored_file
        from tuijin.core.jobs import register_job_kind

        register_job_kind("assessment.compute", "tuijin.assessment.compute.compute_job")
        register_stored_file(Adjustment, "document", "original_name")
        register_stored_file(Appeal, "evidence", "original_name")
