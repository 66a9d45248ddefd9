import functools

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.text import capfirst

from techniques import plain_text
from techniques.addresses import address
from techniques.images.markup import credit_html, picture_html
from techniques.images.pictures import lead_picture as picture_for_guide
from techniques.images.pictures import step_picture as picture_for_step
from techniques.models import Sides
from techniques.search.results import results_html

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """An absolute URL for share tags, which chat apps and crawlers require."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def link(name, slug=None):
    """`{% url name %}` for a view that takes no arguments or a slug, worked out once rather
    than on every page (techniques.addresses): the header and footer link to the same few
    pages from every page."""
    return address(name, slug)


@register.simple_tag(takes_context=True)
def frame_part(context, template_name, per_address=False):
    """`{% include %}` for a part of the site's frame that every reader sees the same (the
    footer), or every reader of an address (`per_address`: the header, which marks the
    current section), rendered once per process rather than on every page: some forty
    template nodes a page, a twelfth of an uncached guide page's CPU.

    The part is given only `site_name`, and `path` (the address asked for) if per_address,
    never the page's context: it can't come to depend on who is reading or on what the page
    holds without that showing at once, since whatever it can't see renders empty. While
    developing (DEBUG) it is rendered every time, so that an edit to it shows."""
    path = context["request"].path if per_address else ""
    render = rendered_frame_part.__wrapped__ if settings.DEBUG else rendered_frame_part
    return render(template_name, path, get_script_prefix(), settings.SITE_NAME)


# Bounded: anyone can ask for made-up addresses, which get the 404 page and its frame.
@functools.lru_cache(maxsize=1024)
def rendered_frame_part(template_name, path, script_prefix, site_name):
    return render_to_string(template_name, {"path": path, "site_name": site_name})


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    return context["request"].build_absolute_uri(static(path))


@register.simple_tag
def step_picture(step):
    return picture_for_step(step)


@register.simple_tag
def lead_picture(guide):
    return picture_for_guide(guide)


register.simple_tag(picture_html, name="show_picture")
register.simple_tag(credit_html, name="credit_line")
register.simple_tag(results_html, name="search_results")
register.filter("plural", plain_text.plural)


@register.simple_tag
def follow_along_step(step, number, prefix=""):
    """The attributes static/js/follow-along.js reads from one step, written inside the step's
    opening tag (the contract is at the top of that file). `step`: a techniques.models.Step or
    a routines.steps.RoutineStep; `number`: its place in its guide; `prefix`: what the heading
    starts with, such as the guide's name in a routine. A tag rather than an include: a page
    has one per step."""
    return format_html(
        ' data-step data-step-title="{}Step {}: {}"{}{} data-sides="{}"{}',
        format_html("{} · ", prefix) if prefix else "",
        number,
        step.title,
        format_html(' data-hold-seconds="{}"', step.hold_seconds) if step.hold_seconds else "",
        format_html(' data-reps="{}"', step.reps) if step.reps else "",
        step.sides,
        format_html(' data-breathing="{}"', step.breathing) if step.breathing else "",
    )


@register.filter
def dosage(step):
    """How much of a step to do, in words: 'Hold 20 seconds · 3 times · each side'."""
    parts = plain_text.dosage(step.hold_seconds, step.reps, each_side=step.sides == Sides.EACH)
    if step.hold_seconds:
        parts[0] = capfirst(parts[0])  # an instruction: "Hold …"; a count alone reads "3 times"
    return " · ".join(parts)
