"""Routine pages: the curated routines editors publish, the builder, and reader-built
routines, which live entirely in their address (routines.links) and are never stored.

Every routine page shows the same thing: its guides and their steps with the routine's holds
and repetitions, ready to play in follow-along mode (static/js/follow-along.js) and to print
as a one-page handout with a QR code back to the page.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from routines import parts
from routines.forms import RoutineBuilderForm
from routines.links import BadRoutineLink, parse_routine_path, routine_url
from routines.models import Routine, RoutineItem
from routines.qr_codes import qr_code_data_uri
from routines.steps import MAX_GUIDES, MAX_STEPS, routine_problems
from techniques.models import Technique
from techniques.page_cache import cacheable_page, content_version
from techniques.page_meta import page_meta
from techniques.plain_text import and_list, plural
from techniques.publishing import visible

BUILDER_FIELD_PREFIXES = ("order-", "hold-", "reps-")


@cacheable_page
@require_safe
def routine_list(request):
    live_items = (
        RoutineItem.objects.filter(technique__in=Technique.objects.published())
        .select_related("technique")
        .defer("technique__search_document")
    )
    routines = Routine.objects.published().prefetch_related(Prefetch("items", queryset=live_items.order_by("order")))
    context = {
        "routines": routines,
        "meta": page_meta(
            "Routines", "Short routines of Back Relief guides, one after another, and a builder for your own."
        ),
    }
    return render(request, "routines/routine_list.html", context)


@cacheable_page
@require_safe
def routine_detail(request, slug):
    routine = get_object_or_404(visible(request, Routine), slug=slug)
    # A guide unpublished since the routine was published is left out, not shown as a draft.
    items = (
        routine.items.filter(technique__in=visible(request, Technique))
        .select_related("technique")
        .defer("technique__search_document")
        .prefetch_related("technique__steps")
        .order_by("order")
    )
    entries = [item.entry() for item in items]
    red_flag_groups = red_flags_for(entries)
    context = routine_context(
        request,
        title=routine.title,
        summary=routine.summary,
        entries=entries,
        guide_parts=[parts.render_guide_part(entry, number) for number, entry in enumerate(entries, 1)],
        red_flags_html=parts.render_red_flags(red_flag_groups),
        meta=page_meta(routine.title, routine.summary, "article"),
    )
    context.update(routine=routine, draft=not routine.is_published)
    return render(request, "routines/routine_detail.html", context)


def is_builder_submission(query) -> bool:
    """Whether a query string is the builder's form sent back, rather than a visit that came
    with tracking parameters (utm_source, ...), which leaves the form empty."""
    return any(name == "guide" or name.startswith(BUILDER_FIELD_PREFIXES) for name in query)


@cacheable_page
@require_safe
def routine_builder(request):
    guides = list(Technique.objects.published().prefetch_related("steps").order_by("title"))
    form = RoutineBuilderForm(guides, request.GET if is_builder_submission(request.GET) else None)
    if form.is_bound and form.is_valid():
        return redirect(routine_url(form.choices))
    context = {
        "form": form,
        "max_guides": MAX_GUIDES,
        "max_steps": MAX_STEPS,
        "meta": page_meta(
            "Build your own routine",
            "Choose Back Relief guides, put them in order and get a link to your own routine, "
            "to follow along, share or print on one page.",
        ),
    }
    return render(request, "routines/routine_builder.html", context, status=400 if form.is_bound else 200)


@cacheable_page(reader_built=True)
@require_safe
def custom_routine(request, spec):
    try:
        choices = parse_routine_path(spec)
    except BadRoutineLink as problem:
        return link_problem(request, str(problem), status=400)
    # Only published guides: a shared link must never show, or reveal, a draft. Read, and
    # rendered, once per content version (routines/parts.py).
    version = content_version.of_request(request)
    found = parts.guides_for_routines(version, [choice.slug for choice in choices])
    missing = [slug for slug, guide in found.items() if guide is None]
    if missing:
        names = and_list([f"“{slug}”" for slug in missing])
        return link_problem(
            request,
            f"This routine names {names}, which is not a guide on this site (any more). It may have been "
            "renamed or retired, or the link may have been cut short.",
            status=404,
        )
    entries = [found[choice.slug].entry(choice.hold_seconds, choice.reps) for choice in choices]
    problems = [*routine_problems(entries), *(p for entry in entries for p in entry.override_problems().values())]
    if problems:
        return link_problem(request, " ".join(problems), status=400)

    title = custom_title(entries)
    step_count = sum(len(entry.steps) for entry in entries)
    summary = (
        f"A routine of {plural(len(entries), 'guide')} and {plural(step_count, 'step')}: "
        + "; ".join(entry.guide.title for entry in entries)
        + "."
    )
    meta = page_meta(title, summary + " With pictures, holds and repetitions for every step, to follow or print.")
    # Reader-built routines are endless combinations of the same guides: for readers, not search engines.
    meta["noindex"] = True
    context = routine_context(
        request,
        title=title,
        summary=summary,
        entries=entries,
        guide_parts=[parts.kept_guide_part(version, entry, number) for number, entry in enumerate(entries, 1)],
        red_flags_html=parts.kept_red_flags_html(version),
        meta=meta,
    )
    context["custom"] = True
    return render(request, "routines/routine_detail.html", context)


def custom_title(entries) -> str:
    titles = [entry.guide.title for entry in entries]
    if len(titles) > 3:
        titles = [*titles[:2], f"{len(titles) - 2} more"]
    return "Routine: " + and_list(titles)


def red_flags_for(entries):
    """The site's red flags, grouped by urgency; each guide's own are set on its entry, for
    its part of the page."""
    own, site_flags = parts.red_flags([entry.guide.pk for entry in entries])
    for entry in entries:
        entry.stop_flags = own.get(entry.guide.pk, [])
    return site_flags


def routine_context(request, *, title, summary, entries, guide_parts, red_flags_html, meta):
    canonical_url = request.build_absolute_uri(request.path)
    return {
        "routine_title": title,
        "routine_summary": summary,
        "entries": entries,
        "guide_parts": guide_parts,
        "step_count": sum(len(entry.steps) for entry in entries),
        "red_flags_html": red_flags_html,
        "canonical_url": canonical_url,
        "qr_code": qr_code_data_uri(canonical_url),
        "meta": meta,
    }


def link_problem(request, message, *, status):
    """The site's own 400 or 404 page, saying what is wrong with a routine's address."""
    context = {
        "message": message,
        "retry_url": reverse("routines:builder"),
        "retry_label": "Build a routine with the builder",
        "meta": {"title": "That routine link doesn't work", "description": message, "noindex": True},
    }
    return render(request, f"{status}.html", context, status=status)
