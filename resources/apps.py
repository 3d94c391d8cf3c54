from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self):
        from resources import versions  # noqa: F401 -- its receivers
