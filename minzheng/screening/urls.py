from django.urls import path

from minzheng.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("run/", views.run_screening, name="run"),
    path("discrepancies/", views.discrepancy_list, name="discrepancies"),
    path("discrepancies/export.xlsx", views.discrepancy_export, name="discrepancies-export"),
    path("results.xlsx", views.results_export, name="results-export"),
    path("parameters/", views.parameter_browser, name="parameters"),
    path("simulate/", views.simulation, name="simulate"),
    path("households/<int:household_id>/why/", views.household_why, name="household-why"),
]
