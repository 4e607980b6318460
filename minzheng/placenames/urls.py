from django.urls import path

from minzheng.placenames import views

app_name = "placenames"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.place_list, name="place-list"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/documents/", views.case_document, name="case-document"),
    path("cases/<int:case_id>/<str:action>/", views.case_step, name="case-step"),
    path("lines/<int:line_id>/", views.line_detail, name="line-detail"),
]
