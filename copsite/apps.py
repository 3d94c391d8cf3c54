from django.apps import AppConfig


class CopsiteConfig(AppConfig):
    name = "copsite"

    def ready(self):
        from copsite import checks  # noqa: F401 -- registers the deploy checks
