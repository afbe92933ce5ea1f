from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "vcsehub.sharing"
    label = "sharing"
