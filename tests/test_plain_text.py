"""The English wording that templates, views and models share (techniques/plain_text.py)."""

import re
from random import Random

import pytest
from django.template import Context, Template

from routines.steps import RoutineEntry
from techniques.models import Sides, Step
from techniques.plain_text import and_list, dosage, plural, readable_text


def test_plural():
    assert [plural(n, "second") for n in (1, 2, 0)] == ["1 second", "2 seconds", "0 seconds"]


@pytest.mark.parametrize(
    "words, expected",
    [([], ""), (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C")],
)
def test_and_list(words, expected):
    assert and_list(words) == expected


@pytest.mark.parametrize(
    "hold, reps, each_side, expected",
    [
        (20, 3, True, ["hold 20 seconds", "3 times", "each side"]),
        (1, 1, False, ["hold 1 second", "once"]),
        (None, 8, False, ["8 times"]),
        (None, None, True, ["each side"]),
    ],
)
def test_dosage(hold, reps, each_side, expected):
    assert dosage(hold, reps, each_side) == expected


def render_dosage(step):
    return Template("{% load site_tags %}{{ step|dosage }}").render(Context({"step": step}))


def test_a_step_and_a_routine_word_their_dosage_alike():
    assert render_dosage(Step(hold_seconds=20, reps=3, sides=Sides.EACH)) == "Hold 20 seconds · 3 times · each side"
    assert render_dosage(Step(reps=1, sides=Sides.ONCE)) == "once"
    entry = RoutineEntry(guide=None, guide_steps=[], hold_seconds=5, reps=3)
    assert entry.override_text == "hold 5 seconds, 3 times"
    assert RoutineEntry(guide=None, guide_steps=[], reps=1).override_text == "once"


# readable_text's rule, as patterns: what it did before it was written with string methods.
CITATION = re.compile(r"\s*\[\d{1,2}\]")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?)])")
WHITESPACE = re.compile(r"\s+")


def readable_by_patterns(text):
    text = SPACE_BEFORE_PUNCTUATION.sub("", CITATION.sub("", text))
    return WHITESPACE.sub(" ", text).strip()


def test_readable_text_drops_citation_marks_and_spaces_before_punctuation():
    assert readable_text("  Arch the back [1] .\n\nThen  rest [12], slowly ( gently ) !") == (
        "Arch the back. Then rest, slowly ( gently)!"
    )


def test_readable_text_does_what_its_patterns_do_on_random_text():
    """Every whitespace character, and near misses of citation marks ("[123]", "[a]", "[٣]"):
    fails if a whitespace character is missed, or if a space before punctuation, or at an
    end, is left."""
    whitespace = [chr(code) for code in range(0x3001) if chr(code).isspace()]
    marks = ["[1]", "[12]", "[123]", "[a]", "[٣]", "[", "]", "1", "23"]
    pieces = [*whitespace, *marks, " ", " ", "a", "word", ".", ",", ";", ":", "!", "?", ")", "(", "-"]
    random = Random(17)
    for _ in range(20_000):
        text = "".join(random.choices(pieces, k=random.randint(0, 14)))
        assert readable_text(text) == readable_by_patterns(text), repr(text)
