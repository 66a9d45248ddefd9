"""The generated drawings: coverage of the guide content, safety of the SVG files, their
animation, and that the committed files are what the generator makes now. No database."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings

from techniques.illustrations import build, drawing_for, keys, moving_keys, render_png, render_svg
from techniques.illustrations.content import load_guides
from techniques.illustrations.svg import to_svg
from techniques.seeding import CONTENT_DIR

GUIDES_DIR = CONTENT_DIR / "guides"
# Where the site serves them from; the package itself is told, never assumes.
STATIC_DIR = Path(settings.BASE_DIR) / "static" / "illustrations"
SVG_NS = "{http://www.w3.org/2000/svg}"
GUIDES = load_guides(GUIDES_DIR)
STEPS = [step for guide in GUIDES for step in guide.steps]
STEP_KEYS = [step.key for step in STEPS]
COMMITTED = sorted(STATIC_DIR.rglob("*.svg"))
MOVING = sorted(STATIC_DIR.glob("steps/*-moving.svg"))
MAX_BYTES = 40_000
# What an SVG shown as an <img> may contain: shapes, text, style and SMIL's <animate>.
ALLOWED_TAGS = {
    "svg",
    "title",
    "style",
    "g",
    "path",
    "polygon",
    "polyline",
    "circle",
    "ellipse",
    "rect",
    "text",
    "animate",
}


def test_content_has_steps_to_draw():
    # Guards the tests below against passing vacuously on an empty content folder.
    assert len(STEP_KEYS) >= 40


@pytest.mark.parametrize("key", STEP_KEYS)
def test_every_step_has_a_drawing(key):
    assert key in keys()


def test_no_drawing_without_a_step():
    orphans = set(keys()) - set(STEP_KEYS) - set(build.DIAGRAMS)
    assert not orphans, f"Drawings for steps that no longer exist: {sorted(orphans)}"


def test_every_drawing_is_committed():
    expected = {build.output_path(key, STATIC_DIR) for key in keys()}
    expected |= {build.output_path(key, STATIC_DIR, moving=True) for key in moving_keys()}
    assert expected <= set(COMMITTED), "Run `make illustrations` and commit static/illustrations/"


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_svg_is_small_safe_and_accessible(path: Path):
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= MAX_BYTES
    root = ET.fromstring(text)  # noqa: S314 - our own generated files; this checks they are well-formed
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and title.text and len(title.text.strip()) > 10
    assert root.get("aria-labelledby") == title.get("id")
    assert "viewBox" in root.attrib and "width" not in root.attrib
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        assert tag in ALLOWED_TAGS, tag
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
    assert not re.search(r"\d\.\d{3,}", text.split("<style>")[0] + text.split("</style>")[1])


def test_step_alt_texts_describe_the_picture():
    short = {step.key: step.alt for step in STEPS if len(step.alt.split()) < 8}
    assert not short, f"Alt text under 8 words: {short}"


def _body(svg: str) -> str:
    """The drawing without its title: the alt text must not be what tells steps apart."""
    svg = re.sub(r"<title[^>]*>.*?</title>", "", svg, flags=re.S)
    return re.sub(r'(aria-labelledby|id)="[^"]*"', "", svg)


def test_steps_have_distinct_drawings():
    seen: dict[str, str] = {}
    for key in STEP_KEYS:
        body = _body((STATIC_DIR / "steps" / f"{key}.svg").read_text(encoding="utf-8"))
        assert body not in seen, f"{key} draws the same picture as {seen.get(body)}"
        seen[body] = key


def test_most_steps_are_animated():
    animated = [key for key in STEP_KEYS if key in moving_keys()]
    assert len(animated) / len(STEP_KEYS) >= 0.6, f"{len(animated)} of {len(STEP_KEYS)} steps animated"


@pytest.mark.parametrize("path", MOVING, ids=lambda p: p.name)
def test_moving_drawing_loops_by_itself_and_matches_its_still(path: Path):
    root = ET.fromstring(path.read_text(encoding="utf-8"))  # noqa: S314 - our own file
    animations = root.findall(f".//{SVG_NS}animate")
    assert animations, "an animated drawing has at least one <animate>"
    for animate in animations:
        assert animate.get("attributeName") == "d"
        assert animate.get("repeatCount") == "indefinite"
        values = animate.get("values").split(";")
        times = [float(t) for t in animate.get("keyTimes").split(";")]
        assert len(values) == len(times) >= 3
        assert times[0] == 0 and times[-1] == 1 and times == sorted(times)
        # Frames morph point for point: every frame has the same path commands.
        assert len({re.sub(r"[-\d\s]+", "", value) for value in values}) == 1
        assert values[0] != values[len(values) // 2], "the end pose differs from the start"
    still_path = path.with_name(path.name.replace("-moving", ""))
    still = ET.fromstring(still_path.read_text(encoding="utf-8"))  # noqa: S314 - our own file
    # Same window, so the page can swap them; the still doesn't move and shows a ghost.
    assert still.get("viewBox") == root.get("viewBox")
    assert not still.findall(f".//{SVG_NS}animate")
    assert still.find(f".//{SVG_NS}g[@opacity]") is not None, "a still movement has a ghost of its start"


def test_positions_and_rests_stay_still():
    still_only = [key for key in STEP_KEYS if key not in moving_keys()]
    assert still_only, "some steps are positions or rests"
    for key in still_only:
        assert not build.output_path(key, STATIC_DIR, moving=True).exists()
        assert "<animate" not in render_svg(key, guides_dir=GUIDES_DIR)
    with pytest.raises(KeyError):
        render_svg(still_only[0], moving=True)


def test_committed_svgs_match_the_generator():
    problems = build.differences(GUIDES_DIR, STATIC_DIR)
    assert not problems, f"Out of date (run `make illustrations`): {[str(p.path.name) for p in problems]}"


def test_differences_notices_an_edited_file(tmp_path):
    build.write_all(GUIDES_DIR, tmp_path)
    assert build.differences(GUIDES_DIR, tmp_path) == []
    edited = build.output_path(STEP_KEYS[0], tmp_path)
    edited.write_text(edited.read_text(encoding="utf-8").replace("</svg>", "<g/></svg>"), encoding="utf-8")
    (tmp_path / "steps" / "removed-step-9.svg").write_text("<svg/>", encoding="utf-8")
    (build.output_path(moving_keys()[0], tmp_path, moving=True)).unlink()
    found = {(p.path.name, p.reason) for p in build.differences(GUIDES_DIR, tmp_path)}
    assert found == {
        (edited.name, "changed"),
        ("removed-step-9.svg", "stale"),
        (f"{moving_keys()[0]}-moving.svg", "missing"),
    }


def test_title_is_the_alt_text_and_escaped():
    step = GUIDES[0].steps[0]
    assert f">{step.alt.replace('&', '&amp;').replace('<', '&lt;')}</title>" in render_svg(
        step.key, guides_dir=GUIDES_DIR
    )
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


def test_cavitation_diagram_shows_both_explanations_labelled():
    for key in build.DIAGRAMS:
        text = render_svg(key)
        assert "Two competing explanations" in text
        for label in ("Kawchuk 2015", "Unsworth", "Chandran Suja", "Cavity", "Bubble"):
            assert label in text, (key, label)


def test_a_bent_leg_crossing_over_a_straight_one_is_painted_in_front_of_it():
    # The seated twist: the near (right) leg bends over the far, straight one. By their
    # middles the long far leg came nearer the viewer and was painted over the crossing.
    from techniques.illustrations.shots import SHOTS
    from techniques.illustrations.stage import flatten

    shot = SHOTS["seated-spinal-twist-1"]()
    flats = {flat.name: flat for flat in flatten(shot.poses[-1], shot.camera)}
    assert flats["left_leg"].fill == "shade"
    assert flats["left_leg"].depth < flats["right_leg"].depth
