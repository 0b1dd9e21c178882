from django.urls import path

from tuijin.projects.views import excel, ledger

app_name = "projects"
urlpatterns = [
    path("", ledger.project_list, name="project_list"),
    path("mine/", ledger.my_projects, name="my_projects"),
    path("new/", ledger.project_create, name="project_create"),
    path("<int:pk>/", ledger.project_detail, name="project_detail"),
    path("<int:pk>/edit/", ledger.project_edit, name="project_edit"),
    path("<int:pk>/approvals/", ledger.project_approvals, name="project_approvals"),
    path("<int:pk>/plans/", ledger.project_plans, name="project_plans"),
    path("<int:pk>/report/", ledger.report_create, name="report_create"),
    path("<int:pk>/files/", ledger.file_upload, name="file_upload"),
    path("enterprises/", ledger.enterprise_list, name="enterprise_list"),
    path("enterprises/export.xlsx", excel.enterprise_export, name="enterprise_export"),
    path("enterprises/<int:pk>/", ledger.enterprise_detail, name="enterprise_detail"),
    # Excel in and out
    path("export.xlsx", excel.ledger_export, name="ledger_export"),
    path("import/template.xlsx", excel.import_template, name="import_template"),
    path("import/", excel.import_upload, name="import_upload"),
    path("import/confirm/", excel.import_confirm, name="import_confirm"),
]
