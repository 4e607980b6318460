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

# 预约和咨询 (issue 22 item 5): views_services.py
from minzheng.citizen import views_services  # noqa: E402 - appended after the other branch's lines

urlpatterns += [
    path("marriage/", views_services.marriage, name="marriage"),
    path("marriage/<int:appointment_id>/cancel/", views_services.marriage_cancel, name="marriage-cancel"),
    path("funeral/", views_services.funeral, name="funeral"),
    path("volunteer/", views_services.volunteer, name="volunteer"),
    path("messages/", views_services.message_list, name="messages"),
]
