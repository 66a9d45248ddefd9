"""Every guide prints on two A4 pages or fewer, with what a reader needs away from the screen:
the steps with their holds and repetitions, the red flags and the guide's address."""

import io
import unicodedata

from pypdf import PdfReader

from techniques.models import Technique, TipKind
from techniques.templatetags.site_tags import dosage

MAX_PAGES = 2
# Screen furniture that has no place on paper: the skip link, the site name in the header,
# the footer's disclaimer and links, and the copy-link controls.
NOT_PRINTED = ("Skip to content", "Information, not medical advice", "About and editorial policy", "Link to step")


def compact(text):
    """Text without whitespace (PDF text breaks lines, even inside addresses) or ligatures
    (a PDF has "ﬂ" where the page had "fl")."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_every_published_guide_prints_on_two_a4_pages(site, page):
    guides = list(Technique.objects.published().prefetch_related("steps", "tips").order_by("slug"))
    largest = max(guides, key=lambda guide: len(guide.steps.all()))
    assert len(largest.steps.all()) >= 6, "the largest seeded guide is part of this test"

    page.emulate_media(media="print")
    problems = {}
    for guide in guides:
        url = site + guide.get_absolute_url()
        page.goto(url)
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
        text = compact(" ".join(pdf_page.extract_text() for pdf_page in pdf.pages))
        expected = [
            guide.title,
            url,
            *(part for step in guide.steps.all() for part in (step.title, dosage(step))),
            *(tip.text for tip in guide.tips.all() if tip.kind == TipKind.RED_FLAG),
        ]
        missing = [item for item in expected if compact(item) not in text]
        unwanted = [item for item in NOT_PRINTED if compact(item) in text]
        if len(pdf.pages) > MAX_PAGES or missing or unwanted:
            problems[guide.slug] = {"pages": len(pdf.pages), "missing": missing, "printed": unwanted}
    assert not problems
