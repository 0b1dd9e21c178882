"""The leaders' cockpit and its big screen (``views_cockpit``)."""

from django.urls import path

from tuijin.dashboard import views_cockpit as views

app_name = "cockpit"
urlpatterns = [
    path("", views.cockpit, name="index"),
    path("screen/", views.screen, name="screen"),
    path("data.json", views.data, name="data"),
]
