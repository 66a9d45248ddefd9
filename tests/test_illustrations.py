"""The generated drawings: coverage of the guide content, safety of the SVG files, and
that the committed files are what the generator makes now. No database needed."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from techniques.illustrations import build, drawing_for, keys, render_png, render_svg
from techniques.illustrations.content import load_guides
from techniques.illustrations.svg import to_svg

STATIC_DIR = build.STATIC_DIR
SVG_NS = "{http://www.w3.org/2000/svg}"
STEP_KEYS = [step.key for guide in load_guides() for step in guide.steps]
COMMITTED = sorted(STATIC_DIR.rglob("*.svg"))


def test_content_has_steps_to_draw():
    # Guards the tests below against passing vacuously on an empty content folder.
    assert len(STEP_KEYS) >= 12


@pytest.mark.parametrize("key", STEP_KEYS)
def test_every_step_has_a_drawing(key):
    assert key in keys()


def test_no_drawing_without_a_step():
    orphans = set(keys()) - set(STEP_KEYS) - set(build.DIAGRAMS)
    assert not orphans, f"Drawings for steps that no longer exist: {sorted(orphans)}"


def test_every_drawing_is_committed():
    expected = {build.output_path(key) for key in keys()}
    assert expected <= set(COMMITTED), "Run `make illustrations` and commit static/illustrations/"


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_svg_is_safe_and_accessible(path: Path):
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 10_000
    root = ET.fromstring(text)  # noqa: S314 - our own generated files; this checks they are well-formed
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and title.text and len(title.text.strip()) > 10
    assert root.get("aria-labelledby") == title.get("id")
    assert "viewBox" in root.attrib and "width" not in root.attrib
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        assert tag not in {"script", "foreignObject", "image", "use", "a", "iframe"}, tag
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"event attribute {name}"
            assert local != "href", f"reference {name}={value}"
            assert "url(" not in value
    assert "javascript:" not in text.lower()
    assert "@import" not in text and "url(" not in text


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_svg_has_dark_mode_and_rounded_coordinates(path: Path):
    text = path.read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme:dark)" in text
    assert "var(--ink)" in text
    assert not re.search(r"\d\.\d{2,}", text.split("<style>")[0] + text.split("</style>")[1])


def _body(svg: str) -> str:
    """The drawing without its title: the alt text must not be what tells steps apart."""
    svg = re.sub(r"<title[^>]*>.*?</title>", "", svg, flags=re.S)
    return re.sub(r'(aria-labelledby|id)="[^"]*"', "", svg)


def test_steps_have_distinct_drawings():
    seen: dict[str, str] = {}
    for key in STEP_KEYS:
        body = _body(render_svg(key))
        assert body not in seen, f"{key} draws the same picture as {seen.get(body)}"
        seen[body] = key


def test_committed_svgs_match_the_generator():
    problems = build.differences(STATIC_DIR)
    assert not problems, f"Out of date (run `make illustrations`): {[str(p.path.name) for p in problems]}"


def test_differences_notices_an_edited_file(tmp_path):
    build.write_all(tmp_path)
    assert build.differences(tmp_path) == []
    edited = build.output_path(STEP_KEYS[0], tmp_path)
    edited.write_text(edited.read_text(encoding="utf-8").replace("</svg>", "<g/></svg>"), encoding="utf-8")
    (tmp_path / "steps" / "removed-step-9.svg").write_text("<svg/>", encoding="utf-8")
    found = {(p.path.name, p.reason) for p in build.differences(tmp_path)}
    assert found == {(edited.name, "changed"), ("removed-step-9.svg", "stale")}


def test_title_is_the_alt_text_and_escaped():
    guide = load_guides()[0]
    step = guide.steps[0]
    assert f">{step.alt.replace('&', '&amp;').replace('<', '&lt;')}</title>" in render_svg(step.key)
    scene = drawing_for(step.key)
    scene.title = 'Bones <&> "quotes"'
    assert "<title" in to_svg(scene) and "Bones &lt;&amp;&gt;" in to_svg(scene)


@pytest.mark.parametrize("width", [320, 1000])
def test_png_has_requested_width(width):
    image = render_png(STEP_KEYS[0], width)
    assert image.width == width
    # The aspect ratio of the SVG's viewBox is kept.
    _, _, view_w, view_h = drawing_for(STEP_KEYS[0]).window
    assert abs(image.height - width * view_h / view_w) <= 1
    # Something was drawn: dark ink on a light page, not a blank image.
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 90 and lightest > 240


def test_png_rejects_a_zero_width():
    with pytest.raises(ValueError):
        render_png(STEP_KEYS[0], 0)


def test_unknown_key_is_an_error():
    with pytest.raises(KeyError):
        drawing_for("no-such-guide-1")
