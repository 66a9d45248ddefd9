"""The parts of a routine page: each guide's (its steps with the routine's holds and
repetitions, and its red flags) and the site's red flags. For reader-built routines, they are
kept in the process under the content version.

A reader-built routine is a new page for every new address. Any choice of guides, in any
order, with any hold and repetitions, is an address, so the page cache helps little: a routine
shared in a group chat gets a new address each time someone changes it. Yet its guides are the
site's few dozen, and they change only when an editor edits. Reading a routine's guides and
rendering their parts took three queries and most of the page's CPU.

So each published guide's rows, and each part as rendered, are kept under the content version
(techniques/page_cache/content_version.py). Every edit to anything public changes that version
in the edit's own transaction, and a request reads it before it reads anything else, so what
is kept under the version a request reads is never older than the content it names; an edit
only leaves what was kept under the old version unused until it is pushed out. A guide
scheduled for later changes the version the moment it goes public, as it does for the page
cache. Parts hold addresses, so they are kept per script prefix too; under DEBUG nothing is
kept, so that an edited template shows at once. Curated routines (whose page is in the page
cache, and which editors preview with drafts) render their parts every time.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import get_script_prefix

from routines.steps import RoutineEntry
from techniques.models import SafetyTip, Step, Technique, TipKind, group_red_flags, most_urgent_first

# A guide's part is 6 to 9 kB of HTML with the seed content, and a guide's rows (its steps,
# without its long texts) a few kB: at most about 10 MB a worker. Anyone can make addresses
# up, so the stores are bounded; one that pushes the site's guides out costs queries, not
# memory, and an address naming no published guide keeps nothing.
GUIDES_KEPT = 256
PARTS_KEPT = 1024
# The fields of a guide that a routine shows or checks: its address and its name.
GUIDE_FIELDS = ("slug", "title")
NOT_KEPT = object()


class Kept:
    """At most `size` values by key, the least recently used pushed out first; shared by the
    threads of a worker."""

    def __init__(self, size: int):
        self.size = size
        self.values = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.values.get(key, NOT_KEPT)
            if value is not NOT_KEPT:
                self.values.move_to_end(key)
            return value

    def put(self, key, value):
        if settings.DEBUG:
            return
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)

    def clear(self):
        with self.lock:
            self.values.clear()


@dataclass(frozen=True)
class GuideForRoutines:
    """A published guide as routines show it. Shared between requests: never changed."""

    guide: Technique
    steps: tuple
    # Its own red flags, most urgent first.
    red_flags: tuple

    def entry(self, hold_seconds: int | None = None, reps: int | None = None) -> RoutineEntry:
        return RoutineEntry(self.guide, list(self.steps), hold_seconds, reps, stop_flags=list(self.red_flags))


kept_guides = Kept(GUIDES_KEPT)
kept_guide_parts = Kept(PARTS_KEPT)
# Only one version is current at a time.
kept_red_flags = Kept(4)


def forget():
    """Drop everything kept: for tests, whose settings or rolled-back database may differ
    under a version another test used."""
    for kept in (kept_guides, kept_guide_parts, kept_red_flags):
        kept.clear()


def guides_for_routines(version: str, slugs: list[str]) -> dict[str, GuideForRoutines | None]:
    """The published guides by address name, None for a name that is not one."""
    prefix = get_script_prefix()
    found = {slug: kept_guides.get((version, prefix, slug)) for slug in slugs}
    missing = [slug for slug, guide in found.items() if guide is NOT_KEPT]
    if missing:
        published = Technique.objects.published().filter(slug__in=missing).only(*GUIDE_FIELDS)
        published = {guide.pk: guide for guide in published.prefetch_related(steps_shown())}
        # The site's red flags come in the same query, if they aren't kept yet either.
        site_wide = kept_red_flags.get((version, prefix)) is NOT_KEPT
        own, site_flags = red_flags(list(published), site_wide=site_wide)
        for pk, guide in published.items():
            found[guide.slug] = GuideForRoutines(guide, tuple(guide.steps.all()), tuple(own.get(pk, ())))
            kept_guides.put((version, prefix, guide.slug), found[guide.slug])
        if site_wide:
            kept_red_flags.put((version, prefix), render_red_flags(site_flags))
    return {slug: None if guide is NOT_KEPT else guide for slug, guide in found.items()}


def steps_shown():
    """A guide's steps without their markdown, shown as the HTML stored from it. Made for each
    query: Django gives a Prefetch's queryset the first instance it fetched for as a hint."""
    return Prefetch("steps", queryset=Step.objects.defer("instruction"))


def red_flags(guide_ids: list[int], *, site_wide: bool = True):
    """Each of these guides' own red flags by guide id, most urgent first; and, if asked, the
    site's grouped by urgency (else None). One query, or none if nothing is asked."""
    if not (guide_ids or site_wide):
        return {}, None
    whose = Q(technique__in=guide_ids)
    if site_wide:
        whose |= Q(technique__isnull=True)
    tips = SafetyTip.objects.filter(whose, kind=TipKind.RED_FLAG).order_by("order", "pk")
    own = {}
    for tip in most_urgent_first(tip for tip in tips if tip.technique_id is not None):
        own.setdefault(tip.technique_id, []).append(tip)
    site_flags = group_red_flags(tip for tip in tips if tip.technique_id is None) if site_wide else None
    return own, site_flags


def kept_guide_part(version: str, entry: RoutineEntry, number: int) -> str:
    """The guide's part, kept: for an entry of a guide from guides_for_routines, as published
    at `version`."""
    key = (version, get_script_prefix(), entry.guide.slug, entry.hold_seconds, entry.reps, number)
    part = kept_guide_parts.get(key)
    if part is NOT_KEPT:
        part = render_guide_part(entry, number)
        kept_guide_parts.put(key, part)
    return part


def render_guide_part(entry: RoutineEntry, number: int) -> str:
    """The guide's part of a routine page (routines/routine_guide.html), at its place."""
    return render_to_string("routines/routine_guide.html", {"entry": entry, "number": number})


def kept_red_flags_html(version: str) -> str:
    key = (version, get_script_prefix())
    part = kept_red_flags.get(key)
    if part is NOT_KEPT:
        part = render_red_flags(red_flags([], site_wide=True)[1])
        kept_red_flags.put(key, part)
    return part


def render_red_flags(groups) -> str:
    """The site's red flags on a routine page (routines/routine_red_flags.html), grouped."""
    context = {"red_flag_groups": groups, "site_name": settings.SITE_NAME}
    return render_to_string("routines/routine_red_flags.html", context)
