from django.urls import path

from minzheng.sociorgs import views

app_name = "sociorgs"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations.xlsx", views.organisation_export, name="organisation-export"),
    path("organisations/<int:org_id>/", views.organisation_detail, name="organisation-detail"),
    path("procedures/new/", views.procedure_new, name="procedure-new"),
    path("procedures/<int:procedure_id>/", views.procedure_detail, name="procedure-detail"),
    path("procedures/<int:procedure_id>/certificate.pdf", views.procedure_certificate, name="procedure-certificate"),
    path("penalties/", views.penalty_list, name="penalty-list"),
    path("penalties/<int:case_id>/", views.penalty_detail, name="penalty-detail"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_export, name="report-export"),
]
