from django.urls import path

from minzheng.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("export/", views.referral_export, name="export"),
    path("new/", views.referral_new, name="new"),
    path("units/", views.receiving_unit_list, name="units"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/<str:step>/", views.referral_step, name="step"),
    path("rehab/", views.rehab_list, name="rehab-list"),
    path("rehab/export/", views.rehab_export, name="rehab-export"),
    path("rehab/new/", views.rehab_new, name="rehab-new"),
    path("rehab/<int:file_id>/", views.rehab_detail, name="rehab-detail"),
    path("rehab/<int:file_id>/<str:step>/", views.rehab_step, name="rehab-step"),
]
