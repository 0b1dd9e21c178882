"""Admin for the rural linkage records (admins' edits are audited by the models' signals);
the income tiers (薄弱村/一般村/富裕村 and the goal) are kept here."""

from django.contrib import admin

from tuijin.rural import models


@admin.register(models.IncomeTier)
class IncomeTierAdmin(admin.ModelAdmin):
    list_display = ["name", "min_income", "is_goal", "sort_order"]
    list_editable = ["min_income", "is_goal", "sort_order"]


class ShareholderInline(admin.TabularInline):
    model = models.Shareholder
    extra = 0


class HouseholdInline(admin.TabularInline):
    model = models.Household
    extra = 0


@admin.register(models.Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "park"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [ShareholderInline, HouseholdInline]


class TenantInline(admin.TabularInline):
    model = models.EnclaveTenant
    extra = 0


class ShareInline(admin.TabularInline):
    model = models.EnclaveShare
    extra = 0


@admin.register(models.EnclavePark)
class EnclaveParkAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "stage", "land_mu"]
    inlines = [TenantInline, ShareInline]


class DeliveryInline(admin.TabularInline):
    model = models.Delivery
    extra = 0


class PaymentInline(admin.TabularInline):
    model = models.Payment
    extra = 0


@admin.register(models.Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "unit", "enterprise", "area_mu"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [DeliveryInline, PaymentInline]


@admin.register(models.VillageIncome)
class VillageIncomeAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "operating_income", "dividends", "dividend_households"]
    list_filter = ["year"]


admin.site.register(models.Shareholder)
admin.site.register(models.Household)
admin.site.register(models.EnclaveTenant)
admin.site.register(models.EnclaveShare)
admin.site.register(models.Delivery)
admin.site.register(models.Payment)
