"""The address of a reader-built routine, which is the routine itself: nothing is stored.

    /routines/custom/warm-up+cat-cow~5x8+lying-rotation~x3/

Guides are listed by slug, in the order they are done, joined by "+". A guide may carry the
routine's own hold and repetitions after a "~" (see routines.steps for what they
change): "~20" holds 20 seconds, "~x5" repeats 5 times, "~20x5" does both. Numbers have no
leading zeros, so every routine has exactly one address, which is also its canonical link.

The address comes from anyone, so it is read strictly: anything that is not this format, or
breaks the limits every routine keeps, is refused with a message saying what is wrong.
"""

import re
import string
from typing import NamedTuple

from django.urls import reverse

from routines.steps import MAX_GUIDES
from techniques.models import HOLD_SECONDS_MAX, REPS_MAX

SEPARATOR = "+"
ALLOWED_CHARACTERS = set(string.ascii_lowercase + string.digits + "-+~")
SLUG_MAX_LENGTH = 50  # a SlugField's
ITEM = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:~(?P<hold>[1-9][0-9]{0,2})?(?:x(?P<reps>[1-9][0-9]?))?)?")
# The longest address a valid routine can have: the longest slugs, each with both overrides.
MAX_LENGTH = MAX_GUIDES * (SLUG_MAX_LENGTH + len("~120x30")) + (MAX_GUIDES - 1) * len(SEPARATOR)


class Choice(NamedTuple):
    """One guide of a reader-built routine, with the routine's own hold and repetitions, if any."""

    slug: str
    hold_seconds: int | None = None
    reps: int | None = None

    def __str__(self):
        override = ""
        if self.hold_seconds is not None:
            override += str(self.hold_seconds)
        if self.reps is not None:
            override += f"x{self.reps}"
        return f"{self.slug}~{override}" if override else self.slug


class BadRoutineLink(ValueError):
    """The address is not a routine; the message says why, for the reader."""


def routine_url(choices) -> str:
    return reverse("routines:custom", kwargs={"spec": SEPARATOR.join(map(str, choices))})


def parse_choice(text: str) -> Choice:
    if not text:
        raise BadRoutineLink("This routine address has two + signs together, or one at an end, with no guide between.")
    match = ITEM.fullmatch(text)
    shown = text if len(text) <= SLUG_MAX_LENGTH else text[:SLUG_MAX_LENGTH] + "…"
    if match is None or text.endswith("~"):
        raise BadRoutineLink(
            f"“{shown}” is not a guide as a routine link names one: a guide's address name (lower-case "
            "letters, digits and hyphens), optionally followed by ~ and a hold in seconds and/or x and a "
            "number of repetitions, such as cat-cow~20x5."
        )
    if len(match["slug"]) > SLUG_MAX_LENGTH:
        raise BadRoutineLink(f"“{shown}” is longer than the address name of any guide.")
    hold = int(match["hold"]) if match["hold"] else None
    reps = int(match["reps"]) if match["reps"] else None
    if hold is not None and hold > HOLD_SECONDS_MAX:
        raise BadRoutineLink(f"A hold is at most {HOLD_SECONDS_MAX} seconds; “{text}” asks for {hold}.")
    if reps is not None and reps > REPS_MAX:
        raise BadRoutineLink(f"A step is repeated at most {REPS_MAX} times; “{text}” asks for {reps}.")
    return Choice(match["slug"], hold, reps)


def parse_routine_path(spec: str) -> list[Choice]:
    """The guides a routine address names, in order. Raises BadRoutineLink if it is not one."""
    if len(spec) > MAX_LENGTH:
        raise BadRoutineLink(
            f"This routine address is {len(spec)} characters long; no routine of at most {MAX_GUIDES} "
            f"guides needs more than {MAX_LENGTH}."
        )
    if not set(spec) <= ALLOWED_CHARACTERS:
        raise BadRoutineLink(
            "This routine address has characters no routine link contains: only lower-case letters, "
            "digits, hyphens and the signs + and ~ belong in it."
        )
    parts = spec.split(SEPARATOR)
    if len(parts) > MAX_GUIDES:
        raise BadRoutineLink(
            f"A routine has at most {MAX_GUIDES} guides, so that it fits on one printed page; "
            f"this address names {len(parts)}."
        )
    choices = [parse_choice(part) for part in parts]
    slugs = [choice.slug for choice in choices]
    repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if repeated:
        raise BadRoutineLink(
            f"This address names {', '.join(repeated)} more than once; a guide can be in a routine only once."
        )
    return choices
