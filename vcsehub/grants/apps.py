from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "vcsehub.grants"
    label = "grants"
