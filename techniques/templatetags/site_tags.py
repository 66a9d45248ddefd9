from django import template
from django.templatetags.static import static

from techniques import plain_text
from techniques.pictures import step_picture as picture_for_step

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """An absolute URL for share tags, which chat apps and crawlers require."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    return context["request"].build_absolute_uri(static(path))


@register.simple_tag
def step_picture(step):
    return picture_for_step(step)


register.filter("plural", plain_text.plural)


@register.filter
def dosage(step):
    """How much of a step to do, in words: 'Hold 20 seconds · 3 times · each side'."""
    parts = []
    if step.hold_seconds:
        parts.append(f"Hold {plain_text.plural(step.hold_seconds, 'second')}")
    if step.reps:
        parts.append("once" if step.reps == 1 else f"{step.reps} times")
    if step.sides == "each":
        parts.append("each side")
    return " · ".join(parts)
