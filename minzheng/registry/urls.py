"""Registry screens. Mounted at the site root: the paths are the ones users have bookmarked."""

from django.urls import path

from minzheng.registry import views

app_name = "registry"

urlpatterns = [
    path("persons/", views.person_search, name="person-search"),
    path("persons/new/", views.person_create, name="person-create"),
    path("persons/export.xlsx", views.person_export, name="person-export"),
    path("persons/<int:person_id>/", views.person_detail, name="person-detail"),
    path("persons/<int:person_id>/reveal/", views.person_reveal, name="person-reveal"),
    path("households/<int:household_id>/", views.household_detail, name="household-detail"),
    path("divisions/", views.division_detail, name="division-detail"),
    path("divisions/<str:code>/", views.division_detail, name="division-detail-code"),
    path("divisions/<str:code>/zone/", views.division_set_zone, name="division-set-zone"),
]
