"""The search box: what a query may be, and the message when it is not."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

MAX_QUERY_LENGTH = 200


# Allowed in a query, and read as spaces; any other control character is refused.
WHITESPACE_CONTROLS = {"\t", "\n", "\r"}


def no_control_characters(value: str) -> None:
    # NUL among them: PostgreSQL refuses it in a query.
    if any(unicodedata.category(char) == "Cc" and char not in WHITESPACE_CONTROLS for char in value):
        raise ValidationError(
            "Your search contains a control character, which can't be searched for. "
            "Type the words you are looking for instead."
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search guides, steps and pages",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[no_control_characters],
        error_messages={
            "max_length": f"Your search is too long: please use at most {MAX_QUERY_LENGTH} characters "
            "(it has %(show_value)d)."
        },
    )

    def __init__(self, data=None):
        super().__init__(data)
        # no_control_characters explains NUL as it does the others; Django's own validator
        # would add a second, more technical message.
        field = self.fields["q"]
        field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
