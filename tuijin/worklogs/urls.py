from django.urls import path

from tuijin.worklogs import views

app_name = "worklogs"
urlpatterns = [
    path("", views.log_list, name="log_list"),
    path("export.xlsx", views.log_export, name="log_export"),
    path("new/", views.log_create, name="log_create"),
    path("<int:pk>/", views.log_detail, name="log_detail"),
    path("<int:pk>/comment/", views.log_comment, name="log_comment"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/export.xlsx", views.submissions_export, name="submissions_export"),
    path("visits/", views.visits, name="visits"),
    path("visits/export.xlsx", views.visits_export, name="visits_export"),
    path("roster/", views.roster, name="roster"),
    path("roster/add/", views.roster_add, name="roster_add"),
    path("roster/remove/", views.roster_remove, name="roster_remove"),
    path("exemptions/add/", views.exemption_add, name="exemption_add"),
    path("exemptions/<int:pk>/delete/", views.exemption_delete, name="exemption_delete"),
]
