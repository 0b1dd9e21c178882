"""Park pages, unit pages and the Monday reports (周调度通报)."""

from django.urls import path

from tuijin.dashboard import views_places as views

app_name = "places"
urlpatterns = [
    path("parks/<int:pk>/", views.park_page, name="park"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("weekly/", views.weekly_list, name="weekly_list"),
    path("weekly/build/", views.weekly_build, name="weekly_build"),
]
