from django.urls import path

from vcsehub.geography import views

app_name = "geography"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:gss_code>/", views.area, name="area"),
    path("<str:gss_code>/lsoas.csv", views.area_csv, name="area_csv"),
    path("<str:gss_code>/map.svg", views.area_map_svg, name="area_map_svg"),
]
