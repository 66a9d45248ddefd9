from django.apps import AppConfig


class TechniquesConfig(AppConfig):
    name = "techniques"
    verbose_name = "Guides and content"

    def ready(self):
        from techniques import revisions  # noqa: F401  (connects its signal handler)
