from django.urls import path

from tuijin.parkreview import views

app_name = "parkreview"
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("new/", views.review_create, name="review_create"),
    path("awards/", views.awards, name="awards"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("<int:pk>/route/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/do/<str:verb>/", views.review_action, name="review_action"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/handbook.docx", views.handbook_docx, name="handbook_docx"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("parks/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("parks/<int:pk>/score/", views.score_edit, name="score_edit"),
    path("parks/<int:pk>/pledge/", views.pledge_create, name="pledge_create"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
]
