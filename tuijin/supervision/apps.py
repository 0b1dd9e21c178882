from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tuijin.supervision"
    verbose_name = "督办"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.core.jobs import register_job_kind
        from tuijin.supervision import notifications  # noqa: F401 (its setting receiver)
        from tuijin.supervision.models import EvidencePhoto, FeedbackAttachment

        register_job_kind("supervision.item_export", "tuijin.supervision.exports.item_export_job")
        register_stored_file(EvidencePhoto, "file", "original_name", thumbnail=True)
        register_stored_file(FeedbackAttachment, "file", "name")
