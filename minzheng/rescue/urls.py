from django.urls import path

from minzheng.rescue import views

app_name = "rescue"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.intake, name="intake"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/step/<str:action>/", views.case_step, name="case-step"),
    path("stats/", views.stats, name="stats"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("reports/<str:kind>.<str:fmt>", views.report, name="report"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("beds/", views.beds, name="beds"),
    path("follow-ups/", views.follow_up_list, name="follow-up-list"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_detail, name="follow-up-detail"),
    path("wandering/", views.wandering_list, name="wandering-list"),
    path("wandering/<int:entry_id>/", views.wandering_detail, name="wandering-detail"),
]
