"""Search on SQLite (and any database but PostgreSQL): every word of the query must begin a
word of the result, ranked in Python in the same order of importance as on PostgreSQL."""

import functools
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from techniques.images.pictures import lead_picture
from techniques.models import Page, Step, Technique
from techniques.plain_text import html_to_text
from techniques.search.results import (
    GUIDE,
    PAGE,
    SNIPPET_WORDS,
    START_MARK,
    STEP,
    STOP_MARK,
    Candidate,
    Result,
    marked_html,
    step_label,
)

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


@dataclass(frozen=True)
class Terms:
    """The query's words, and their patterns, compiled once a search rather than once a row:
    with hundreds of matching rows, compiling was a fifth of a search."""

    words: list[str]
    # A word of the text beginning with this term, one pattern for each term.
    each: list[re.Pattern]
    # A word beginning with any of them, to mark in titles and snippets.
    any_term: re.Pattern


def compiled(words: list[str]) -> Terms:
    return Terms(words, [word_starts([word]) for word in words], word_starts(words))


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


class PlainText:
    """A field's HTML as plain text, converted only when a search first looks at it: most
    matches are settled by a title or summary before the longer texts are reached."""

    def __init__(self, html: str):
        self.html = html

    @functools.cached_property
    def text(self) -> str:
        return html_to_text(self.html)

    def __str__(self):
        return self.text


def simple_rank(weighted_texts, terms: Terms) -> float | None:
    """For each term, the weight of the most important text in which it begins a word, summed;
    None unless every term is found. The texts come most important first, so the first that
    has the term gives its weight."""
    rank = 0.0
    for found in terms.each:
        weight = next((weight for weight, text in weighted_texts if found.search(str(text))), None)
        if weight is None:
            return None
        rank += weight
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
    pattern = terms.any_term
    marked_title = marked_html(mark(title, pattern))

    def result():
        label, url, snippet_text, picture = details()
        return Result(kind, label, marked_title, marked_html(excerpt(snippet_text, pattern)), url, rank, picture)

    return Candidate(kind, marked_title, rank, result)


def all_found(results):
    found = [result for result in results if result is not None]
    return found, len(found)


def guides(terms):
    fields = ["title", "summary", "intro_html", "feel_html", "mistakes_html"]
    published = Technique.objects.published()
    rows = published.filter(contains_every_term(fields, terms.words)).values_list("slug", "position", *fields)

    def result(row):
        slug, position, title, summary, intro_html, feel_html, mistakes_html = row
        intro, rest = PlainText(intro_html), PlainText(feel_html + mistakes_html)
        weighted = [(1.0, title), (0.4, summary), (0.2, intro), (0.1, rest)]

        def details():
            guide = Technique(slug=slug, title=title, position=position)
            return "Guide", guide.get_absolute_url(), f"{summary} {intro} {rest}", lead_picture(guide)

        return simple_result(GUIDE, title, weighted, terms, details)

    return all_found(map(result, rows))


def steps(terms):
    fields = ["title", "instruction_html", "breathing"]
    # Steps of published guides only: a draft's steps are as private as the draft.
    rows = (
        Step.objects.filter(technique__in=Technique.objects.published())
        .filter(contains_every_term(fields, terms.words))
        .values_list("order", "technique__slug", "technique__title", *fields)
    )

    def result(row):
        order, guide_slug, guide_title, title, instruction_html, breathing = row
        instruction = PlainText(instruction_html)
        weighted = [(1.0, title), (0.2, instruction), (0.1, breathing)]

        def details():
            step = Step(order=order, technique=Technique(slug=guide_slug, title=guide_title))
            return step_label(step), step.get_absolute_url(), f"{instruction} {breathing}", None

        return simple_result(STEP, title, weighted, terms, details)

    return all_found(map(result, rows))


def pages(terms):
    fields = ["title", "summary", "body_html"]
    pages = Page.objects.filter(contains_every_term(fields, terms.words)).only("slug", *fields)

    def result(page):
        body = PlainText(page.body_html)
        weighted = [(1.0, page.title), (0.4, page.summary), (0.2, body)]
        details = lambda: ("Page", page.get_absolute_url(), f"{page.summary} {body}", None)  # noqa: E731
        return simple_result(PAGE, page.title, weighted, terms, details)

    return all_found(map(result, pages))


def matches(query: str):
    """(results, total) for guides, steps and pages, in that order; none for a query of stop words."""
    words = search_terms(query)
    if not words:
        return []
    terms = compiled(words)
    return [guides(terms), steps(terms), pages(terms)]
