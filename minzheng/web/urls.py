"""The shell: workbench, login, password, audit log. Each app mounts its own screens."""

from django.urls import path

from minzheng.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("audit/", views.audit_log, name="audit-log"),
    path("tokens/", views.api_tokens, name="api-tokens"),
]
