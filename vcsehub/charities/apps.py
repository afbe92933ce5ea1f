from django.apps import AppConfig


class CharitiesConfig(AppConfig):
    name = "vcsehub.charities"
    label = "charities"
