from django.urls import path

from minzheng.disability import views

app_name = "disability"

urlpatterns = [
    path("", views.home, name="home"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_new, name="application-new"),
    path("applications/<int:application_id>/", views.application_detail, name="application-detail"),
    path("applications/<int:application_id>/<str:step>/", views.application_step, name="application-step"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export, name="coverage-export"),
]
