from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


class SourcesConfig(AppConfig):
    name = "vcsehub.sources"
    label = "sources"
    verbose_name = "Data sources and imports"
    nav_items = [("Data sources", "sources:index", 90)]

    def ready(self) -> None:
        # Each app declares its open-data sources in <app>/sources.py.
        from importlib import import_module

        for config in apps.get_app_configs():
            if config.name.startswith("vcsehub.") and module_has_submodule(
                config.module, "sources"
            ):
                import_module(f"{config.name}.sources")
