from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "tuijin.investment"
    verbose_name = "招商项目库"

    def ready(self):
        from tuijin.core.files import register_stored_file
        from tuijin.investment.models import StageChange

        register_stored_file(StageChange, "evidence", "original_name")
