from django.urls import path

from minzheng.charity import views

app_name = "charity"

urlpatterns = [
    path("", views.home, name="home"),
    path("months.xlsx", views.months_export, name="months-export"),
    path("donations.xlsx", views.ledger_export, name="ledger-export"),
]
