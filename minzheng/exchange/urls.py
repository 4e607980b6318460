from django.urls import path

from minzheng.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("feeds/<slug:kind>/template.xlsx", views.template_download, name="template"),
    path("feeds/<slug:kind>/upload/", views.upload, name="upload"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/report.xlsx", views.batch_report, name="report"),
]
