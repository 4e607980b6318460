from django.urls import path

from minzheng.citizen import views, views_allowances

app_name = "citizen"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin_phone, name="signin"),
    path("signin/code/", views.signin_code, name="signin-code"),
    path("signin/resend/", views.signin_resend, name="signin-resend"),
    path("signout/", views.signout, name="signout"),
    path("sso/", views.sso_start, name="sso"),
    path("sso/callback/", views.sso_callback, name="sso-callback"),
    path("sso/stand-in/", views.sso_stand_in, name="sso-stand-in"),
    path("bind/", views.bind, name="bind"),
    path("apply/", views.apply, name="apply"),
    path("cases/", views.cases, name="cases"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("cases/<int:application_id>/", views.case, name="case"),
    path("cases/<int:application_id>/correction/", views.correction, name="correction"),
    path("apply/disability/", views_allowances.apply_disability, name="apply-disability"),
    path("apply/children/", views_allowances.apply_children, name="apply-children"),
    path("cases/disability/<int:application_id>/", views_allowances.disability_case, name="disability-case"),
    path("cases/children/<int:recognition_id>/", views_allowances.children_case, name="children-case"),
]
