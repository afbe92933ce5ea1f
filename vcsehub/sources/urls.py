from django.urls import path

from vcsehub.common.views import home

app_name = "sources"
urlpatterns = [path("", home, name="index")]
