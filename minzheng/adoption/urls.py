from django.urls import path

from minzheng.adoption import views

app_name = "adoption"

urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.adoption_list, name="list"),
    path("new/", views.adoption_new, name="new"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/<int:visit_id>/", views.visit_record, name="visit-record"),
    path("assessments/<int:assessment_id>/report.pdf", views.assessment_report, name="assessment-report"),
    path("<int:adoption_id>/", views.adoption_detail, name="detail"),
    path("<int:adoption_id>/documents/", views.adoption_document, name="document"),
    path("<int:adoption_id>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:adoption_id>/refusal.pdf", views.refusal, name="refusal"),
    path("<int:adoption_id>/<str:step>/", views.adoption_step, name="step"),
]
