from django.apps import AppConfig


class EnterpriseRequestsConfig(AppConfig):
    name = "tuijin.enterprise_requests"
    label = "enterprise_requests"
    verbose_name = "企业诉求"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.enterprise_requests.models import RequestPhoto

        register_stored_file(RequestPhoto, "image", "original_name", thumbnail=True)
