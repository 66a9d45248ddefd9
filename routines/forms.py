"""The routine builder's form: every published guide with a tick box, a position and,
optionally, a hold and repetitions of the routine's own.

It is sent with GET and stores nothing: a valid form becomes the routine's address
(routines.links), which is the routine.
"""

from dataclasses import dataclass

from django import forms
from django.forms.boundfield import BoundField, BoundWidget

from routines.links import Choice
from routines.steps import MAX_GUIDES, RoutineEntry, routine_problems
from techniques.models import HOLD_SECONDS_MAX, REPS_MAX
from techniques.plain_text import and_list

ANY_POSITION = ""


@dataclass
class BuilderRow:
    """One guide's controls, for the template."""

    guide: object
    tick: BoundWidget
    position: BoundField
    hold: BoundField
    reps: BoundField

    @property
    def has_overrides_or_errors(self):
        return any(field.value() not in (None, "") or field.errors for field in (self.hold, self.reps))

    @property
    def overrides(self) -> list[tuple[str, BoundField]]:
        """The hold and repetitions fields, each with its short visible label."""
        return [("Hold, seconds", self.hold), ("Repetitions", self.reps)]


class RoutineBuilderForm(forms.Form):
    guide = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, guides, data=None):
        """`guides`: the published guides, with their steps prefetched."""
        super().__init__(data)
        self.guides = guides
        self.choices: list[Choice] = []
        self.fields["guide"].choices = [(guide.slug, guide.title) for guide in guides]
        self.fields["guide"].error_messages["invalid_choice"] = (
            "“%(value)s” is not one of the published guides, so it can't be in a routine."
        )
        positions = [(ANY_POSITION, "Any"), *((str(n), str(n)) for n in range(1, MAX_GUIDES + 1))]
        for guide in guides:
            self.fields[f"order-{guide.slug}"] = forms.TypedChoiceField(
                label=f"Position of {guide.title}",
                choices=positions,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": f"The position of {guide.title} is a number from 1 to {MAX_GUIDES}, or Any."
                },
            )
            self.fields[f"hold-{guide.slug}"] = count_field(
                f"Hold for {guide.title}, in seconds",
                HOLD_SECONDS_MAX,
                f"A hold for {guide.title} is a whole number from 1 to {HOLD_SECONDS_MAX} seconds.",
            )
            self.fields[f"reps-{guide.slug}"] = count_field(
                f"Repetitions for {guide.title}",
                REPS_MAX,
                f"Repetitions for {guide.title} is a whole number from 1 to {REPS_MAX}.",
            )

    @property
    def rows(self):
        ticks = {tick.data["value"]: tick for tick in self["guide"]}
        return [
            BuilderRow(
                guide,
                ticks[guide.slug],
                self[f"order-{guide.slug}"],
                self[f"hold-{guide.slug}"],
                self[f"reps-{guide.slug}"],
            )
            for guide in self.guides
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = set(cleaned.get("guide") or [])
        picked = [(index, guide) for index, guide in enumerate(self.guides) if guide.slug in chosen]

        at_position = {}
        for _, guide in picked:
            if (position := cleaned[f"order-{guide.slug}"]) is not None:
                at_position.setdefault(position, []).append(guide.title)
        for position, titles in sorted(at_position.items()):
            if len(titles) > 1:
                self.add_error(
                    None,
                    f"{and_list(titles)} have the same position, {position}. Give each guide a position "
                    "of its own, or leave it at Any.",
                )

        # Guides with a position come first, in that order; the others follow in list order.
        def place(pick):
            index, guide = pick
            position = cleaned[f"order-{guide.slug}"]
            return (position is None, position or 0, index)

        entries = []
        for _, guide in sorted(picked, key=place):
            hold, reps = cleaned[f"hold-{guide.slug}"], cleaned[f"reps-{guide.slug}"]
            entry = RoutineEntry.of(guide, hold, reps)
            for field, problem in entry.override_problems().items():
                self.add_error(f"{'hold' if field == 'hold_seconds' else 'reps'}-{guide.slug}", problem)
            entries.append(entry)
        for problem in routine_problems(entries):
            self.add_error(None, problem)
        self.choices = [Choice(entry.guide.slug, entry.hold_seconds, entry.reps) for entry in entries]
        return cleaned


def count_field(label: str, maximum: int, message: str) -> forms.IntegerField:
    """An optional whole number from 1 to `maximum`, with one message for any other value."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        required=False,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )
