"""Form field values in three shapes: comparable (to tell whether two versions differ),
displayable (to show an editor), and as a browser would post them (to put a version into a
form). One home for these, used by the merge view and the history diff."""

import datetime
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats

EMPTY = "(empty)"

# Fields no version comparison looks at: a browser never posts a stored file back.
UNCOMPARED_FIELDS = (forms.FileField,)


def comparable(field, raw):
    """`raw` (a posted or prepared value) as a value equal for equal content."""
    try:
        value = field.clean(raw)
    except ValidationError:
        return ("invalid", normalise(raw))
    return normalise(value)


def normalise(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return tuple(sorted((normalise(item) for item in value), key=str))
    if isinstance(value, str):
        return plain(value)
    return value


def plain(text):
    """Text as compared: browsers post textarea line breaks as CRLF, and the admin strips ends."""
    return (text or "").replace("\r\n", "\n").strip()


def display(field, raw):
    """What an editor reads for a value, e.g. a choice's label rather than its key."""
    try:
        value = field.clean(raw)
    except ValidationError:
        value = raw
    return display_value(value, getattr(field, "choices", None))


def display_value(value, choices=None):
    if value is None or value == "" or (isinstance(value, Iterable) and not isinstance(value, str) and not value):
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(sorted(str(item) for item in value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y" if not isinstance(value, datetime.datetime) else "j F Y, H:i")
    if choices:
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        if str(value) in labels:
            return str(labels[str(value)])
    return str(value)


def as_posted(field, prepared):
    """A prepared value (an unbound form's `field.value()`) as the browser would post it:
    a string, a list of strings, or None for an unticked box."""
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if prepared else None
    if isinstance(prepared, list | tuple):
        return [str(item) for item in prepared]
    if prepared is None:
        return ""
    formatted = field.widget.format_value(prepared)
    if isinstance(formatted, list | tuple):
        return [str(item) for item in formatted]
    return "" if formatted is None else str(formatted)


def put(data, name, posted):
    """Write `posted` (from as_posted) into a mutable QueryDict under `name`."""
    if posted is None:
        data.pop(name, None)
    elif isinstance(posted, list):
        data.setlist(name, posted)
    else:
        data[name] = posted


def is_compared(field):
    return not isinstance(field, UNCOMPARED_FIELDS)
