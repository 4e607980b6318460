from django.urls import path

from minzheng.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path("entry/", views.entry, name="entry"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:submission_id>/<str:decision>/", views.submission_review, name="submission-review"),
    path("submissions/<int:submission_id>/attachment/", views.submission_attachment, name="submission-attachment"),
    path("import/", views.import_page, name="import"),  # → /exchange/feeds/planning_values/upload/
    path("settings/", views.settings_page, name="settings"),
    path("recompute/", views.recompute, name="recompute"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/photos/<int:photo_id>/", views.project_photo, name="project-photo"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/download/", views.report_download, name="report-download"),
]
