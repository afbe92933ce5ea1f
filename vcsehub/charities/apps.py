from django.apps import AppConfig


class CharitiesConfig(AppConfig):
    name = "vcsehub.charities"
    label = "charities"
    nav_items = [("Charities", "charities:search", 10)]
