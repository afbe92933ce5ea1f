from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "vcsehub.grants"
    label = "grants"
    verbose_name = "360Giving grants"
    nav_items = [("Grants", "grants:index", 40)]
