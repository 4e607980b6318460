from django.urls import path

from minzheng.registry import death_views

app_name = "deaths"

urlpatterns = [
    path("<int:report_id>/confirm", death_views.confirm, name="confirm"),
    path("<int:report_id>/refute", death_views.refute, name="refute"),
]
