from django.urls import path

from vcsehub.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:source_id>/", views.detail, name="detail"),
]
