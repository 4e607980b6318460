"""The citizens' site alone (config.citizen): /citizen/ and nothing of the staff platform."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("citizen/", include("minzheng.citizen.urls")),
    path("", RedirectView.as_view(url="/citizen/", permanent=False)),
]

handler404 = "minzheng.citizen.views.not_found"
handler500 = "minzheng.citizen.views.server_error"
