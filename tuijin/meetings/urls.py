from django.urls import path

from tuijin.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_calendar, name="calendar"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/agenda/", views.agenda_save, name="agenda_save"),
    path("<int:pk>/minutes/", views.minutes_save, name="minutes_save"),
    path("<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("<int:pk>/attendance/", views.attendance_save, name="attendance_save"),
    path(
        "<int:pk>/problems/<int:problem_pk>/resolve/",
        views.problem_resolve,
        name="problem_resolve",
    ),
    path("<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:pk>/dispatch.xlsx", views.dispatch_xlsx, name="dispatch_xlsx"),
]
