from django.apps import AppConfig


class TechniquesConfig(AppConfig):
    name = "techniques"
    verbose_name = "Guides and content"

    def ready(self):
        # Imported for the signal handlers they connect.
        from techniques import revisions  # noqa: F401
        from techniques.content_version import connect_signals
        from techniques.images import share_card_files  # noqa: F401

        connect_signals()
