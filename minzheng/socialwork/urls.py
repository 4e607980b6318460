from django.urls import path

from minzheng.socialwork import views

app_name = "socialwork"

urlpatterns = [
    path("", views.home, name="home"),
    path("professionals/", views.professional_list, name="professional-list"),
    path("professionals/new/", views.professional_new, name="professional-new"),
    path("professionals/<int:pk>/leave/", views.professional_leave, name="professional-leave"),
    path("network/", views.network, name="network"),
    path("stations/new/", views.station_new, name="station-new"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_new, name="agency-new"),
    path("agencies/<int:pk>/link/", views.agency_link, name="agency-link"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/<str:step>/", views.project_step, name="project-step"),
    path("payments/<int:pk>/approve/", views.payment_approve, name="payment-approve"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
]
