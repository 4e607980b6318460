from django.urls import path

from minzheng.eldercare import views

app_name = "eldercare"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/new/", views.facility_new, name="facility-new"),
    path("facilities/<int:facility_id>/", views.facility_detail, name="facility-detail"),
    path("facilities/<int:facility_id>/edit/", views.facility_edit, name="facility-edit"),
    path("facilities/<int:facility_id>/check-in/", views.resident_check_in, name="resident-check-in"),
    path("residents/<int:residency_id>/check-out/", views.resident_check_out, name="resident-check-out"),
    path("map/", views.circle_map, name="map"),
    path("elders/", views.elder_search, name="elder-search"),
    path("elders/<int:person_id>/", views.elder_detail, name="elder-detail"),
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/coverage/", views.assessment_coverage, name="assessment-coverage"),
    path("assessments/new/<int:person_id>/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:assessment_id>/report.pdf", views.assessment_report, name="assessment-report"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/new/<int:person_id>/", views.order_new, name="order-new"),
    path("orders/<int:order_id>/", views.order_detail, name="order-detail"),
    path("orders/<int:order_id>/<str:step>/", views.order_step, name="order-step"),
    path("ledger/", views.ledger, name="ledger"),
    path("settlements/", views.settlement_list, name="settlement-list"),
    path("settlements/provider/<int:provider_id>/", views.settlement_create, name="settlement-create"),
    path("settlements/<int:settlement_id>/export.xlsx", views.settlement_export, name="settlement-export"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/<int:person_id>/", views.visit_target_new, name="visit-target-new"),
    path("visits/<int:target_id>/", views.visit_target, name="visit-target"),
    path("family-beds/", views.family_bed_list, name="family-bed-list"),
    path("family-beds/new/<int:person_id>/", views.family_bed_new, name="family-bed-new"),
    path("family-beds/<int:bed_id>/", views.family_bed_detail, name="family-bed-detail"),
]
