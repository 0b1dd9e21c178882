from django.urls import path

from tuijin.enterprise_requests import views

app_name = "enterprise_requests"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("export.xlsx", views.request_export, name="request_export"),
    path("new/", views.request_create, name="request_create"),
    path("units/", views.unit_rates, name="unit_rates"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/do/<str:verb>/", views.request_action, name="request_action"),
]
