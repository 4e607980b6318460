from django.urls import path

from minzheng.funerals import views

app_name = "funerals"

urlpatterns = [
    path("", views.home, name="home"),
    path("records/", views.record_list, name="record-list"),
    path("records/new/<int:person_id>/", views.record_new, name="record-new"),
    path("records/<int:record_id>/", views.record_detail, name="record-detail"),
    path("records/<int:record_id>/<str:step>/", views.record_step, name="record-step"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/<int:facility_id>/", views.facility_detail, name="facility-detail"),
    path("register/", views.register_page, name="register"),
    path("report/", views.report_page, name="report"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
    path("settlements/", views.settlement_list, name="settlement-list"),
    path("settlements/<int:settlement_id>/approve/", views.settlement_approve, name="settlement-approve"),
    path("settlements/<int:settlement_id>/bank.xlsx", views.settlement_bank_file, name="settlement-bank"),
    path("zones/", views.zone_list, name="zone-list"),
    path("graves/", views.grave_list, name="grave-list"),
    path("graves/<int:grave_id>/<str:step>/", views.grave_step, name="grave-step"),
    path("memorials/<int:memorial_id>/photo/", views.memorial_photo_edit, name="memorial-photo-edit"),
    path("memorial/<str:token>/", views.memorial_page, name="memorial"),
    path("memorial/<str:token>/photo", views.memorial_photo, name="memorial-photo"),
    path("messages/<int:message_id>/moderate/", views.message_moderate, name="message-moderate"),
]
