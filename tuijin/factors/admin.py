from django.contrib import admin

from tuijin.factors.models import (
    Allocation,
    EnterpriseResult,
    Evaluation,
    FactorNeed,
    FactorRules,
    LandFlag,
    SupplyEntry,
)


@admin.register(SupplyEntry)
class SupplyEntryAdmin(admin.ModelAdmin):
    list_display = ("park", "year", "factor", "source", "quantity", "document_title")
    list_filter = ("year", "factor", "park")


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ("subject_name", "park", "year", "factor", "quantity", "state")
    list_filter = ("year", "factor", "state")


@admin.register(FactorNeed)
class FactorNeedAdmin(admin.ModelAdmin):
    list_display = ("project", "land_mu", "energy_tce", "electricity_10k_kwh", "green_share")


@admin.register(FactorRules)
class FactorRulesAdmin(admin.ModelAdmin):
    list_display = ("zone", "exclude_green")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("zone", "year", "computed_at")


@admin.register(EnterpriseResult)
class EnterpriseResultAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "evaluation", "score", "rank", "klass", "exemption")


@admin.register(LandFlag)
class LandFlagAdmin(admin.ModelAdmin):
    list_display = ("park", "year", "kind", "area_mu", "state")
