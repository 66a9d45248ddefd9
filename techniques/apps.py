from django.apps import AppConfig


class TechniquesConfig(AppConfig):
    name = "techniques"
    verbose_name = "Guides and content"

    def ready(self):
        # Imported for the signal handlers they connect.
        from techniques import (
            guide_bodies,
            revisions,  # noqa: F401
        )
        from techniques.images import share_card_files  # noqa: F401
        from techniques.page_cache import content_version

        content_version.connect_signals()
        guide_bodies.connect_signals()
