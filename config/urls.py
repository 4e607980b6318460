from django.urls import include, path

from minzheng.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("assistance/", include("minzheng.assistance.urls")),
    path("screening/", include("minzheng.screening.urls")),
    path("jobs/", include("minzheng.jobs.urls")),
    path("exchange/", include("minzheng.exchange.urls")),
    path("discovery/", include("minzheng.discovery.urls")),
    path("eldercare/", include("minzheng.eldercare.urls")),
    path("rescue/", include("minzheng.rescue.urls")),
    path("funerals/", include("minzheng.funerals.urls")),
    path("lottery/", include("minzheng.lottery.urls")),
    path("communities/", include("minzheng.communities.urls")),
    path("placenames/", include("minzheng.placenames.urls")),
    path("children/", include("minzheng.children.urls")),
    path("lowincome/", include("minzheng.lowincome.urls")),
    path("disability/", include("minzheng.disability.urls")),
    path("referrals/", include("minzheng.referrals.urls")),
    path("adoption/", include("minzheng.adoption.urls")),
    path("marriage/", include("minzheng.marriage.urls")),
    path("sociorgs/", include("minzheng.sociorgs.urls")),
    path("charity/", include("minzheng.charity.urls")),
    path("socialwork/", include("minzheng.socialwork.urls")),
    path("volunteers/", include("minzheng.volunteers.urls")),
    path("planning/", include("minzheng.planning.urls")),
    path("citizen/", include("minzheng.citizen.urls")),  # the citizens' site (alone: config.citizen)
    path("citizen-messages/", include("minzheng.citizen.staff_urls")),  # staff answer the citizens' messages
    path("", include("minzheng.registry.urls")),  # /persons/, /households/, /divisions/
    path("registry/deaths/", include("minzheng.registry.death_urls")),
    path("", include("minzheng.web.urls")),
]

handler404 = "minzheng.web.errors.not_found"
handler403 = "minzheng.web.errors.forbidden"
handler500 = "minzheng.web.errors.server_error"
