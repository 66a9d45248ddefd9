"""Public pages. Every guide query starts from `Technique.objects.published()`, or from all
guides for staff, who may preview drafts."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from techniques.compiled_query import CompiledQuery
from techniques.filters import GuideFilterForm, page_number
from techniques.guide_bodies import page_body
from techniques.images.pictures import CAVITATION_DIAGRAM, CAVITATION_DIAGRAM_ALT, CAVITATION_DIAGRAM_NARROW, drawing
from techniques.models import (
    Page,
    PageCitation,
    PageSlug,
    SafetyTip,
    Source,
    Technique,
    TipKind,
    group_red_flags,
)
from techniques.page_cache import cacheable_page
from techniques.page_meta import page_meta
from techniques.publishing import sees_drafts, visible
from techniques.search import SearchForm, find

GUIDES_PER_PAGE = 12


def visible_guides(request):
    return visible(request, Technique)


@cacheable_page
@require_safe
def home(request):
    # A page's worth, so the home page costs the same with 12 guides or 500; one more is
    # fetched only to know whether to point to the rest.
    guides = list(Technique.objects.published().with_card_data()[: GUIDES_PER_PAGE + 1])
    context = {"guides": guides[:GUIDES_PER_PAGE], "more_guides": len(guides) > GUIDES_PER_PAGE}
    return render(request, "techniques/home.html", context)


@cacheable_page(query=GuideFilterForm.read_parameters())
@require_safe
def guide_list(request):
    form = GuideFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    number = page_number(request.GET.get("page"))
    if number is None:
        raise Http404("That page of guides does not exist.")
    if valid and (redirect_to := non_canonical_redirect(request, form.canonical_query(number))):
        return redirect_to
    guides = form.filter(Technique.objects.published()).with_card_data().order_by("title")
    paginator = Paginator(guides, GUIDES_PER_PAGE)
    try:
        page = paginator.page(number)
    except InvalidPage as error:
        raise Http404("That page of guides does not exist.") from error
    context = {
        "form": form,
        "page": page,
        "guides": page.object_list,
        "paginator": paginator,
        "previous_query": form.canonical_query(page.previous_page_number()) if page.has_previous() else None,
        "next_query": form.canonical_query(page.next_page_number()) if page.has_next() else None,
        "meta": page_meta(
            "All guides", "Every Back Relief guide, filtered by position, equipment, body area and difficulty."
        ),
    }
    return render(request, "techniques/guide_list.html", context, status=200 if valid else 400)


def non_canonical_redirect(request, canonical: str):
    """A permanent redirect to the list's one address, if the request spelled it another way.
    Parameters the list doesn't read (utm_source, ...) go along unchanged; the order of those
    it reads doesn't matter, since the page cache sorts them."""
    read = GuideFilterForm.read_parameters()
    asked = {name: request.GET.getlist(name) for name in read if name in request.GET}
    if asked == {name: [value] for name, value in QueryDict(canonical).items()}:
        return None
    others = [(name, value) for name, values in request.GET.lists() if name not in read for value in values]
    query = "&".join(part for part in (canonical, urlencode(others)) if part)
    return redirect(f"{request.path}?{query}" if query else request.path, permanent=True)


# A guide joined to its stored body, as the public sees it: the one query of a guide page,
# compiled into SQL once rather than on every render (techniques/compiled_query.py).
PUBLISHED_GUIDE_WITH_BODY = CompiledQuery(
    lambda slug, now: Technique.objects.published(now).select_related("body").filter(slug=slug).order_by(),
    slug=Technique._meta.get_field("slug"),
    now=Technique._meta.get_field("published_at"),
)


@cacheable_page
@require_safe
def guide_detail(request, slug):
    # The body's generation is read with the guide, before anything else of it (guide_bodies).
    if sees_drafts(request):
        guide = get_object_or_404(visible_guides(request).select_related("body"), slug=slug)
    else:
        guide = PUBLISHED_GUIDE_WITH_BODY.one_or_none(slug=slug, now=timezone.now())
        if guide is None:
            raise Http404("No such guide.")
    body = page_body(request, guide)
    context = {
        "guide": guide,
        "body": body.html,
        "json_ld": body.json_ld,
        "meta": page_meta(guide.title, guide.summary, "article", guide.share_card),
    }
    return render(request, "techniques/guide_detail.html", context)


def get_page(slug):
    citations = PageCitation.objects.select_related("source")
    return get_object_or_404(Page.objects.prefetch_related(Prefetch("citations", queryset=citations)), slug=slug)


@cacheable_page
@require_safe
def cavitation(request):
    page = get_page(PageSlug.CAVITATION)
    context = {
        "page": page,
        "diagram": drawing(CAVITATION_DIAGRAM, CAVITATION_DIAGRAM_ALT),
        "narrow_diagram": drawing(CAVITATION_DIAGRAM_NARROW, CAVITATION_DIAGRAM_ALT),
        "meta": page_meta(page.title, page.summary, "article", page.share_card),
    }
    return render(request, "techniques/cavitation.html", context)


@cacheable_page
@require_safe
def about(request):
    page = get_page(PageSlug.ABOUT)
    meta = page_meta(page.title, page.summary, share_card=page.share_card)
    return render(request, "techniques/page.html", {"page": page, "meta": meta})


@cacheable_page
@require_safe
def safety(request):
    site_wide = list(
        SafetyTip.objects.filter(technique__isnull=True).prefetch_related("sources").order_by("order", "pk")
    )
    dos = [tip for tip in site_wide if tip.kind == TipKind.DO]
    donts = [tip for tip in site_wide if tip.kind == TipKind.DONT]
    page = get_page(PageSlug.SAFETY)
    context = {
        "page": page,
        "meta": page_meta(page.title, page.summary, share_card=page.share_card),
        "rows": list(zip(dos, donts, strict=False)),
        "red_flag_groups": group_red_flags(tip for tip in site_wide if tip.kind == TipKind.RED_FLAG),
    }
    return render(request, "techniques/safety.html", context)


@cacheable_page
@require_safe
def sources(request):
    all_sources = Source.objects.prefetch_related(
        Prefetch("techniques", queryset=Technique.objects.published().order_by("title")),
        Prefetch("pages", queryset=Page.objects.order_by("title")),
    )
    meta = page_meta("Sources", "Every study and guideline the Back Relief guides cite, and which guides cite it.")
    return render(request, "techniques/sources.html", {"sources": all_sources, "meta": meta})


@require_safe
def search(request):
    # Not through the page cache: each query would be a page of its own, so anyone could fill
    # the shared cache with made-up searches and push out the pages every reader needs.
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    title = f"Search results for “{query}”" if query else "Search"
    context = {
        "form": form,
        "query": query,
        "results": find(query) if query else None,
        "meta": {**page_meta(title, "Search the Back Relief guides, their steps and pages."), "noindex": True},
    }
    return render(request, "techniques/search.html", context, status=400 if form.errors else 200)


def favicon(request):
    """Browsers and the admin ask for /favicon.ico whatever a page's <link rel=icon> says."""
    return redirect(static("img/favicon.svg"), permanent=True)
