from django.urls import path

from minzheng.placenames import views

app_name = "placenames"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.place_list, name="place-list"),
    path("places/new/", views.place_new, name="place-new"),
    path("places/<int:place_id>/", views.place_detail, name="place-detail"),
    path("places/<int:place_id>/heritage/", views.place_heritage, name="place-heritage"),
    path("cases/new/", views.naming_new, name="naming-new"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/documents/", views.case_document, name="case-document"),
    path("cases/<int:case_id>/<str:action>/", views.case_step, name="case-step"),
    path("changes/", views.change_list, name="change-list"),
    path("changes/new/", views.change_new, name="change-new"),
    path("changes/<int:change_id>/", views.change_detail, name="change-detail"),
    path("changes/<int:change_id>/<str:action>/", views.change_step, name="change-step"),
    path("lines/new/", views.line_new, name="line-new"),
    path("lines/<int:line_id>/", views.line_detail, name="line-detail"),
    path("lines/<int:line_id>/markers/", views.line_marker, name="line-marker"),
    path("lines/<int:line_id>/inspections/", views.line_inspection, name="line-inspection"),
]
