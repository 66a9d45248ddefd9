from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    """Curated routines, the routine builder and reader-built routines. Built from guides
    (the techniques app), which know nothing of routines."""

    name = "routines"
    verbose_name = "Routines"
