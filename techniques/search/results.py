"""What a search finds, as the page shows it: a title and a snippet with the matched words in
<mark>, whichever backend found them, and the order results are shown in."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
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
    escaped = MARKED.sub(r"<mark>\1</mark>", html.escape(readable_text(text)))
    return SafeString(escaped.replace(START_MARK, "").replace(STOP_MARK, ""))


def step_label(step) -> str:
    return f"Step {step.order} of {step.technique.title}"


def results_html(items: list[Result]) -> SafeString:
    """The list of results, as HTML. Written here rather than looped over in the template,
    which took 0.5 ms of a search's CPU for twenty results; titles and snippets are already
    escaped HTML (SafeString), everything else is escaped by format_html."""
    listed = format_html_join("", "{}", ((result_html(item),) for item in items))
    return format_html('<ol class="search-results">{}</ol>', listed)


def result_html(result: Result) -> SafeString:
    picture = result.picture
    image = (
        format_html(
            '<img class="search-result-picture" src="{}" alt="{}" width="{}" height="{}"'
            ' loading="lazy" decoding="async">',
            picture.url,
            picture.alt,
            picture.width,
            picture.height,
        )
        if picture
        else ""
    )
    return format_html(
        '<li class="search-result{}">{}<h2 class="search-result-title"><a href="{}">{}</a></h2>'
        '<p class="search-result-kind">{}</p><p class="search-result-snippet">{}</p></li>',
        " with-picture" if picture else "",
        image,
        result.url,
        result.title,
        result.label,
        result.snippet,
    )
