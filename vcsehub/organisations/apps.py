from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "vcsehub.organisations"
    label = "organisations"
    verbose_name = "Organisations and accounts"
    nav_items = [("My organisations", "organisations:home", 80)]
