from django.urls import path

from tuijin.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_start, name="start"),
    path("confirm/", views.intake_confirm, name="confirm"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
]
