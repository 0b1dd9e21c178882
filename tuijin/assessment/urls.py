from django.urls import path

from tuijin.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.period_open, name="period_open"),
    path("months/<int:pk>/", views.period_detail, name="period_detail"),
    path("months/<int:pk>/compute/", views.period_compute, name="period_compute"),
    path("months/<int:pk>/publicity/", views.period_publicity, name="period_publicity"),
    path("months/<int:pk>/publish/", views.period_publish, name="period_publish"),
    path("months/<int:pk>/adjustments/", views.adjustment_add, name="adjustment_add"),
    path("months/<int:pk>/vetoes/", views.veto_add, name="veto_add"),
    path("months/<int:pk>/rating/", views.rating, name="rating"),
    path("months/<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path("months/<int:pk>/scores.xlsx", views.scores_xlsx, name="scores_xlsx"),
    path("adjustments/<int:pk>/remove/", views.adjustment_remove, name="adjustment_remove"),
    path("vetoes/<int:pk>/remove/", views.veto_remove, name="veto_remove"),
    path("scores/<int:pk>/", views.score_detail, name="score_detail"),
    path("indicators/<int:pk>/appeal/", views.appeal_file, name="appeal_file"),
    path("indicators/<int:pk>/correct/", views.score_correct, name="score_correct"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_edit, name="scheme_edit"),
    path("instructions/", views.instruction_list, name="instruction_list"),
    path("instructions/new/", views.instruction_add, name="instruction_add"),
]
