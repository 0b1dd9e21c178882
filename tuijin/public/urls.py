from django.urls import path

from tuijin.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("oc4ids.json", views.package, name="oc4ids"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo, {"thumbnail": True}, name="photo_thumbnail"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.toggle, name="toggle"),
    path("manage/<int:pk>/photos/", views.photos_edit, name="photos_edit"),
]
