from django.apps import AppConfig


class SourcesTestAppConfig(AppConfig):
    name = "tests.sources.testapp"
    label = "sources_testapp"
    default_auto_field = "django.db.models.BigAutoField"
