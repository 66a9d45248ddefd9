"""The one way markdown becomes HTML on this site.

Editors' markdown is untrusted input: it is rendered with Python-Markdown and then cleaned
with nh3 against an allow-list, so raw HTML, event handlers and unsafe URL schemes never
reach a reader. Model saves, the markdownx live preview and anything else that shows
markdown call `render_markdown`.
"""

import re

import markdown as python_markdown
import nh3
from django.core.exceptions import ValidationError

from techniques.images.in_markdown import image_problems, with_responsive_images

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty"]
# Texts cite their numbered sources as [1], [2]; each becomes a link to that entry of the
# page's source list (id="source-N").
CITATION_MARK = re.compile(r"\[(\d{1,2})\](?!\()")


def render_markdown(source: str) -> str:
    """Render editor markdown to sanitised HTML that is safe to mark as safe in templates,
    with uploaded images shown through their responsive variants."""
    return with_responsive_images(sanitised_html(source))


def validate_markdown_images(source: str) -> None:
    """Refuse markdown whose images lack alt text or were not uploaded in the editor."""
    problems = image_problems(sanitised_html(source))
    if problems:
        raise ValidationError(problems)


def sanitised_html(source: str) -> str:
    html = python_markdown.markdown(source or "", extensions=MARKDOWN_EXTENSIONS)
    html = CITATION_MARK.sub(r'<a href="#source-\1" title="Source \1">[\1]</a>', html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
