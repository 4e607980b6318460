from django.urls import path

from minzheng.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("todo.xlsx", views.todo_export, name="todo-export"),
    path("applications/", views.application_list, name="applications"),
    path("objections/<int:objection_id>/", views.objection, name="objection"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<int:application_id>/", views.application_detail, name="application-detail"),
    path("applications/<int:application_id>/do/<str:action>/", views.application_action, name="application-action"),
    path("applications/<int:application_id>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("applications/<int:application_id>/pdf/<str:kind>/", views.application_pdf, name="application-pdf"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment-download"),
    path("enrolments/", views.enrolment_list, name="enrolments"),
    path("enrolments/export.xlsx", views.enrolment_export, name="enrolments-export"),
    path("enrolments/<int:enrolment_id>/", views.enrolment_detail, name="enrolment-detail"),
    path("enrolments/<int:enrolment_id>/do/<str:action>/", views.enrolment_action, name="enrolment-action"),
    path("enrolments/<int:enrolment_id>/raises/<int:request_id>/<str:decision>/", views.adjustment_decision, name="adjustment-decision"),
    path("payroll/", views.payroll_list, name="payroll"),
    path("payroll/<int:batch_id>/", views.payroll_detail, name="payroll-detail"),
    path("payroll/<int:batch_id>/approve/", views.payroll_approve, name="payroll-approve"),
    path("payroll/<int:batch_id>/bank.xlsx", views.payroll_bank_file, name="payroll-bank-file"),
    path("payroll/<int:batch_id>/changes.xlsx", views.payroll_changes, name="payroll-changes"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:task_id>/", views.review_detail, name="review-detail"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:notice_id>/<str:fmt>/", views.notice_file, name="notice-file"),
    path("imports/", views.imports_page, name="imports"),  # → /exchange/?group=assistance
    path("settings/", views.settings_view, name="settings"),
]
