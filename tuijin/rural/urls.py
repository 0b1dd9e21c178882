from django.urls import path

from tuijin.rural import views

app_name = "rural"
urlpatterns = [
    path("", views.index, name="index"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/add/<str:verb>/", views.company_add, name="company_add"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path(
        "companies/<int:pk>/shareholders/<int:row>/",
        views.company_row,
        {"verb": "shareholder"},
        name="company_shareholder_edit",
    ),
    path(
        "companies/<int:pk>/households/<int:row>/",
        views.company_row,
        {"verb": "household"},
        name="company_household_edit",
    ),
    path("parks/new/", views.park_create, name="park_create"),
    path("parks/<int:pk>/", views.park_detail, name="park_detail"),
    path("parks/<int:pk>/add/<str:verb>/", views.park_add, name="park_add"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park_edit"),
    path(
        "parks/<int:pk>/tenants/<int:row>/",
        views.park_row,
        {"verb": "tenant"},
        name="park_tenant_edit",
    ),
    path(
        "parks/<int:pk>/shares/<int:row>/",
        views.park_row,
        {"verb": "share"},
        name="park_share_edit",
    ),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/add/<str:verb>/", views.agreement_add, name="agreement_add"),
    path("payments/<int:pk>/pay/", views.payment_pay, name="payment_pay"),
    path("income/", views.income, name="income"),
    path("income/edit/", views.income_edit, name="income_edit"),
    path("income.xlsx", views.income_xlsx, name="income_xlsx"),
]
