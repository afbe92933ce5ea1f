from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "vcsehub.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        import config.checks  # noqa: F401  (registers system checks)
