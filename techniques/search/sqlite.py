"""Search on SQLite (and any database but PostgreSQL): every word of the query must begin a
word of the result, ranked in Python in the same order of importance as on PostgreSQL.

What is searched (each published guide, step and page, as plain text) is kept in the process
under the content version (techniques/page_cache/content_version.py), the way reader-built
routines keep their guides (routines/parts.py). Building a query for each search, reading
every row that might match and turning its stored HTML into text took most of a search's
time, for content that changes only when an editor edits; now a search reads the version and
looks through the kept text. Every edit to anything public changes the version in the edit's
own transaction, and a search reads it before it reads anything else, so what it looks through
is never older than the content the version names; a guide scheduled for later changes the
version the moment it goes public. The text is what the pages show, not their markup; what
it costs in memory and at the first search after an edit is in docs/search.md.
"""

import heapq
import re
import threading
from dataclasses import dataclass

from django.db import models

from techniques.images.pictures import lead_picture
from techniques.models import Page, Step, Technique
from techniques.page_cache import content_version
from techniques.plain_text import html_to_text
from techniques.search.results import (
    GUIDE,
    PAGE,
    RESULTS_SHOWN,
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
    """The query's words, and their patterns, compiled once a search rather than once a
    document."""

    words: list[str]
    # A word of the text beginning with this term, one pattern for each term.
    each: list[re.Pattern]
    # A word beginning with any of them, to mark in titles and snippets.
    any_term: re.Pattern
    # The words folded (`folded`), to pass over a document that can't hold them.
    folded: list[str]


def compiled(words: list[str]) -> Terms:
    each = [word_starts([word]) for word in words]
    return Terms(words, each, word_starts(words), [folded(word) for word in words])


def folded(text: str) -> str:
    """The text case-folded, and with the two letters that a pattern ignoring case matches
    with "i" but case-folding doesn't (the dotted capital I folds to "i" and a combining dot,
    the dotless i stays as it is) made plain "i", so that a term a pattern finds in a text is
    always within the two folded: folding may let more documents through, never fewer."""
    return text.casefold().replace("\u0307", "").replace("ı", "i")


def word_starts(terms):
    return re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\w*", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """A published guide, step or page as search reads it. Shared between requests: never changed."""

    kind: str
    title: str
    # (weight, plain text, the text case-folded), the most important first.
    weighted: tuple[tuple[float, str, str], ...]
    # Where the snippet is taken from.
    snippet_text: str
    # The row, unsaved and with only what a result shows: its address, label and picture.
    row: models.Model
    # Every text folded. A term that begins a word of a text (a match that ignores case) is
    # within the text folded, so a document or text that doesn't hold a term is passed over
    # by this check, in C, before any pattern is run.
    folded: str


def document_of(kind, title, weighted, snippet_text, row) -> Document:
    weighted = tuple((weight, text, folded(text)) for weight, text in weighted)
    return Document(kind, title, weighted, snippet_text, row, " ".join(folded for _, _, folded in weighted))


def guide_documents():
    fields = ["title", "summary", "intro_html", "feel_html", "mistakes_html"]
    for (
        slug,
        position,
        title,
        summary,
        intro_html,
        feel_html,
        mistakes_html,
    ) in Technique.objects.published().values_list("slug", "position", *fields):
        intro, rest = html_to_text(intro_html), html_to_text(feel_html + mistakes_html)
        guide = Technique(slug=slug, title=title, position=position)
        weighted = [(1.0, title), (0.4, summary), (0.2, intro), (0.1, rest)]
        yield document_of(GUIDE, title, weighted, f"{summary} {intro} {rest}", guide)


def step_documents():
    # Steps of published guides only: a draft's steps are as private as the draft.
    steps = Step.objects.filter(technique__in=Technique.objects.published()).values_list(
        "order", "technique__slug", "technique__title", "title", "instruction_html", "breathing"
    )
    for order, guide_slug, guide_title, title, instruction_html, breathing in steps:
        instruction = html_to_text(instruction_html)
        step = Step(order=order, technique=Technique(slug=guide_slug, title=guide_title))
        weighted = [(1.0, title), (0.2, instruction), (0.1, breathing)]
        yield document_of(STEP, title, weighted, f"{instruction} {breathing}", step)


def page_documents():
    for slug, title, summary, body_html in Page.objects.values_list("slug", "title", "summary", "body_html"):
        body = html_to_text(body_html)
        page = Page(slug=slug, title=title)
        yield document_of(PAGE, title, [(1.0, title), (0.4, summary), (0.2, body)], f"{summary} {body}", page)


def read_documents() -> tuple[Document, ...]:
    return (*guide_documents(), *step_documents(), *page_documents())


class KeptDocuments:
    """The documents of the latest content version this process searched under. Only one
    version is current at a time; a search under another reads them again."""

    def __init__(self):
        self.kept = (None, ())
        self.lock = threading.Lock()

    def under(self, version: str) -> tuple[Document, ...]:
        kept_version, documents = self.kept
        if kept_version != version:
            with self.lock:
                kept_version, documents = self.kept
                if kept_version != version:
                    documents = read_documents()
                    self.kept = (version, documents)
        return documents

    def forget(self):
        """For tests, whose rolled-back database may differ under a version another test used."""
        self.kept = (None, ())


kept_documents = KeptDocuments()


def simple_rank(document: Document, terms: Terms) -> float | None:
    """For each term, the weight of the most important text in which it begins a word, summed;
    None unless every term is found. The texts come most important first, so the first that
    has the term gives its weight."""
    rank = 0.0
    for found, folded_term in zip(terms.each, terms.folded, strict=True):
        weight = next(
            (weight for weight, text, folded in document.weighted if folded_term in folded and found.search(text)), None
        )
        if weight is None:
            return None
        rank += weight
    return rank


def excerpt(text: str, pattern: re.Pattern) -> str:
    """About SNIPPET_WORDS words of the text, from a little before the word of its first
    match, with the matches between START_MARK and STOP_MARK. Only the words shown are split
    off: a guide's text runs to a thousand words."""
    match = pattern.search(text)
    # Where the word of the first match starts: a match can start inside a word ("(stretch").
    start_of_word = match.start() if match else 0
    while start_of_word and not text[start_of_word - 1].isspace():
        start_of_word -= 1
    before = text[:start_of_word].split()
    shown_before = before[max(0, len(before) - SNIPPET_WORDS // 4) :]
    wanted = SNIPPET_WORDS - len(shown_before)
    after = text[start_of_word:].split(maxsplit=wanted)
    words = shown_before + after[:wanted]
    piece = ("… " if len(shown_before) < len(before) else "") + " ".join(words) + (" …" if len(after) > wanted else "")
    return mark(piece, pattern)


def mark(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda match: f"{START_MARK}{match.group(0)}{STOP_MARK}", text)


def result_details(document: Document):
    """The result's label, address and picture (or None)."""
    row = document.row
    if document.kind == GUIDE:
        return "Guide", row.get_absolute_url(), lead_picture(row)
    if document.kind == STEP:
        return step_label(row), row.get_absolute_url(), None
    return "Page", row.get_absolute_url(), None


def candidate(document: Document, rank: float, terms: Terms) -> Candidate:
    pattern = terms.any_term
    marked_title = marked_html(mark(document.title, pattern))

    def result():
        label, url, picture = result_details(document)
        snippet = marked_html(excerpt(document.snippet_text, pattern))
        return Result(document.kind, label, marked_title, snippet, url, rank, picture)

    return Candidate(document.kind, marked_title, rank, result)


def matches(query: str):
    """(results, total) for guides, steps and pages, in that order; none for a query of stop words.

    Every match is counted, but only those that may be shown become candidates: the best
    RESULTS_SHOWN ranks, and all that tie with the last of them, whose order their marked
    titles settle. A common word matches hundreds of documents with 500 guides, and marking
    each title took a third of such a search."""
    words = search_terms(query)
    if not words:
        return []
    terms = compiled(words)
    ranked = []
    for document in kept_documents.under(content_version.current()):
        if all(term in document.folded for term in terms.folded):
            rank = simple_rank(document, terms)
            if rank is not None:
                ranked.append((rank, document))
    lowest_shown = min(heapq.nlargest(RESULTS_SHOWN, (rank for rank, _ in ranked)), default=0.0)
    found = {GUIDE: [], STEP: [], PAGE: []}
    totals = dict.fromkeys(found, 0)
    for rank, document in ranked:
        totals[document.kind] += 1
        if rank >= lowest_shown:
            found[document.kind].append(candidate(document, rank, terms))
    return [(found[kind], totals[kind]) for kind in (GUIDE, STEP, PAGE)]
