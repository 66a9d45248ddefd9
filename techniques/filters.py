"""The guide list's filters: plain GET parameters, so a filtered list is a shareable URL.

Each list has one address: the filters that are set, once each, in the form's order, then the
page number when it is not the first (`?position=seated&page=2`). Any other spelling of the
same list (`?page=0001`, a filter repeated, empty fields from the form) is redirected there,
so the page cache holds each list once, however its address is written.
"""

import re

from django import forms
from django.utils.http import urlencode

from techniques.models import BodyArea, Difficulty, Equipment, Position

PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


class GuideFilterForm(forms.Form):
    position = forms.ChoiceField(required=False, choices=[("", "Any position"), *Position.choices])
    equipment = forms.ChoiceField(required=False)
    area = forms.ChoiceField(label="Body area", required=False)
    difficulty = forms.ChoiceField(required=False, choices=[("", "Any difficulty"), *Difficulty.choices])

    def __init__(self, data=None):
        # Only the parameters this form knows are bound; anything else in the query string
        # (utm_source, fbclid, ...) is ignored rather than treated as an error.
        super().__init__(data)
        self.fields["equipment"].choices = [("", "Any equipment")] + [
            (item.slug, item.name) for item in Equipment.objects.all()
        ]
        self.fields["area"].choices = [("", "Any body area")] + [
            (item.slug, item.name) for item in BodyArea.objects.all()
        ]
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = (
                f"“%(value)s” is not one of the {field.label.lower() if field.label else name} "
                "options, so that filter was not applied."
            )

    def filter(self, guides):
        """Apply the valid filters; an invalid one is left out and reported by the form."""
        data = self.cleaned_data if self.is_bound else {}
        if position := data.get("position"):
            guides = guides.filter(position=position)
        if difficulty := data.get("difficulty"):
            guides = guides.filter(difficulty=difficulty)
        if equipment := data.get("equipment"):
            guides = guides.filter(equipment__slug=equipment)
        if area := data.get("area"):
            guides = guides.filter(body_areas__slug=area)
        return guides

    @property
    def active_filters(self):
        if not self.is_bound:
            return []
        return [
            (self.fields[name].label or name.title(), dict(self.fields[name].choices)[value])
            for name, value in self.cleaned_data.items()
            if value
        ]

    def canonical_query(self, page_number: int) -> str:
        """The query string of this list's one address; call after is_valid()."""
        data = self.cleaned_data if self.is_bound else {}
        pairs = [(name, data[name]) for name in self.fields if data.get(name)]
        if page_number > 1:
            pairs.append(("page", page_number))
        return urlencode(pairs)

    @classmethod
    def read_parameters(cls) -> list[str]:
        """The query parameters the guide list reads."""
        return [*cls.base_fields, "page"]


def page_number(raw: str | None) -> int | None:
    """The page asked for: 1 when none is, None when the value is no page number (0 is none)."""
    if not raw:
        return 1
    return int(raw) if PAGE_NUMBER.fullmatch(raw) and int(raw) > 0 else None
