from django.urls import path

from tuijin.investment import views

app_name = "investment"
urlpatterns = [
    path("", views.lead_list, name="lead_list"),
    path("new/", views.lead_create, name="lead_create"),
    path("leads.xlsx", views.leads_xlsx, name="leads_xlsx"),
    path("<int:pk>/", views.lead_detail, name="lead_detail"),
    path("<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("<int:pk>/stage/", views.lead_stage, name="lead_stage"),
    path("<int:pk>/follow-up/", views.lead_follow_up, name="lead_follow_up"),
    path("<int:pk>/funds/", views.lead_funds, name="lead_funds"),
    path("<int:pk>/notice/", views.lead_notice, name="lead_notice"),
    path("alerts/<int:pk>/item/", views.alert_item, name="alert_item"),
    path("funnel/", views.funnel_page, name="funnel"),
    path("funnel.xlsx", views.funnel_xlsx, name="funnel_xlsx"),
    path("clocks/", views.clock_rules, name="clock_rules"),
    path("planning/", views.cycle_list, name="cycle_list"),
    path("planning/new/", views.cycle_create, name="cycle_create"),
    path("planning/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("planning/<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
    path("planning/<int:pk>/add/", views.planned_create, name="planned_create"),
    path("planned/<int:pk>/", views.planned_detail, name="planned_detail"),
    path("planned/<int:pk>/edit/", views.planned_edit, name="planned_edit"),
    path("planned/<int:pk>/approve/", views.planned_approve, name="planned_approve"),
    path("planned/<int:pk>/update/", views.planned_update, name="planned_update"),
]
