from django.urls import path

from minzheng.marriage import views

app_name = "marriage"

urlpatterns = [
    path("", views.home, name="home"),
    path("stats/", views.stats, name="stats"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/slots/", views.slots_open, name="slots-open"),
    path("appointments/<int:appointment_id>/<str:step>/", views.appointment_action, name="appointment-action"),
    path("counter/", views.counter, name="counter"),
    path("register.xlsx", views.register_export, name="register-export"),
    path("marriages/", views.marriage_list, name="marriages"),
    path("marriages/new/", views.marriage_new, name="marriage-new"),
    path("marriages/<int:marriage_id>/", views.marriage_detail, name="marriage-detail"),
    path("marriages/<int:marriage_id>/certificate.pdf", views.marriage_certificate, name="marriage-certificate"),
    path("marriages/<int:marriage_id>/household/", views.marriage_household_change, name="marriage-household"),
    path("marriages/<int:marriage_id>/<str:step>/", views.marriage_step, name="marriage-step"),
    path("divorces/", views.divorce_list, name="divorces"),
    path("divorces/new/", views.divorce_new, name="divorce-new"),
    path("divorces/<int:divorce_id>/", views.divorce_detail, name="divorce-detail"),
    path("divorces/<int:divorce_id>/refer/", views.divorce_refer, name="divorce-refer"),
    path("divorces/<int:divorce_id>/<str:step>/", views.divorce_step, name="divorce-step"),
    path("referrals/<int:referral_id>/outcome/", views.referral_outcome, name="referral-outcome"),
    path("amendments/", views.amendment_list, name="amendments"),
    path("amendments/new/", views.amendment_new, name="amendment-new"),
    path("amendments/<int:amendment_id>/", views.amendment_detail, name="amendment-detail"),
    path("amendments/<int:amendment_id>/<str:step>/", views.amendment_step, name="amendment-step"),
    path("counselling/", views.counselling, name="counselling"),
]
