"""The English wording that templates, views and models share (techniques/plain_text.py)."""

import pytest
from django.template import Context, Template

from routines.steps import RoutineEntry
from techniques.models import Sides, Step
from techniques.plain_text import and_list, dosage, plural


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
