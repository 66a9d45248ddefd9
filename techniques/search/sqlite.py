"""Search on SQLite (and any database but PostgreSQL): every word of the query must begin a
word of the result, ranked in Python in the same order of importance as on PostgreSQL.

What is searched (each published guide, step and page, as plain text) is indexed in the
process under the content version (techniques/page_cache/content_version.py), the way
reader-built routines keep their guides (routines/parts.py): for each word of the texts, the
documents that hold it and the weight of the most important of their texts that does. A
search reads the version and looks its terms up: the words a term may begin are found by
their folded form, in order, and its pattern decides which of them it begins. Running the
patterns over every text took most of a search with 500 guides. Every edit to anything public
changes the version in the edit's own transaction, and a search reads it before it reads
anything else, so what it looks up is never older than the content the version names; a guide
scheduled for later changes the version the moment it goes public. The text is what the pages
show, not their markup; what it costs in memory and at the first search after an edit is in
docs/search.md.
"""

import bisect
import heapq
import itertools
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.urls import get_script_prefix

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
    WORD,
    Candidate,
    Result,
    Words,
    marked_html,
    marked_words_html,
    split_at_words,
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
    # The words folded (`folded`), to find the words of the texts that may begin with them.
    folded: list[str]


def compiled(words: list[str]) -> Terms:
    each = [word_starts([word]) for word in words]
    return Terms(words, each, word_starts(words), [folded(word) for word in words])


def folded(text: str) -> str:
    """The text case-folded, and with the two letters that a pattern ignoring case matches
    with "i" but case-folding doesn't (the dotted capital I folds to "i" and a combining dot,
    the dotless i stays as it is) made plain "i". A pattern ignoring case matches one letter
    for one, and folding is done letter by letter, so when a term's pattern matches at the
    start of a word, the folded word begins with the folded term: looking words up by their
    folded form may let more through than the pattern, never fewer.

    One exception, checked over every character: the pattern matches the Greek iota with the
    combining ypogegrammeni (U+0345), which is not a word character, so in Greek written
    with that mark decomposed a pattern may match across it, and the index (which splits
    words there) doesn't. The site's content is English."""
    return text.casefold().replace("\u0307", "").replace("ı", "i")


def word_starts(terms):
    return re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\w*", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """A published guide, step or page as a result shows it. Shared between requests: its
    fields never change, and what it keeps (`details`) is worked out the same by any of them."""

    kind: str
    title: str
    # Where the snippet is taken from.
    snippet_text: str
    # The row, unsaved and with only what a result shows: its address, label and picture.
    row: models.Model
    # The title split at its words, to be marked quickly; None if it can't be (split_at_words).
    title_words: Words | None
    # {script prefix: (label, address, picture)}, as `details` works them out.
    kept_details: dict = field(default_factory=dict, compare=False, repr=False)

    def details(self, prefix: str):
        """The result's label, address and picture (or None), under the script prefix the
        site is served under now (addresses begin with it): worked out the first time the
        document is shown under it, then kept with it, as reversing a guide's address and
        finding its drawing took a fifth of its result's time, search after search."""
        details = self.kept_details.get(prefix)
        if details is None:
            row = self.row
            if self.kind == GUIDE:
                details = "Guide", row.get_absolute_url(), lead_picture(row)
            elif self.kind == STEP:
                details = step_label(row), row.get_absolute_url(), None
            else:
                details = "Page", row.get_absolute_url(), None
            self.kept_details[prefix] = details
        return details


def document(kind: str, title: str, snippet_text: str, row: models.Model) -> Document:
    return Document(kind, title, snippet_text, row, split_at_words(title))


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
        yield document(GUIDE, title, f"{summary} {intro} {rest}", guide), weighted


def step_documents():
    # Steps of published guides only: a draft's steps are as private as the draft.
    steps = Step.objects.filter(technique__in=Technique.objects.published()).values_list(
        "order", "technique__slug", "technique__title", "title", "instruction_html", "breathing"
    )
    for order, guide_slug, guide_title, title, instruction_html, breathing in steps:
        instruction = html_to_text(instruction_html)
        step = Step(order=order, technique=Technique(slug=guide_slug, title=guide_title))
        weighted = [(1.0, title), (0.2, instruction), (0.1, breathing)]
        yield document(STEP, title, f"{instruction} {breathing}", step), weighted


def page_documents():
    for slug, title, summary, body_html in Page.objects.values_list("slug", "title", "summary", "body_html"):
        body = html_to_text(body_html)
        page = Page(slug=slug, title=title)
        yield document(PAGE, title, f"{summary} {body}", page), [(1.0, title), (0.4, summary), (0.2, body)]


