"""Plain text, with no markup: the small bits of English wording that models, views and
templates share ("3 seconds", "A, B and C"), and readable text from the site's sanitised
HTML (the `*_html` columns) for places that must not show markup: search snippets and the
step text in structured data."""

import functools
import re
from html.parser import HTMLParser

# Tags that end a run of words: their text must not run into the next block's.
BLOCK_TAGS = {"p", "li", "br", "h2", "h3", "h4", "td", "th", "tr", "blockquote", "pre", "hr", "ul", "ol", "table"}
# "[1]": a numbered citation, a link to the page's source list that means nothing on its own.
CITATION_MARK = re.compile(r"\s*\[\d{1,2}\]")
# No space is left before these, such as one where a tag or a citation mark was: "back [1]." is "back.".
PUNCTUATION = ".,;:!?)"


def plural(count: int, word: str) -> str:
    """'1 second', '3 seconds'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def and_list(words: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return " and ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))


def dosage(hold_seconds: int | None, reps: int | None, each_side: bool = False) -> list[str]:
    """How much to do, in words: ['hold 20 seconds', '3 times', 'each side'], leaving out
    what is not given."""
    parts = []
    if hold_seconds:
        parts.append(f"hold {plural(hold_seconds, 'second')}")
    if reps:
        parts.append("once" if reps == 1 else f"{reps} times")
    if each_side:
        parts.append("each side")
    return parts


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def readable_text(text: str) -> str:
    """Text with citation marks dropped, every run of whitespace made one space (none at
    either end), and none left before punctuation.

    Written with string methods, not patterns, but for the citation marks: every title and
    snippet a search shows passes through here, and the patterns for whitespace took three
    quarters of marking one. str.split() splits at exactly the characters the patterns'
    \\s matches, and once whitespace is single spaces, a space before punctuation is one space."""
    if "[" in text:
        text = CITATION_MARK.sub("", text)
    text = " ".join(text.split())
    for mark in PUNCTUATION:
        text = text.replace(" " + mark, mark)
    return text


# Remembered: a guide's structured data reads the same stored step HTML at every render, and
# the SQLite search's text is read again after every edit, mostly unchanged; parsing is slow.
# The HTML is the key, so an edit never meets an old answer.
@functools.lru_cache(maxsize=2048)
def html_to_text(html: str) -> str:
    """The words of the HTML, entities decoded, without tags, image alt text or citation marks."""
    collector = TextCollector()
    collector.feed(html or "")
    collector.close()
    return readable_text("".join(collector.parts))
