"""Site search: published guides, their steps, and the editable pages.

On PostgreSQL it is full-text search in the English configuration: a guide's title weighs
most (A), then its summary (B), its introduction (C) and the rest of its text (D); results
are ordered by `ts_rank` and their snippets come from `ts_headline`. The weighted documents
are stored in each row and indexed (`search_document`, migration 0012), so a search reads
the index instead of parsing every guide. The query goes through
`websearch_to_tsquery`, which reads quotes, `or` and `-word` as a search box should and
never fails on stray operators such as `&|!:*()`.

On other databases (SQLite, in development and tests) every word of the query must begin a
word of the result, and the ranking is worked out in Python with the same order of
importance: a title hit counts for more than a summary hit, and that more than a body hit.

Either way, a result's title and snippet are plain text, HTML-escaped, with the matched
words wrapped in <mark>. Nothing of the content's markup, nor of the searcher's input, is
ever marked safe as it is.
"""

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.db.models import Count, F, Q, TextField, Value, Window
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from techniques.images.pictures import lead_picture
from techniques.models import Page, Step, Technique
from techniques.plain_text import html_to_text, readable_text

MAX_QUERY_LENGTH = 200
# The best matches are shown, with the count of all of them: a search box that finds more
# than this needs more words, not more pages.
RESULTS_SHOWN = 20
CONFIG = "english"
# ts_headline and the Python fallback put these around matched words. They are characters
# from Unicode's private use area, which no keyboard types and HTML-escaping leaves alone,
# so they can become <mark> after the text around them has been escaped.
START_MARK, STOP_MARK = "\ue000", "\ue001"
MARKED = re.compile(f"{START_MARK}(.*?){STOP_MARK}", re.S)
SNIPPET_WORDS = 30
# Allowed in a query, and read as spaces; any other control character is refused.
WHITESPACE_CONTROLS = {"\t", "\n", "\r"}

GUIDE, STEP, PAGE = "guide", "step", "page"
# Equal ranks list a guide before a page before a step.
KIND_ORDER = {GUIDE: 0, PAGE: 1, STEP: 2}


def no_control_characters(value: str) -> None:
    # NUL among them: PostgreSQL refuses it in a query.
    if any(unicodedata.category(char) == "Cc" and char not in WHITESPACE_CONTROLS for char in value):
        raise ValidationError(
            "Your search contains a control character, which can't be searched for. "
            "Type the words you are looking for instead."
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search guides, steps and pages",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[no_control_characters],
        error_messages={
            "max_length": f"Your search is too long: please use at most {MAX_QUERY_LENGTH} characters "
            "(it has %(show_value)d)."
        },
    )

    def __init__(self, data=None):
        super().__init__(data)
        # no_control_characters explains NUL as it does the others; Django's own validator
        # would add a second, more technical message.
        field = self.fields["q"]
        field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


@dataclass(frozen=True)
class Result:
    kind: str
    # What the result is, for the reader: "Guide", "Page" or "Step 2 of Cat-cow".
    label: str
    title: SafeString
    snippet: SafeString
    url: str
    rank: float
    # A guide's lead drawing (techniques.images.pictures.Picture), so results can be browsed by position.
    picture: object = None

    @property
    def sort_key(self):
        return (-self.rank, KIND_ORDER[self.kind], self.title)


@dataclass(frozen=True)
class Candidate:
    """A match of the fallback search, ranked and with its title marked, which is all that
    ordering the matches takes; its snippet and address, which take longer, are made by
    `result()` only for the matches shown."""

    kind: str
    title: SafeString
    rank: float
    result: Callable[[], Result]

    @property
    def sort_key(self):
        return (-self.rank, KIND_ORDER[self.kind], self.title)


@dataclass(frozen=True)
class Results:
    items: list[Result]
    # How many matched in all; at most RESULTS_SHOWN of them are in `items`.
    total: int


