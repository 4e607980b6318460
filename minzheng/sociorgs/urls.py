from django.urls import path

from minzheng.sociorgs import views

app_name = "sociorgs"

urlpatterns = [
    path("", views.home, name="home"),
]
