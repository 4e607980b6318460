from django.urls import path

from minzheng.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.home, name="home"),
    path("volunteers/", views.volunteer_list, name="volunteer-list"),
    path("volunteers/new/", views.volunteer_new, name="volunteer-new"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer-detail"),
    path("volunteers/<int:pk>/certificate/", views.certificate_issue, name="certificate-issue"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("stations/", views.station_list, name="station-list"),
    path("stations/new/", views.station_new, name="station-new"),
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_new, name="activity-new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/<int:person_id>/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/<str:step>/", views.request_step, name="request-step"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
]
