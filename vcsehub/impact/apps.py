from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "vcsehub.impact"
    label = "impact"
    verbose_name = "Impact: your own records"
    nav_items = [("Your impact", "impact:index", 30)]
