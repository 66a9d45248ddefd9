"""Search on PostgreSQL: full-text search in the English configuration, ranked by `ts_rank`,
with snippets from `ts_headline` (see the package's docstring)."""

import html

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, TextField, Value, Window
from django.db.models.functions import Concat, Replace
from django.utils import timezone
from django.utils.safestring import SafeString

from techniques.compiled_query import CompiledQuery
from techniques.images.pictures import lead_picture
from techniques.models import Page, Step, Technique
from techniques.search.results import (
    GUIDE,
    PAGE,
    RESULTS_SHOWN,
    SNIPPET_WORDS,
    START_MARK,
    STEP,
    STOP_MARK,
    Result,
    marked_html,
    step_label,
)

CONFIG = "english"


def html_escaped(field: str):
    """A plain-text column as HTML text, so that ts_headline, which reads HTML, keeps a "<b>"
    an editor typed into a title as text instead of dropping it as a tag."""
    escaped = F(field)
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        escaped = Replace(escaped, Value(char), Value(entity))
    return escaped


def joined(*expressions):
    spaced = []
    for expression in expressions:
        spaced += [expression, Value(" ")]
    return Concat(*spaced[:-1], output_field=TextField())


def matching(queryset, query, snippet_source):
    """The queryset's rows matching `query`, best first, with `rank`, `marked_title`,
    `marked_snippet` and `total` (all the matches, before the limit) annotated.

    The match and the rank read each row's stored, weighted `search_document`, which the
    database keeps current and a GIN index serves (migration 0012): nothing is parsed into
    text vectors at query time."""
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    headline = {"config": CONFIG, "start_sel": START_MARK, "stop_sel": STOP_MARK}
    return (
        queryset.filter(search_document=search_query)
        .annotate(
            rank=SearchRank(F("search_document"), search_query),
            marked_title=SearchHeadline(html_escaped("title"), search_query, highlight_all=True, **headline),
            marked_snippet=SearchHeadline(
                snippet_source,
                search_query,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
                **headline,
            ),
            total=Window(Count("pk")),
        )
        .order_by("-rank", "title")
    )


def from_headline(text: str) -> SafeString:
    """ts_headline gives HTML text (entities such as &rsquo; and &lt; left as they are, tags
    turned into spaces): decoded to plain text, then escaped again with the marks kept."""
    return marked_html(html.unescape(text))


def best_of(rows, kind, label, picture=lambda row: None):
    """The results of `kind` from its best rows, each labelled by `label(row)` (and pictured by
    `picture(row)`), and how many rows matched in all."""
    results = [
        Result(
            kind,
            label(row),
            from_headline(row.marked_title),
            from_headline(row.marked_snippet),
            row.get_absolute_url(),
            row.rank,
            picture(row),
        )
        for row in rows
    ]
    return results, rows[0].total if rows else 0


def best_guides(query, now):
    guides = matching(
        Technique.objects.published(now).only("slug", "title", "position"),
        query,
        joined(html_escaped("summary"), F("intro_html"), F("feel_html"), F("mistakes_html")),
    )
    return guides[:RESULTS_SHOWN]


def best_steps(query, now):
    # Steps of published guides only: a draft's steps are as private as the draft.
    steps = matching(
        Step.objects.filter(technique__in=Technique.objects.published(now))
        .select_related("technique")
        .only("order", "technique__slug", "technique__title"),
        query,
        joined(F("instruction_html"), html_escaped("breathing")),
    )
    return steps[:RESULTS_SHOWN]


def best_pages(query):
    pages = matching(Page.objects.only("slug"), query, joined(html_escaped("summary"), F("body_html")))
    return pages[:RESULTS_SHOWN]


# Compiled into SQL once (techniques/compiled_query.py): Django takes longer to compile these
# three than PostgreSQL takes to run the two smaller ones.
SEARCHED = TextField()
PUBLISHED_AT = Technique._meta.get_field("published_at")
GUIDES = CompiledQuery(best_guides, query=SEARCHED, now=PUBLISHED_AT)
STEPS = CompiledQuery(best_steps, query=SEARCHED, now=PUBLISHED_AT)
PAGES = CompiledQuery(best_pages, query=SEARCHED)


def matches(query: str):
    """(results, total) for guides, steps and pages, in that order."""
    now = timezone.now()
    return [
        best_of(GUIDES.all(query=query, now=now), GUIDE, lambda _: "Guide", lead_picture),
        best_of(STEPS.all(query=query, now=now), STEP, step_label),
        best_of(PAGES.all(query=query), PAGE, lambda _: "Page"),
    ]
