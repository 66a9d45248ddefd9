from django.apps import AppConfig


class EditingConfig(AppConfig):
    """Safe concurrent editing in the admin: version checks on save with a merge view, who
    else is editing, drafts kept in the browser, diffs between versions and recent changes."""

    name = "editing"
    verbose_name = "editing"
    default_auto_field = "django.db.models.BigAutoField"
