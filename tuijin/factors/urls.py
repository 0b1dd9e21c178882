from django.urls import path

from tuijin.factors import views

app_name = "factors"
urlpatterns = [
    path("", views.sheet, name="sheet"),
    path("sheet.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("rules/", views.rules, name="rules"),
    path("parks/<int:pk>/", views.park_detail, name="park"),
    path("supply/", views.supply_add, name="supply_add"),
    path("supply/<int:pk>/edit/", views.supply_edit, name="supply_edit"),
    path("reserve/", views.reserve, name="reserve"),
    path("escalate/", views.escalate, name="escalate"),
    path("flags/", views.flag_add, name="flag_add"),
    path("allocations/<int:pk>/<str:verb>/", views.allocation_action, name="allocation_action"),
    path("flags/<int:pk>/free/", views.flag_free, name="flag_free"),
    path("projects/<int:pk>/need/", views.need_edit, name="need_edit"),
    path("mujun/", views.evaluations, name="evaluations"),
    path("mujun/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("mujun/<int:pk>/results.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("mujun/<int:pk>/template.xlsx", views.import_template, name="import_template"),
    path("mujun/<int:pk>/import/", views.import_upload, name="import_upload"),
    path("mujun/<int:pk>/import/confirm/", views.import_confirm, name="import_confirm"),
]
