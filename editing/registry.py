"""The admins whose change forms are version-checked, by model label ("techniques.technique"):
the presence endpoint and the recent-changes page only accept content listed here."""

_admins = {}


def register(model_admin):
    _admins[model_admin.model._meta.label_lower] = model_admin


def admin_for(label):
    return _admins.get(label)


def registered():
    return dict(_admins)
