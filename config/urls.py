from django.contrib import admin
from django.urls import include, path

from config.api import api
from vcsehub.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("data-sources/", include("vcsehub.sources.urls")),
    path("account/", include("vcsehub.organisations.urls")),
    path("places/", include("vcsehub.geography.urls")),
    path("charities/", include("vcsehub.charities.urls")),
    path("grants/", include("vcsehub.grants.urls")),
    path("impact/", include("vcsehub.impact.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "vcsehub.common.views.not_found"
handler500 = "vcsehub.common.views.server_error"
