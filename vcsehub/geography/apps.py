from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "vcsehub.geography"
    label = "geography"
    verbose_name = "Places and deprivation"
    nav_items = [("Places", "geography:index", 20)]
