"""JSON-LD for search engines: a guide is a MedicalWebPage about a HowTo."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from techniques.images.pictures import step_picture
from techniques.plain_text import html_to_text

# Escaped so that no text an editor writes (a title like "</script><script>…") can end the
# <script> element early.
JSON_IN_HTML_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_IN_HTML_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def guide_json_ld(guide, request) -> dict:
    url = request.build_absolute_uri(guide.get_absolute_url())
    steps = []
    for number, step in enumerate(guide.steps.all(), start=1):
        entry = {
            "@type": "HowToStep",
            "position": number,
            "name": step.title,
            # The step's id on the page, which follows its order field, not its place in the list.
            "url": f"{url}#{step.anchor}",
            # Readable words: the markdown source would show its asterisks and link syntax.
            "text": html_to_text(step.instruction_html),
        }
        picture = step_picture(step)
        if picture:
            entry["image"] = request.build_absolute_uri(picture.url)
        steps.append(entry)
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": guide.title,
        "description": guide.summary,
        "url": url,
        "dateModified": guide.updated_at,
        "datePublished": guide.published_at,
        "inLanguage": "en-GB",
        "mainEntity": {
            "@type": "HowTo",
            "name": guide.title,
            "description": guide.summary,
            "totalTime": f"PT{guide.minutes}M",
            "step": steps,
        },
    }
    if guide.is_reviewed:
        page["lastReviewed"] = guide.reviewed_on
        reviewer = {"@type": "Person", "name": guide.reviewed_by_name}
        if guide.reviewed_by_credential:
            reviewer["hasCredential"] = guide.reviewed_by_credential
        page["reviewedBy"] = reviewer
    return page
