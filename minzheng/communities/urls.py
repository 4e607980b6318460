from django.urls import path

from minzheng.communities import views

app_name = "communities"

urlpatterns = [
    path("", views.home, name="home"),
    path("report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("sites/", views.site_list, name="site-list"),
    path("villages/<str:code>/", views.village, name="village"),
    path("villages/<str:code>/add/<str:what>/", views.village_add, name="village-add"),
    path("villages/<str:code>/members/<int:member_id>/leave/", views.member_leave, name="member-leave"),
    path("villages/<str:code>/matters/<int:matter_id>/close/", views.matter_close, name="matter-close"),
    path("villages/<str:code>/workers/<int:worker_id>/training/", views.worker_training, name="worker-training"),
    path("villages/<str:code>/facilities/new/", views.facility_edit, name="facility-new"),
    path("villages/<str:code>/facilities/<int:facility_id>/", views.facility_edit, name="facility-edit"),
    path("villages/<str:code>/elections/new/", views.election_new, name="election-new"),
    path("elections/", views.election_list, name="election-list"),
    path("elections/<int:election_id>/", views.election_detail, name="election-detail"),
    path("elections/<int:election_id>/answer/", views.election_answer, name="election-answer"),
    path("elections/<int:election_id>/<str:action>/", views.election_step, name="election-step"),
]
