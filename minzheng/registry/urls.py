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
    path("persons/<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("persons/<int:person_id>/join/", views.person_join, name="person-join"),
    path("persons/<int:person_id>/death/", views.person_death, name="person-death"),
    path("persons/pick/", views.person_pick, name="person-pick"),
    path("persons/pick/choose/", views.person_pick_choose, name="person-pick-choose"),
    path("households/new/", views.household_create, name="household-create"),
    path("households/<int:household_id>/", views.household_detail, name="household-detail"),
    path("households/<int:household_id>/members/new/", views.household_member_add, name="household-member-add"),
    path("households/<int:household_id>/members/<int:person_id>/leave/", views.household_member_leave, name="household-member-leave"),
    path("households/<int:household_id>/members/<int:person_id>/move/", views.household_member_move, name="household-member-move"),
    path("households/<int:household_id>/split/", views.household_split, name="household-split"),
    path("households/<int:household_id>/head/", views.household_head, name="household-head"),
    path("household-requests/", views.join_requests, name="join-requests"),
    path("household-requests/<int:request_id>/<str:step>/", views.join_request_step, name="join-request-step"),
    path("divisions/", views.division_detail, name="division-detail"),
    path("divisions/<str:code>/", views.division_detail, name="division-detail-code"),
    path("divisions/<str:code>/zone/", views.division_set_zone, name="division-set-zone"),
    path("statistics/refresh/", views.statistics_refresh, name="statistics-refresh"),
]
