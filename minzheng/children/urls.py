from django.urls import path

from minzheng.children import views

app_name = "children"

urlpatterns = [
    path("", views.home, name="home"),
    path("recognitions/", views.recognition_list, name="recognition-list"),
    path("recognitions/new/", views.recognition_new, name="recognition-new"),
    path("recognitions/<int:recognition_id>/", views.recognition_detail, name="recognition-detail"),
    path("recognitions/<int:recognition_id>/<str:step>/", views.recognition_step, name="recognition-step"),
    path("stations/", views.station_list, name="station-list"),
    path("files/", views.file_search, name="file-search"),
    path("files/<int:person_id>/", views.file_detail, name="file"),
    path("files/<int:person_id>/profile/", views.file_profile, name="file-profile"),
    path("protection/", views.protection_list, name="protection-list"),
    path("protection/report/", views.protection_report, name="protection-report"),
    path("protection/<int:case_id>/", views.protection_detail, name="protection-detail"),
    path("protection/<int:case_id>/<str:step>/", views.protection_step, name="protection-step"),
]