def find(query: str) -> Results:
    """The published guides, steps and pages matching the query, best first. Three queries."""
    if connection.vendor == "postgresql":
        kinds = [postgres_guides(query), postgres_steps(query), postgres_pages(query)]
    else:
        terms = search_terms(query)
        kinds = [simple_guides(terms), simple_steps(terms), simple_pages(terms)] if terms else []
    items = sorted((result for results, _ in kinds for result in results), key=lambda result: result.sort_key)
    shown = [item.result() if isinstance(item, Candidate) else item for item in items[:RESULTS_SHOWN]]
    return Results(shown, sum(total for _, total in kinds))


def marked_html(text: str) -> SafeString:
    """Plain text with START_MARK/STOP_MARK around matches, as escaped HTML with <mark>."""
    escaped = MARKED.sub(r"<mark>\1</mark>", escape(readable_text(text)))
    return mark_safe(escaped.replace(START_MARK, "").replace(STOP_MARK, ""))  # noqa: S308 - escaped above


def step_label(step) -> str:
    return f"Step {step.order} of {step.technique.title}"


# PostgreSQL


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


def postgres_matches(queryset, query, snippet_source):
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


def best_of(rows, result):
    """Up to RESULTS_SHOWN results made by `result(row)`, and how many rows matched in all."""
    rows = list(rows[:RESULTS_SHOWN])
    return [result(row) for row in rows], rows[0].total if rows else 0


def postgres_guides(query):
    guides = postgres_matches(
        Technique.objects.published().only("slug", "title", "position"),
        query,
        joined(html_escaped("summary"), F("intro_html"), F("feel_html"), F("mistakes_html")),
    )
    return best_of(
        guides,
        lambda guide: Result(
            GUIDE,
            "Guide",
            from_headline(guide.marked_title),
            from_headline(guide.marked_snippet),
            guide.get_absolute_url(),
            guide.rank,
            lead_picture(guide),
        ),
    )


def postgres_steps(query):
    # Steps of published guides only: a draft's steps are as private as the draft.
    steps = postgres_matches(
        Step.objects.filter(technique__in=Technique.objects.published())
        .select_related("technique")
        .only("order", "technique__slug", "technique__title"),
        query,
        joined(F("instruction_html"), html_escaped("breathing")),
    )
    return best_of(
        steps,
        lambda step: Result(
            STEP,
            step_label(step),
            from_headline(step.marked_title),
            from_headline(step.marked_snippet),
            step.get_absolute_url(),
            step.rank,
        ),
    )


def postgres_pages(query):
    pages = postgres_matches(
        Page.objects.only("slug"),
        query,
        joined(html_escaped("summary"), F("body_html")),
    )
    return best_of(
        pages,
        lambda page: Result(
            PAGE,
            "Page",
            from_headline(page.marked_title),
            from_headline(page.marked_snippet),
            page.get_absolute_url(),
            page.rank,
        ),
    )


# Other databases

# Words too common to search for, as PostgreSQL's English configuration leaves them out.
STOP_WORDS = frozenset(
    "a about after again all am an and any are as at be because been before being below between both but by can "
    "did do does doing down during each few for from further had has have having he her here hers him his how i "
    "if in into is it its just me more most my no nor not now of off on once only or other our out over own same "
    "she should so some such than that the their them then there these they this those through to too under "
    "until up very was we were what when where which while who whom why will with you your".split()
)
WORD = re.compile(r"\w+")


def search_terms(query: str) -> list[str]:
    """The query's words worth looking for, lower-cased, each once. Operators and quotes are
    read as spaces."""
    terms = []
    for word in WORD.findall(query.lower()):
        if len(word) > 1 and word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms


def contains_every_term(fields, terms) -> Q:
    """A database filter that keeps every row with each term somewhere in `fields`; Python
    then checks that each one begins a word."""
    return reduce(
        lambda both, term: both & reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields)),
        terms,
        Q(),
    )


