"""The picture, credit and follow-along markup written in Python (techniques.images.markup,
the follow_along_step tag) escapes every value as a template would, and writes the same
elements the templates did."""

from html.parser import HTMLParser

import pytest

from routines.steps import RoutineEntry
from techniques.images.markup import credit_html, picture_html
from techniques.images.pictures import Credit, Picture
from techniques.templatetags.site_tags import follow_along_step
from tests.factories import StepFactory, TechniqueFactory
from tests.html_safety import script_problems
from tests.xss_payloads import XSS_PAYLOADS


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def hostile_picture(payload):
    return Picture(
        url=payload,
        alt=payload,
        width=4,
        height=3,
        is_drawing=False,
        srcset=payload,
        sources=(("image/avif", payload),),
        credit=Credit(payload, payload, payload),
        still_url=payload,
    )


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_picture_and_credit_keep_hostile_values_inside_their_attributes(payload):
    picture = hostile_picture(payload)
    html = picture_html(picture, payload, eager=True) + credit_html(picture.credit)
    assert [tag for tag, _ in Elements(html).found] == ["picture", "source", "source", "img", "figcaption", "a"]
    elements = dict(Elements(html).found)
    assert elements["img"]["alt"] == payload
    assert elements["img"]["src"] == payload
    assert elements["a"]["href"] == payload
    # A hostile URL stays a URL (the page-level XSS tests refuse javascript: in src and href,
    # which the model's validators keep out); what matters here is that nothing breaks out of it.
    problems = [problem for problem in script_problems(html) if not problem.startswith(("src=", "srcset=", "href="))]
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_follow_along_attributes_keep_hostile_text_inside_them(payload):
    step = StepFactory(technique=TechniqueFactory(steps=0), order=1, title=payload, breathing=payload)
    routine_step = RoutineEntry.of(step.technique).steps[0]
    html = f"<li{follow_along_step(routine_step, 1, payload)}>"
    ((tag, attributes),) = Elements(html).found
    assert tag == "li"
    assert attributes["data-step-title"] == f"{payload} · Step 1: {payload}"
    assert attributes["data-breathing"] == payload
    assert script_problems(html) == []


def test_picture_without_variants_is_a_plain_lazy_image():
    picture = Picture("/static/a.svg", "A drawing", 560, 420, True)
    assert picture_html(picture, "50vw") == (
        '<img src="/static/a.svg" alt="A drawing" width="560" height="420" loading="lazy" decoding="async">'
    )
    assert picture_html(picture, load_now=True) == (
        '<img src="/static/a.svg" alt="A drawing" width="560" height="420" decoding="async">'
    )
    assert credit_html(None) == ""
