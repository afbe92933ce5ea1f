from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "vcsehub.geography"
    label = "geography"