class Index:
    """The published documents, and for each word of their texts which of them hold it: what
    a search looks up instead of running its patterns over every text. Shared between
    requests: never changed once built."""

    def __init__(self, weighted_documents):
        """From (document, [(weight, text), ...]) pairs, the texts the most important first:
        their weights are positive, and each lower than the one before."""
        self.documents: list[Document] = []
        # Each document's kind, in the same order, to count the matches of each kind quickly.
        self.kinds: list[str] = []
        # Each word as written in some text: {a document's place in `documents`: the weight of
        # its most important text holding the word}.
        postings: dict[str, dict[int, float]] = {}
        for place, (document, weighted) in enumerate(weighted_documents):
            self.documents.append(document)
            self.kinds.append(document.kind)
            for weight, text in weighted:
                for word in WORD.findall(text):
                    places = postings.get(word)
                    if places is None:
                        postings[word] = {place: weight}
                    elif place not in places:
                        # The first text to hold the word is the most important that does.
                        places[place] = weight
        # The words by their folded form ("Neck" and "neck" together), in order: the words a
        # term may begin lie together, from where the folded term would be put in. With each,
        # the words as written and their postings merged.
        written: dict[str, list[str]] = {}
        for word in postings:
            written.setdefault(folded(word), []).append(word)
        self.folded_words = sorted(written)
        self.written = [written[folded_word] for folded_word in self.folded_words]
        self.merged = [merged([postings[word] for word in words]) for words in self.written]
        self.postings = postings

    def weights(self, pattern: re.Pattern, folded_term: str) -> dict[int, float]:
        """{place: weight} of the documents in which the term begins a word, the weight that of
        the most important text in which it does. Read only: it may be the index's own."""
        found = []
        at = bisect.bisect_left(self.folded_words, folded_term)
        while at < len(self.folded_words) and self.folded_words[at].startswith(folded_term):
            # Folding lets through more words than the pattern, which decides.
            words = self.written[at]
            matched = [word for word in words if pattern.match(word)]
            if len(matched) == len(words):
                found.append(self.merged[at])
            else:
                found += [self.postings[word] for word in matched]
            at += 1
        return found[0] if len(found) == 1 else merged(found)

    def ranks(self, terms: Terms) -> dict[int, float]:
        """{place: rank} of the documents in which every term begins a word: for each term the
        weight of the most important text in which it does, summed in the terms' order. Read
        only: it may be the index's own."""
        ranks = None
        # In the terms' order, as floats summed in another order can differ in the last place,
        # which would change ties.
        for pattern, folded_term in zip(terms.each, terms.folded, strict=True):
            found = self.weights(pattern, folded_term)
            if ranks is None:
                ranks = found
            elif len(found) < len(ranks):
                # Through the fewer of the two (a rare word after a common one); the rank so far
                # first, as below, so that the sum is the same float.
                ranks = {place: ranks[place] + weight for place, weight in found.items() if place in ranks}
            else:
                ranks = {place: rank + found[place] for place, rank in ranks.items() if place in found}
            if not ranks:
                return {}
        return ranks or {}


def merged(postings: list[dict[int, float]]) -> dict[int, float]:
    """The postings of several words as one, each document with its highest weight. Read
    only: given one, it is that one, the index's own."""
    if not postings:
        return {}
    if len(postings) == 1:
        return postings[0]
    # The longest copied whole, and only the others looked through: "shoulder" merges
    # "shoulder" and "shoulders", each in hundreds of documents with 500 guides.
    longest, *others = sorted(postings, key=len, reverse=True)
    found = dict(longest)
    for places in others:
        for place, weight in places.items():
            if place not in found or weight > found[place]:
                found[place] = weight
    return found


def read_index() -> Index:
    return Index(itertools.chain(guide_documents(), step_documents(), page_documents()))


class KeptIndex:
    """The index of the latest content version this process searched under. Only one version
    is current at a time; a search under another reads the documents again."""

    def __init__(self):
        self.kept = (None, Index(()))
        self.lock = threading.Lock()

    def under(self, version: str) -> Index:
        kept_version, index = self.kept
        if kept_version != version:
            with self.lock:
                kept_version, index = self.kept
                if kept_version != version:
                    index = read_index()
                    self.kept = (version, index)
        return index

    def forget(self):
        """For tests, whose rolled-back database may differ under a version another test used."""
        self.kept = (None, Index(()))


kept_index = KeptIndex()


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


def candidate(document: Document, rank: float, terms: Terms, prefix: str) -> Candidate:
    pattern = terms.any_term
    if document.title_words:
        marked_title = marked_words_html(document.title_words, pattern)
    else:
        marked_title = marked_html(mark(document.title, pattern))

    def result():
        label, url, picture = document.details(prefix)
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
    index = kept_index.under(content_version.current())
    ranks = index.ranks(terms)
    lowest_shown = min(heapq.nlargest(RESULTS_SHOWN, ranks.values()), default=0.0)
    found = {GUIDE: [], STEP: [], PAGE: []}
    # map() over the list's own lookup rather than a generator: hundreds of matches with 500 guides.
    totals = Counter(map(index.kinds.__getitem__, ranks))
    prefix = get_script_prefix()
    # In the documents' order, as results of equal rank, kind and title keep it.
    for place in sorted(place for place, rank in ranks.items() if rank >= lowest_shown):
        document = index.documents[place]
        found[document.kind].append(candidate(document, ranks[place], terms, prefix))
    return [(found[kind], totals[kind]) for kind in (GUIDE, STEP, PAGE)]