def word_starts(terms):
    return re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\w*", re.IGNORECASE)


def simple_rank(weighted_texts, terms) -> float | None:
    """For each term, the weight of the most important text in which it begins a word, summed;
    None unless every term is found."""
    rank = 0.0
    for term in terms:
        found = word_starts([term])
        weights = [weight for weight, text in weighted_texts if found.search(text)]
        if not weights:
            return None
        rank += max(weights)
    return rank


def excerpt(text: str, pattern: re.Pattern) -> str:
    """About SNIPPET_WORDS words of the text, from a little before its first match, with the
    matches between START_MARK and STOP_MARK."""
    words = text.split()
    first = next((index for index, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 4)
    end = start + SNIPPET_WORDS
    piece = ("… " if start else "") + " ".join(words[start:end]) + (" …" if end < len(words) else "")
    return mark(piece, pattern)


def mark(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda match: f"{START_MARK}{match.group(0)}{STOP_MARK}", text)


def simple_result(kind, title, weighted_texts, terms, details):
    """A Candidate, or None unless every term begins a word of the texts. `details()` gives the
    result's label, address, the text its snippet is taken from, and its picture (or None)."""
    rank = simple_rank(weighted_texts, terms)
    if rank is None:
        return None
    pattern = word_starts(terms)
    marked_title = marked_html(mark(title, pattern))

    def result():
        label, url, snippet_text, picture = details()
        return Result(kind, label, marked_title, marked_html(excerpt(snippet_text, pattern)), url, rank, picture)

    return Candidate(kind, marked_title, rank, result)


def all_found(results):
    found = [result for result in results if result is not None]
    return found, len(found)


# The fallback reads rows as plain values: matches can number in the hundreds, and only the
# few shown need a model instance, for their address.


def simple_guides(terms):
    fields = ["title", "summary", "intro_html", "feel_html", "mistakes_html"]
    published = Technique.objects.published()
    rows = published.filter(contains_every_term(fields, terms)).values_list("slug", "position", *fields)

    def result(row):
        slug, position, title, summary, intro_html, feel_html, mistakes_html = row
        intro, rest = html_to_text(intro_html), html_to_text(feel_html + mistakes_html)
        weighted = [(1.0, title), (0.4, summary), (0.2, intro), (0.1, rest)]

        def details():
            guide = Technique(slug=slug, title=title, position=position)
            return "Guide", guide.get_absolute_url(), f"{summary} {intro} {rest}", lead_picture(guide)

        return simple_result(GUIDE, title, weighted, terms, details)

    return all_found(map(result, rows))


def simple_steps(terms):
    fields = ["title", "instruction_html", "breathing"]
    # Steps of published guides only: a draft's steps are as private as the draft.
    rows = (
        Step.objects.filter(technique__in=Technique.objects.published())
        .filter(contains_every_term(fields, terms))
        .values_list("order", "technique__slug", "technique__title", *fields)
    )

    def result(row):
        order, guide_slug, guide_title, title, instruction_html, breathing = row
        instruction = html_to_text(instruction_html)
        weighted = [(1.0, title), (0.2, instruction), (0.1, breathing)]

        def details():
            step = Step(order=order, technique=Technique(slug=guide_slug, title=guide_title))
            return step_label(step), step.get_absolute_url(), f"{instruction} {breathing}", None

        return simple_result(STEP, title, weighted, terms, details)

    return all_found(map(result, rows))


def simple_pages(terms):
    fields = ["title", "summary", "body_html"]
    pages = Page.objects.filter(contains_every_term(fields, terms)).only("slug", *fields)

    def result(page):
        body = html_to_text(page.body_html)
        weighted = [(1.0, page.title), (0.4, page.summary), (0.2, body)]
        details = lambda: ("Page", page.get_absolute_url(), f"{page.summary} {body}", None)  # noqa: E731
        return simple_result(PAGE, page.title, weighted, terms, details)

    return all_found(map(result, pages))
