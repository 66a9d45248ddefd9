"""What a routine asks of the reader, step by step, and the limits every routine keeps.

Curated routines (`Routine` in routines.models) and reader-built ones (routines.links)
both become a list of `RoutineEntry`: a guide, its steps, and optionally a hold and a number
of repetitions of the routine's own.

How such an override applies: it replaces the guide's hold or repetitions on the steps the
guide repeats (more than one repetition), which are the movement itself. Setting up, resting
and getting up keep the guide's own timing, since holding a set-up for half a minute, or
getting up eight times, would make no sense. A hold changes the repeated steps that are held;
repetitions change every repeated step. An override that would change no step is refused
rather than ignored, so a routine always does what its address or its editor says.
"""

from dataclasses import dataclass, field
from functools import cached_property

from techniques.plain_text import dosage

# Every routine prints as a one-page A4 handout (the print styles in static/css/site.css),
# with a thumbnail and a line for each step. More guides or steps than this no longer fit.
MAX_GUIDES = 8
MAX_STEPS = 40


def is_repeated(step) -> bool:
    return (step.reps or 1) > 1


@dataclass
class RoutineStep:
    """One step of a guide as the routine asks for it, overrides applied. It reads like a Step
    where templates use one (the `dosage` filter, the follow_along_step tag)."""

    guide: object
    step: object
    number: int
    hold_seconds: int | None
    reps: int | None
    changed: bool

    # The guide's own, unchanged by a routine.
    @property
    def title(self) -> str:
        return self.step.title

    @property
    def sides(self) -> str:
        return self.step.sides

    @property
    def breathing(self) -> str:
        return self.step.breathing


@dataclass
class RoutineEntry:
    guide: object
    guide_steps: list
    hold_seconds: int | None = None
    reps: int | None = None
    # The guide's own red flags, most urgent first, when the page shows them.
    stop_flags: list = field(default_factory=list)

    @classmethod
    def of(cls, guide, hold_seconds: int | None = None, reps: int | None = None) -> "RoutineEntry":
        """A guide in a routine, with its steps in order (prefetched by the caller when there
        are several guides), and the routine's own hold and repetitions if any."""
        return cls(guide, list(guide.steps.all()), hold_seconds, reps)

    @cached_property
    def steps(self) -> list[RoutineStep]:
        steps = []
        for number, step in enumerate(self.guide_steps, start=1):
            hold, reps = step.hold_seconds, step.reps
            if is_repeated(step):
                if self.hold_seconds is not None and hold:
                    hold = self.hold_seconds
                if self.reps is not None:
                    reps = self.reps
            changed = (hold, reps) != (step.hold_seconds, step.reps)
            steps.append(RoutineStep(self.guide, step, number, hold, reps, changed))
        return steps

    @property
    def has_overrides(self) -> bool:
        return self.hold_seconds is not None or self.reps is not None

    @property
    def override_text(self) -> str:
        """The item's own hold and repetitions in words: 'hold 5 seconds, 3 times'."""
        return ", ".join(dosage(self.hold_seconds, self.reps))

    def override_problems(self) -> dict[str, str]:
        """Overrides that would change none of the guide's steps, by field name."""
        repeated = [step for step in self.guide_steps if is_repeated(step)]
        problems = {}
        if self.hold_seconds is not None and not any(step.hold_seconds for step in repeated):
            problems["hold_seconds"] = (
                f"{self.guide.title} has no held step that repeats, so it takes no hold of the routine's own."
            )
        if self.reps is not None and not repeated:
            problems["reps"] = (
                f"{self.guide.title} has no step that repeats, so it takes no repetitions of the routine's own."
            )
        return problems


def routine_problems(entries: list[RoutineEntry]) -> list[str]:
    """Why these entries can't make a routine, in plain words; an empty list when they can.
    Each entry's own overrides are checked by its `override_problems`."""
    if not entries:
        return ["Choose at least one guide."]
    problems = []
    if len(entries) > MAX_GUIDES:
        problems.append(
            f"A routine has at most {MAX_GUIDES} guides, so that it fits on one printed page; "
            f"this one has {len(entries)}."
        )
    step_count = sum(len(entry.guide_steps) for entry in entries)
    if step_count > MAX_STEPS:
        problems.append(
            f"A routine has at most {MAX_STEPS} steps in all, so that it fits on one printed page; "
            f"these guides have {step_count}. Leave out a guide or two."
        )
    seen = set()
    for entry in entries:
        if entry.guide.pk in seen:
            problems.append(f"{entry.guide.title} is in the routine twice; a guide can be in it only once.")
        seen.add(entry.guide.pk)
    return problems
