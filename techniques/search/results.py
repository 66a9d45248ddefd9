"""What a search finds, as the page shows it: a title and a snippet with the matched words in
<mark>, whichever backend found them, and the order results are shown in."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from techniques.plain_text import readable_text

# The best matches are shown, with the count of all of them: a search box that finds more
# than this needs more words, not more pages.
RESULTS_SHOWN = 20


# ts_headline and the Python fallback put these around matched words. They are characters
# from Unicode's private use area, which no keyboard types and HTML-escaping leaves alone,
# so they can become <mark> after the text around them has been escaped.
START_MARK, STOP_MARK = "\ue000", "\ue001"


MARKED = re.compile(f"{START_MARK}(.*?){STOP_MARK}", re.S)


SNIPPET_WORDS = 30


GUIDE, STEP, PAGE = "guide", "step", "page"


# Equal ranks list a guide before a page before a step.
KIND_ORDER = {GUIDE: 0, PAGE: 1, STEP: 2}


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


def marked_html(text: str) -> SafeString:
    """Plain text with START_MARK/STOP_MARK around matches, as escaped HTML with <mark>.

    The standard library's escape, which Django's wraps: on SQLite every match's title is
    marked (for ordering ties), hundreds a search, and the wrapper's lazy-string checks were a
    fifth of it."""
    escaped = MARKED.sub(as_mark, html.escape(readable_text(text)))
    return SafeString(escaped.replace(START_MARK, "").replace(STOP_MARK, ""))


def as_mark(match: re.Match) -> str:
    # A function, not a template (r"<mark>\1</mark>"), which re expands more slowly.
    return f"<mark>{match[1]}</mark>"


# A word, as searches and marking see one.
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Words:
    """Plain text split at its words, for `marked_words_html`: the words, and the text around
    them, escaped (one more than the words: before the first, between, after the last)."""

    words: tuple[str, ...]
    gaps: tuple[str, ...]


def split_at_words(text: str) -> Words | None:
    """None for text whose marked HTML is more than its words wrapped in <mark>, which only
    `marked_html` makes: text that readable_text would change, or with marks of its own."""
    if readable_text(text) != text or START_MARK in text or STOP_MARK in text:
        return None
    return Words(tuple(WORD.findall(text)), tuple(map(html.escape, WORD.split(text))))


def marked_words_html(text: Words, pattern: re.Pattern) -> SafeString:
    """What marked_html makes of the text with the matches of `pattern` marked, for a pattern
    that matches from the start of a word to its end (sqlite.word_starts), without running it and
    the escaping over the whole text: on SQLite a common word ties hundreds of matches, all of
    whose titles are marked to order them. Words are letters, digits and underscores, which
    escaping leaves as they are."""
    pieces = [text.gaps[0]]
    for word, gap in zip(text.words, text.gaps[1:], strict=True):
        pieces.append(f"<mark>{word}</mark>{gap}" if pattern.match(word) else word + gap)
    return SafeString("".join(pieces))


def step_label(step) -> str:
    return f"Step {step.order} of {step.technique.title}"


def results_html(items: list[Result]) -> SafeString:
    """The list of results, as HTML. Written here rather than looped over in the template,
    which took 0.5 ms of a search's CPU for twenty results, and with the standard library's
    escape rather than format_html, whose lazy-string checks on every value were a third of
    the rest. Every value is escaped as format_html would: titles and snippets are already
    escaped HTML (SafeString) and go in as they are, as does anything else marked safe."""
    return SafeString(f'<ol class="search-results">{"".join(map(result_html, items))}</ol>')


def result_html(result: Result) -> str:
    picture = result.picture
    image = (
        f'<img class="search-result-picture" src="{as_html(picture.url)}" alt="{as_html(picture.alt)}"'
        f' width="{as_html(picture.width)}" height="{as_html(picture.height)}" loading="lazy" decoding="async">'
        if picture
        else ""
    )
    return (
        f'<li class="search-result{" with-picture" if picture else ""}">{image}'
        f'<h2 class="search-result-title"><a href="{as_html(result.url)}">{as_html(result.title)}</a></h2>'
        f'<p class="search-result-kind">{as_html(result.label)}</p>'
        f'<p class="search-result-snippet">{as_html(result.snippet)}</p></li>'
    )


def as_html(text) -> str:
    """As conditional_escape: HTML as it is (what has __html__, such as a SafeString), else the
    text escaped."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
