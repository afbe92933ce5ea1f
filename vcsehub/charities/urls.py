from django.urls import path

from vcsehub.charities import views

app_name = "charities"
urlpatterns = [
    path("", views.search, name="search"),
    path("results.csv", views.search_csv, name="search_csv"),
    path("area/<str:gss_code>/", views.area, name="area"),
    path("area/<str:gss_code>/profile.csv", views.area_csv, name="area_csv"),
    path(
        "area/<str:gss_code>/organisations.csv",
        views.area_organisations_csv,
        name="area_organisations_csv",
    ),
    path("saved/", views.saved_list, name="saved_list"),
    path("saved/new/", views.saved_create, name="saved_create"),
    path("saved/<slug:slug>/delete/", views.saved_delete, name="saved_delete"),
    path("saved/<slug:slug>/", views.saved, name="saved"),
    path("saved/<slug:slug>.csv", views.saved_csv, name="saved_csv"),
    path("<str:org_id>.json", views.organisation_json, name="organisation_json"),
    path("<str:org_id>.csv", views.organisation_csv, name="organisation_csv"),
    path("<str:org_id>/", views.organisation, name="organisation"),
]
