"""The one way markdown becomes HTML on this site.

Editors' markdown is untrusted input: it is rendered with Python-Markdown and then cleaned
with nh3 against an allow-list, so raw HTML, event handlers and unsafe URL schemes never
reach a reader. Model saves, the markdownx live preview and anything else that shows
markdown call `render_markdown`.
"""

import markdown as python_markdown
import nh3

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


def render_markdown(source: str) -> str:
    """Render editor markdown to sanitised HTML that is safe to mark as safe in templates."""
    html = python_markdown.markdown(source or "", extensions=MARKDOWN_EXTENSIONS)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
