from django.apps import AppConfig


class TechniquesConfig(AppConfig):
    name = "techniques"
    verbose_name = "Guides and content"

    def ready(self):
        from techniques import revisions, share_card_files  # noqa: F401  (connect their signal handlers)
        from techniques.content_version import connect_signals

        connect_signals()
