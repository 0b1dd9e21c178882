from django.urls import path

from tuijin.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("oc4ids.json", views.package, name="oc4ids"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.toggle, name="toggle"),
]
