from django.urls import path

from minzheng.charity import views

app_name = "charity"

urlpatterns = [
    path("", views.home, name="home"),
]
