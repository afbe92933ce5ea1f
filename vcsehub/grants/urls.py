from django.urls import path

from vcsehub.grants import views

app_name = "grants"
urlpatterns = [
    path("", views.index, name="index"),
    path("funders/<str:org_id>/", views.funder, name="funder"),
    path("funders/<str:org_id>/<slug:table>.csv", views.funder_csv, name="funder_csv"),
    path("recipients/<str:org_id>/", views.recipient, name="recipient"),
    path("network/", views.network, name="network"),
    path("network/deciles.csv", views.network_csv, name="network_csv"),
    path("network/overlaps.csv", views.network_overlaps_csv, name="network_overlaps_csv"),
    path("cold-spots/", views.coldspots, name="coldspots"),
    path("cold-spots.csv", views.coldspots_csv, name="coldspots_csv"),
    path("finder/", views.finder, name="finder"),
    path("finder.csv", views.finder_csv, name="finder_csv"),
]
