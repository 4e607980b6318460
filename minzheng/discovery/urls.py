from django.urls import path

from minzheng.discovery import views

app_name = "discovery"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/export.xlsx", views.alert_export, name="alert-export"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:task_id>/outcome/", views.task_outcome, name="task-outcome"),
    path("left-behind/", views.left_behind_list, name="left-behind-list"),
    path("left-behind/new/", views.left_behind_new, name="left-behind-new"),
    path("left-behind/<int:entry_id>/", views.left_behind_detail, name="left-behind"),
    path("left-behind/<int:entry_id>/end/", views.left_behind_end, name="left-behind-end"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
]
