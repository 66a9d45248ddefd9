"""Who may see what: drafts for staff only, and what a guide needs before the public may see it."""

from django.db.models import Q


def sees_drafts(request) -> bool:
    """Drafts are for staff eyes only."""
    return request.user.is_staff


def visible(request, model):
    """The guides or routines this request may see: all for staff, the published to the public."""
    if sees_drafts(request):
        return model.objects.all()
    return model.objects.published()


REQUIREMENTS = {
    "steps": "at least one step",
    "sources": "at least one cited source",
    "tips": "at least one safety tip",
}


ALT_TEXT_NEEDED = "Describe the position shown in the picture, for readers who can't see it."


def lacks_alt_text(image, illustration, alt: str) -> bool:
    """Whether a step that shows a picture (an upload or a drawing) leaves it undescribed."""
    return bool(image or illustration) and not (alt or "").strip()


def missing_alt_text(steps) -> list[int]:
    """Order numbers of steps that show a picture but don't describe it."""
    return [step.order for step in steps if lacks_alt_text(step.image, step.illustration, step.image_alt)]


def publication_problems(guide) -> list[str]:
    """Why `guide`, as stored, can't be published; an empty list means it can."""
    problems = []
    if not guide.steps.exists():
        problems.append(REQUIREMENTS["steps"])
    if not guide.citations.exists():
        problems.append(REQUIREMENTS["sources"])
    if not guide.tips.exists():
        problems.append(REQUIREMENTS["tips"])
    undescribed = missing_alt_text(guide.steps.filter(~Q(image="") | ~Q(illustration="")))
    if undescribed:
        problems.append("alt text on the picture of step " + ", ".join(map(str, undescribed)))
    return problems


def describe(problems) -> str:
    return "It can't be published yet. It needs " + "; ".join(problems) + "."
