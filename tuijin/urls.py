from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from tuijin.core import health, views_jobs
from tuijin.core import views as core_views
from tuijin.dashboard import views as dashboard_views

admin.site.site_header = "推进 · 管理后台"
admin.site.site_title = "推进"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", login_not_required(health.healthz), name="healthz"),
    path("history/<str:model>/<int:pk>/", core_views.history, name="history"),
    path("files/<str:model>/<int:pk>/", core_views.stored_file, name="file"),
    path(
        "files/<str:model>/<int:pk>/thumbnail/",
        core_views.stored_file,
        {"thumbnail": True},
        name="file_thumbnail",
    ),
    path("jobs/<int:pk>/", views_jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views_jobs.job_download, name="job_download"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("tuijin.org.urls")),
    path("projects/", include("tuijin.projects.urls")),
    path("supervision/", include("tuijin.supervision.urls")),
    path("notify/", include("tuijin.notify.urls")),
    path("meetings/", include("tuijin.meetings.urls")),
    path("worklogs/", include("tuijin.worklogs.urls")),
    path("assessment/", include("tuijin.assessment.urls")),
    path("intake/", include("tuijin.intake.urls")),
    path("parkreview/", include("tuijin.parkreview.urls")),
    path("cockpit/", include("tuijin.dashboard.urls_cockpit")),
    path("factors/", include("tuijin.factors.urls")),
    path("investment/", include("tuijin.investment.urls")),
    path("", include("tuijin.dashboard.urls_places")),  # parks/, units/, weekly/
    path("rural/", include("tuijin.rural.urls")),
    path("integrity/", include("tuijin.integrity.urls")),
    path("requests/", include("tuijin.enterprise_requests.urls")),
    path("api/", include("tuijin.api.urls")),
    path("public/", include("tuijin.public.urls")),  # no login: the published projects
    path("admin/", admin.site.urls),
]

handler403 = "tuijin.core.views.permission_denied"
handler404 = "tuijin.core.views.page_not_found"
