from django.urls import path

from minzheng.children import views

app_name = "children"

urlpatterns = [
    path("", views.home, name="home"),
    path("recognitions/", views.recognition_list, name="recognition-list"),
    path("recognitions/new/", views.recognition_new, name="recognition-new"),
    path("recognitions/<int:recognition_id>/", views.recognition_detail, name="recognition-detail"),
    path("recognitions/<int:recognition_id>/<str:step>/", views.recognition_step, name="recognition-step"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("stations/", views.station_list, name="station-list"),
    path("files/", views.file_search, name="file-search"),
    path("files/<int:person_id>/", views.file_detail, name="file"),
    path("files/<int:person_id>/profile/", views.file_profile, name="file-profile"),
    path("files/<int:person_id>/visit/", views.file_visit, name="file-visit"),
    path("files/<int:person_id>/assessment/", views.file_assessment, name="file-assessment"),
    path("files/<int:person_id>/care-plan/", views.file_care_plan, name="file-care-plan"),
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/<int:institution_id>/", views.institution_detail, name="institution-detail"),
    path("institutions/<int:institution_id>/admit/", views.institution_admit, name="institution-admit"),
    path("residents/<int:resident_id>/discharge/", views.resident_discharge, name="resident-discharge"),
    path("network/", views.network_map, name="network-map"),
    path("workers/", views.worker_save, name="worker-save"),
    path("workers/<int:worker_id>/training/", views.worker_training, name="worker-training"),
    path("protection/", views.protection_list, name="protection-list"),
    path("protection/export/", views.protection_export, name="protection-export"),
    path("protection/report/", views.protection_report, name="protection-report"),
    path("protection/<int:case_id>/", views.protection_detail, name="protection-detail"),
    path("protection/<int:case_id>/<str:step>/", views.protection_step, name="protection-step"),
]
