"""Routines: curated ones edited in the admin, reader-built ones that live in their address,
how a routine's own hold and repetitions apply, and everything a tampered address can do."""

import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace
from unittest import mock
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from routines.links import MAX_LENGTH, Choice, parse_routine_path, routine_url
from routines.models import Routine, RoutineItem
from routines.qr_codes import qr_code_data_uri
from routines.steps import MAX_GUIDES, MAX_STEPS, RoutineEntry, routine_problems
from techniques.models import LoadedSeed, SafetyTip, Status, Technique, TipKind
from tests.admin_forms import change_form_data
from tests.factories import StepFactory, TechniqueFactory, UserFactory
from tests.test_page_cache import get, page

pytestmark = pytest.mark.django_db

SET_UP, HELD, MOVING = (5, 1, "once"), (3, 5, "once"), (None, 10, "each")


def make_guide(slug, title, steps, status=Status.PUBLISHED):
    """A guide whose steps are (hold_seconds, reps, sides), in order, each with a drawing."""
    guide = TechniqueFactory(slug=slug, title=title, steps=0, status=status)
    for order, (hold, reps, sides) in enumerate(steps, start=1):
        StepFactory(
            technique=guide,
            order=order,
            title=f"{title} move {order}",
            hold_seconds=hold,
            reps=reps,
            sides=sides,
            illustration="cat-cow-1",
        )
    return guide


def make_routine(slug, items, status=Status.PUBLISHED, title="Morning stretch"):
    """items: (guide, hold_seconds, reps), in order."""
    routine = Routine.objects.create(
        slug=slug, title=title, summary="A gentle start.", intro="Go **slowly**.", status=status
    )
    for order, (guide, hold, reps) in enumerate(items, start=1):
        RoutineItem.objects.create(routine=routine, technique=guide, order=order, hold_seconds=hold, reps=reps)
    return routine


@pytest.fixture
def guides():
    return SimpleNamespace(
        cat_cow=make_guide("cat-cow", "Cat-cow", [SET_UP, HELD, HELD, (5, 3, "once")]),
        warm_up=make_guide("warm-up", "Gentle warm-up", [(None, 30, "once"), MOVING]),
        twist=make_guide("twist", "Seated twist", [SET_UP, (20, 2, "each")]),
        draft=make_guide("secret-draft", "Secret draft", [SET_UP, HELD], status=Status.DRAFT),
    )


def html_of(response):
    return response.content.decode()


def step_attributes(html):
    """(title, hold, reps, sides) of each follow-along step on the page, in order."""
    steps = re.findall(r"<li class=\"routine-step\"([^>]*)>", html)
    found = []
    for attributes in steps:
        values = dict(re.findall(r'(data-[\w-]+)(?:="([^"]*)")?', attributes))
        found.append(
            (
                values["data-step-title"],
                values.get("data-hold-seconds"),
                values.get("data-reps"),
                values["data-sides"],
            )
        )
    return found


# How an override applies -------------------------------------------------------------------


def test_an_override_changes_only_the_steps_the_guide_repeats(guides):
    entry = RoutineEntry(guides.cat_cow, list(guides.cat_cow.steps.all()), hold_seconds=10, reps=8)
    assert [(step.hold_seconds, step.reps, step.changed) for step in entry.steps] == [
        (5, 1, False),  # setting up keeps the guide's timing
        (10, 8, True),
        (10, 8, True),
        (10, 8, True),
    ]
    moving = RoutineEntry(guides.warm_up, list(guides.warm_up.steps.all()), reps=4)
    assert [(step.hold_seconds, step.reps) for step in moving.steps] == [(None, 4), (None, 4)]
    assert not moving.override_problems()


def test_an_override_that_would_change_nothing_is_refused(guides):
    no_holds = RoutineEntry(guides.warm_up, list(guides.warm_up.steps.all()), hold_seconds=20)
    assert "Gentle warm-up has no held step that repeats" in no_holds.override_problems()["hold_seconds"]
    once_only = make_guide("lie-still", "Lie still", [SET_UP])
    entry = RoutineEntry(once_only, list(once_only.steps.all()), reps=3)
    assert "Lie still has no step that repeats" in entry.override_problems()["reps"]


def test_a_routine_keeps_to_what_fits_on_one_page(guides):
    big = [make_guide(f"big-{n}", f"Big {n}", [HELD] * 6) for n in range(MAX_GUIDES + 1)]
    assert routine_problems([]) == ["Choose at least one guide."]
    assert not routine_problems([RoutineEntry(guide, list(guide.steps.all())) for guide in big[:6]])
    too_many_steps = [RoutineEntry(guide, list(guide.steps.all())) for guide in big[:7]]
    assert any(f"at most {MAX_STEPS} steps" in problem for problem in routine_problems(too_many_steps))
    too_many_guides = [RoutineEntry(guides.cat_cow, [])] * 2 + [RoutineEntry(g, []) for g in big[:7]]
    problems = routine_problems(too_many_guides)
    assert any(f"at most {MAX_GUIDES} guides" in problem for problem in problems)
    assert any("Cat-cow is in the routine twice" in problem for problem in problems)


# Curated routines on the site ----------------------------------------------------------------


def test_a_curated_routine_page_lists_its_guides_steps_and_overrides(client, guides):
    SafetyTip.objects.create(kind=TipKind.RED_FLAG, urgency="emergency", text="Chest pain with back pain.")
    make_routine("morning", [(guides.twist, None, None), (guides.cat_cow, 10, 8)])
    response = client.get("/routines/morning/")
    assert response.status_code == 200
    html = html_of(response)
    assert step_attributes(html) == [
        ("Seated twist · Step 1: Seated twist move 1", "5", "1", "once"),
        ("Seated twist · Step 2: Seated twist move 2", "20", "2", "each"),
        ("Cat-cow · Step 1: Cat-cow move 1", "5", "1", "once"),
        ("Cat-cow · Step 2: Cat-cow move 2", "10", "8", "once"),
        ("Cat-cow · Step 3: Cat-cow move 3", "10", "8", "once"),
        ("Cat-cow · Step 4: Cat-cow move 4", "10", "8", "once"),
    ]
    for text in [
        'data-follow-along data-follow-along-title="Morning stretch"',
        "data-follow-along-start hidden>Play routine</button>",
        "In this routine: hold 10 seconds, 8 times",
        "Hold 10 seconds · 8 times",
        "The guide on its own: Hold 3 seconds · 5 times.",
        "Go <strong>slowly</strong>.",
        "Stop if you feel sharp pain.",  # the guide's own red flag
        "Chest pain with back pain.",  # and the site's
        '<link rel="canonical" href="http://testserver/routines/morning/">',
        "js/follow-along.js",
    ]:
        assert text in html, text


def test_the_printed_handout_has_a_qr_code_of_the_canonical_address(client, guides):
    make_routine("morning", [(guides.cat_cow, None, None)])
    html = html_of(client.get("/routines/morning/"))
    image = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="QR code that opens this routine online"', html)
    assert image, "the QR code is an inline SVG image"
    assert unescape(image.group(1)) == qr_code_data_uri("http://testserver/routines/morning/")
    # The Content-Security-Policy allows data: images but no style attributes.
    assert "style" not in unquote(image.group(1))
    assert 'go to <span class="routine-url">http://testserver/routines/morning/</span>' in html


def test_drafts_are_hidden_from_readers(client, staff_client, guides):
    make_routine("draft-routine", [(guides.cat_cow, None, None)], status=Status.DRAFT, title="Unfinished")
    make_routine("mixed", [(guides.cat_cow, None, None), (guides.draft, None, None)], title="Mixed")
    make_routine("all-drafts", [(guides.draft, None, None)], title="Only drafts")

    assert client.get("/routines/draft-routine/").status_code == 404
    preview = staff_client.get("/routines/draft-routine/")
    assert preview.status_code == 200 and "This routine is not published" in html_of(preview)

    mixed = html_of(client.get("/routines/mixed/"))
    assert "Cat-cow" in mixed and "Secret draft" not in mixed  # an unpublished guide is left out
    # A published routine whose guides are all unpublished has nothing to show.
    assert client.get("/routines/all-drafts/").status_code == 404

    for url in ["/routines/", "/sitemap.xml"]:
        body = html_of(client.get(url))
        assert "mixed" in body.lower(), url
        for hidden in ["Unfinished", "draft-routine", "Only drafts", "all-drafts", "Secret draft"]:
            assert hidden not in body, (url, hidden)


def test_the_routine_list_links_each_routine_and_the_builder(client, guides):
    make_routine("morning", [(guides.twist, None, None), (guides.cat_cow, None, 3)])
    html = html_of(client.get("/routines/"))
    assert 'href="/routines/morning/"' in html and "2 guides: Seated twist, Cat-cow." in html
    assert 'href="/routines/build/"' in html
    sitemap = html_of(client.get("/sitemap.xml"))
    for path in ["/routines/", "/routines/build/", "/routines/morning/"]:
        assert f"<loc>http://testserver{path}</loc>" in sitemap


def test_the_header_links_to_the_routines(client, guides):
    html = html_of(client.get("/routines/build/"))
    assert '<a href="/routines/" aria-current="page">Routines</a>' in html
    assert '<a href="/routines/">Routines</a>' in html_of(client.get("/guides/"))


# The admin -----------------------------------------------------------------------------------


def routine_form(staff_client, url, items, **fields):
    """The admin's routine form as a browser would send it, with `items` (guide, hold, reps)."""
    data = change_form_data(staff_client.get(url))
    data.update({"title": "Evening unwind", "slug": "evening", "summary": "Wind down.", "status": Status.PUBLISHED})
    data.update(fields)
    existing = int(data["items-INITIAL_FORMS"])
    data["items-TOTAL_FORMS"] = str(max(existing, len(items)))
    for index, (guide, hold, reps) in enumerate(items):
        data[f"items-{index}-order"] = str(index + 1)
        data[f"items-{index}-technique"] = str(guide.pk)
        data[f"items-{index}-hold_seconds"] = "" if hold is None else str(hold)
        data[f"items-{index}-reps"] = "" if reps is None else str(reps)
    return data


def test_admin_creates_a_routine_with_its_guides_in_order(staff_client, client, guides):
    add = reverse("admin:routines_routine_add")
    data = routine_form(
        staff_client, add, [(guides.twist, None, None), (guides.cat_cow, 10, 8)], intro="Lie **still**."
    )
    response = staff_client.post(add, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    routine = Routine.objects.get(slug="evening")
    assert routine.intro_html == "<p>Lie <strong>still</strong>.</p>"
    assert routine.published_at is not None
    assert list(routine.items.values_list("order", "technique__slug", "hold_seconds", "reps")) == [
        (1, "twist", None, None),
        (2, "cat-cow", 10, 8),
    ]
    assert "Hold 10 seconds · 8 times" in html_of(client.get("/routines/evening/"))


def test_admin_reorders_and_changes_a_routines_guides(staff_client, guides):
    routine = make_routine("morning", [(guides.twist, None, None), (guides.cat_cow, None, None)])
    change = reverse("admin:routines_routine_change", args=[routine.pk])
    data = change_form_data(staff_client.get(change))
    data["items-0-order"], data["items-1-order"] = "2", "1"
    data["items-1-reps"] = "4"
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(routine.items.order_by("order").values_list("technique__slug", "reps")) == [
        ("cat-cow", 4),
        ("twist", None),
    ]


@pytest.mark.parametrize(
    "problem, message",
    [
        ("no guide", "Add at least one guide to the routine."),
        ("draft guide", "Secret draft is not published, and a published routine can only use published guides."),
        ("hold that changes nothing", "Gentle warm-up has no held step that repeats"),
        ("too many guides", f"A routine has at most {MAX_GUIDES} guides"),
        ("guide twice", "A guide can be in a routine only once."),
        ("hold out of range", "Ensure this value is less than or equal to 120."),
        ("reserved address", "is the address of another page under /routines/"),
    ],
)
def test_admin_refuses_a_routine_that_cant_be_published(staff_client, guides, problem, message):
    extra = [make_guide(f"extra-{n}", f"Extra {n}", [SET_UP]) for n in range(MAX_GUIDES)]
    items, fields = {
        "no guide": ([], {}),
        "draft guide": ([(guides.cat_cow, None, None), (guides.draft, None, None)], {}),
        "hold that changes nothing": ([(guides.warm_up, 20, None)], {}),
        "too many guides": ([(guides.cat_cow, None, None)] + [(guide, None, None) for guide in extra], {}),
        "guide twice": ([(guides.cat_cow, None, None), (guides.cat_cow, None, 3)], {}),
        "hold out of range": ([(guides.cat_cow, 121, None)], {}),
        "reserved address": ([(guides.cat_cow, None, None)], {"slug": "build"}),
    }[problem]
    add = reverse("admin:routines_routine_add")
    response = staff_client.post(add, routine_form(staff_client, add, items, **fields))
    assert response.status_code == 200
    assert message in html_of(response)
    assert not Routine.objects.exists() and not RoutineItem.objects.exists()


def test_a_draft_routine_may_use_draft_guides(staff_client, guides):
    add = reverse("admin:routines_routine_add")
    data = routine_form(staff_client, add, [(guides.draft, None, None)], status=Status.DRAFT)
    assert staff_client.post(add, data).status_code == 302
    assert Routine.objects.get(slug="evening").items.get().technique == guides.draft


def test_admin_revert_restores_a_routines_guides(staff_client, guides):
    routine = make_routine("morning", [(guides.twist, None, None), (guides.cat_cow, 10, None)])
    original = routine.history.latest()
    routine.title = "Renamed"
    routine.save()
    routine.items.get(technique=guides.twist).delete()
    item = routine.items.get(technique=guides.cat_cow)
    item.order, item.hold_seconds = 1, 30
    item.save()
    RoutineItem.objects.create(routine=routine, technique=guides.warm_up, order=2)

    url = reverse("admin:routines_routine_simple_history", args=[routine.pk, original.history_id])
    response = staff_client.post(url, change_form_data(staff_client.get(url)))
    assert response.status_code == 302
    routine.refresh_from_db()
    assert routine.title == "Morning stretch"
    assert list(routine.items.order_by("order").values_list("technique__slug", "hold_seconds")) == [
        ("twist", None),
        ("cat-cow", 10),
    ]


def test_editors_may_edit_routines(db):
    """The Editors group was given routine permissions when routines were still part of the
    techniques app (its migration 0008); they followed the models into the routines app."""
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.filter(content_type__app_label="routines").values_list("codename", flat=True))
    assert {"add_routine", "change_routine", "delete_routine", "view_routine"} <= codenames
    assert {"add_routineitem", "change_routineitem", "delete_routineitem"} <= codenames
    assert not editors.permissions.filter(content_type__app_label="techniques", content_type__model__contains="routine")
    editor = UserFactory(is_staff=True)
    editor.groups.add(editors)
    editor = type(editor).objects.get(pk=editor.pk)  # no cached permissions
    assert editor.has_perms(["routines.add_routine", "routines.change_routine", "routines.change_routineitem"])


def test_an_editor_can_open_and_add_routines_in_the_admin(client, guides):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(reverse("admin:routines_routine_changelist")).status_code == 200
    assert client.get(reverse("admin:routines_routine_add")).status_code == 200


def test_admin_routine_pages_open(staff_client, seeded):
    assert staff_client.get(reverse("admin:routines_routine_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:routines_routine_changelist"), {"q": "cat-cow"}).status_code == 200
    routine = Routine.objects.get(slug="morning-mobility")
    assert staff_client.get(reverse("admin:routines_routine_change", args=[routine.pk])).status_code == 200


# The page cache ------------------------------------------------------------------------------


def rename(obj, field, value):
    setattr(obj, field, value)
    obj.save()


# name -> (the page that shows it, the edit)
ROUTINE_EDITS = {
    "routine renamed": ("/routines/morning/", lambda s: rename(s.routine, "title", "Evening unwind")),
    "routine unpublished": ("/routines/", lambda s: rename(s.routine, "status", Status.DRAFT)),
    "item override changed": ("/routines/morning/", lambda s: rename(s.routine.items.first(), "reps", 2)),
    "item added": (
        "/routines/morning/",
        lambda s: RoutineItem.objects.create(routine=s.routine, technique=s.guides.warm_up, order=3),
    ),
    "item removed": ("/routines/morning/", lambda s: s.routine.items.last().delete()),
    "overrides bulk-updated": ("/routines/morning/", lambda s: s.routine.items.update(reps=2)),
    "step of a guide in it edited": (
        "/routines/morning/",
        lambda s: rename(s.guides.cat_cow.steps.first(), "title", "Kneel down"),
    ),
    "guide in it unpublished": ("/routines/morning/", lambda s: rename(s.guides.twist, "status", Status.DRAFT)),
}


@pytest.mark.parametrize("edit", ROUTINE_EDITS)
def test_every_routine_edit_shows_on_the_next_request(client, settings, guides, edit):
    routine = make_routine("morning", [(guides.cat_cow, None, None), (guides.twist, None, None)])
    state = SimpleNamespace(routine=routine, guides=guides)
    url, change = ROUTINE_EDITS[edit]
    before = page(client, url)
    assert get(client, url).query_count == 1  # now served from the cache

    change(state)
    after = page(client, url)

    settings.PAGE_CACHE_ENABLED = False
    assert after == page(client, url), "the next request must show exactly what the view renders now"
    assert after != before


def test_a_routine_scheduled_for_later_is_not_public_until_its_time(client, staff_client, guides):
    """Routines and guides share one publishing rule (techniques.models.Publishable): a routine
    marked published with a publication time still ahead is a draft until then."""
    now = timezone.now()
    routine = make_routine("later", [(guides.cat_cow, None, None)], title="Scheduled routine")
    Routine.objects.filter(pk=routine.pk).update(published_at=now + timedelta(hours=1))
    routine.refresh_from_db()
    assert not routine.is_published
    assert not Routine.objects.published().filter(pk=routine.pk).exists()
    assert page(client, "/routines/later/")[0] == 404
    assert "Scheduled routine" not in page(client, "/routines/")[1]
    assert get(client, "/routines/").query_count == 1  # cached, yet it must appear on time
    assert "Draft." in staff_client.get("/routines/later/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        assert routine.is_published
        assert "Scheduled routine" in page(client, "/routines/")[1]
        assert page(client, "/routines/later/")[0] == 200


def test_an_admin_edit_of_a_routine_shows_on_the_next_request(client, staff_client, guides):
    routine = make_routine("morning", [(guides.cat_cow, None, None)])
    page(client, "/routines/morning/")
    change = reverse("admin:routines_routine_change", args=[routine.pk])
    data = change_form_data(staff_client.get(change))
    data["items-0-reps"] = "7"
    assert staff_client.post(change, data).status_code == 302
    assert "Hold 3 seconds · 7 times" in page(client, "/routines/morning/")[1]


# The builder ---------------------------------------------------------------------------------


def build(client, query):
    return client.get("/routines/build/", query)


def test_the_builder_lists_every_published_guide_and_no_draft(client, guides):
    response = build(client, {})
    assert response.status_code == 200
    html = html_of(response)
    for guide in [guides.cat_cow, guides.warm_up, guides.twist]:
        assert f'value="{guide.slug}"' in html and f'name="order-{guide.slug}"' in html
        assert f'name="hold-{guide.slug}"' in html and f'name="reps-{guide.slug}"' in html
    assert "secret-draft" not in html and "Secret draft" not in html
    assert '<form class="builder" method="get" action="/routines/build/"' in html
    # Tracking parameters alone are a visit, not a form sent with nothing ticked.
    assert build(client, {"utm_source": "newsletter"}).status_code == 200


def test_the_builder_redirects_to_the_routines_own_address(client, guides):
    query = {
        "guide": ["cat-cow", "twist", "warm-up"],
        "order-cat-cow": "2",
        "order-twist": "1",
        "order-warm-up": "",
        "hold-cat-cow": "10",
        "reps-cat-cow": "8",
        "hold-twist": "",
        "reps-twist": "",
        "reps-warm-up": "4",
        # Values for a guide left unticked are not part of the routine.
        "hold-secret-draft": "",
        "order-secret-draft": "3",
    }
    with CaptureQueriesContext(connection) as queries:
        response = build(client, query)
    assert response.status_code == 302
    assert response["Location"] == "/routines/custom/twist+cat-cow~10x8+warm-up~x4/"
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "query, message",
    [
        ({"order-cat-cow": ""}, "Choose at least one guide."),
        ({"guide": ["secret-draft"]}, "“secret-draft” is not one of the published guides"),
        ({"guide": ["<script>"]}, "“&lt;script&gt;” is not one of the published guides"),
        ({"guide": ["cat-cow", "twist"], "order-cat-cow": "1", "order-twist": "1"}, "have the same position, 1."),
        ({"guide": ["cat-cow"], "order-cat-cow": "9"}, "The position of Cat-cow is a number from 1 to 8, or Any."),
        ({"guide": ["cat-cow"], "hold-cat-cow": "121"}, "A hold for Cat-cow is a whole number from 1 to 120 seconds."),
        ({"guide": ["cat-cow"], "reps-cat-cow": "0"}, "Repetitions for Cat-cow is a whole number from 1 to 30."),
        ({"guide": ["cat-cow"], "reps-cat-cow": "ten"}, "Repetitions for Cat-cow is a whole number from 1 to 30."),
        ({"guide": ["warm-up"], "hold-warm-up": "20"}, "Gentle warm-up has no held step that repeats"),
    ],
)
def test_the_builder_explains_what_is_wrong(client, guides, query, message):
    response = build(client, query)
    assert response.status_code == 400
    html = html_of(response)
    assert "That routine can't be made yet." in html and message in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]
    assert 'name="guide"' in html  # the form is there to correct


def test_the_builder_refuses_more_than_fits_on_a_page(client, guides):
    many = [make_guide(f"big-{n}", f"Big {n}", [HELD] * 6) for n in range(MAX_GUIDES + 1)]
    too_many = build(client, {"guide": [guide.slug for guide in many]})
    assert too_many.status_code == 400
    assert f"A routine has at most {MAX_GUIDES} guides" in html_of(too_many)
    too_long = build(client, {"guide": [guide.slug for guide in many[:7]]})
    assert too_long.status_code == 400
    assert f"A routine has at most {MAX_STEPS} steps in all" in html_of(too_long)


# Reader-built routines -----------------------------------------------------------------------


def test_the_address_format_reads_back_what_it_writes():
    choices = [Choice("twist"), Choice("cat-cow", 10, 8), Choice("warm-up", None, 4), Choice("x", 120, None)]
    url = routine_url(choices)
    assert url == "/routines/custom/twist+cat-cow~10x8+warm-up~x4+x~120/"
    assert parse_routine_path(url.removeprefix("/routines/custom/").rstrip("/")) == choices


def test_a_reader_built_routine_is_rendered_without_writing_anything(client, guides):
    url = "/routines/custom/twist+cat-cow~10x8/"
    for visit in ["miss", "hit"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, visit
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert not writes, visit
    assert not Routine.objects.exists() and not RoutineItem.objects.exists()

    html = html_of(response)
    assert step_attributes(html)[2:4] == [
        ("Cat-cow · Step 1: Cat-cow move 1", "5", "1", "once"),
        ("Cat-cow · Step 2: Cat-cow move 2", "10", "8", "once"),
    ]
    for text in [
        '<link rel="canonical" href="http://testserver/routines/custom/twist+cat-cow~10x8/">',
        '<meta property="og:title" content="Routine: Seated twist and Cat-cow">',
        '<meta property="og:description" content="A routine of 2 guides and 6 steps: Seated twist; Cat-cow.',
        '<meta property="og:url" content="http://testserver/routines/custom/twist+cat-cow~10x8/">',
        '<meta property="og:image" content="http://testserver/static/img/share-card.png">',
        '<meta name="robots" content="noindex">',
        '<a class="copy-link" href="http://testserver/routines/custom/twist+cat-cow~10x8/" data-copy-link>',
        "js/share.js",
        'data-follow-along-title="Routine: Seated twist and Cat-cow"',
    ]:
        assert text in html, text


def test_the_custom_address_without_a_routine_goes_to_the_builder(client, guides):
    response = client.get("/routines/custom/")
    assert response.status_code == 302 and response["Location"] == "/routines/build/"


def nine_guides():
    return "+".join(f"g{n}" for n in range(MAX_GUIDES + 1))


def many_steps():
    for n in range(7):
        make_guide(f"big-{n}", f"Big {n}", [HELD] * 6)
    return "+".join(f"big-{n}" for n in range(7))


# path after /routines/custom/ (a callable makes what it needs) -> (status, part of the message)
TAMPERED = {
    "unknown guide": ("cat-cow+no-such-guide", 404, "This routine names “no-such-guide”, which is not a guide"),
    "draft guide": ("cat-cow+secret-draft", 404, "“secret-draft”, which is not a guide"),
    "capital letters": ("Cat-Cow", 400, "characters no routine link contains"),
    "two plus signs": ("cat-cow++twist", 400, "two + signs together"),
    "trailing plus": ("cat-cow+", 400, "two + signs together, or one at an end"),
    "empty override": ("cat-cow~", 400, "is not a guide as a routine link names one"),
    "zero hold": ("cat-cow~0", 400, "is not a guide as a routine link names one"),
    "leading zero": ("cat-cow~010", 400, "is not a guide as a routine link names one"),
    "hold too long": ("cat-cow~121", 400, "A hold is at most 120 seconds; “cat-cow~121” asks for 121."),
    "too many reps": ("cat-cow~x31", 400, "A step is repeated at most 30 times; “cat-cow~x31” asks for 31."),
    "huge number": ("cat-cow~99999999999999999999", 400, "is not a guide as a routine link names one"),
    "negative": ("cat-cow~-5", 400, "is not a guide as a routine link names one"),
    "guide twice": ("cat-cow+twist+cat-cow", 400, "names cat-cow more than once"),
    "too many guides": (nine_guides, 400, f"at most {MAX_GUIDES} guides"),
    "too many steps": (many_steps, 400, f"at most {MAX_STEPS} steps in all"),
    "hold that changes nothing": ("warm-up~20", 400, "Gentle warm-up has no held step that repeats"),
    "accented letters": ("caf%C3%A9", 400, "characters no routine link contains"),
    "emoji": ("cat-cow+%F0%9F%90%88", 400, "characters no routine link contains"),
    "broken percent-encoding": ("%FF%FE", 400, "characters no routine link contains"),
    "percent sign": ("cat-cow%2520", 400, "characters no routine link contains"),
    "null byte": ("cat%00cow", 400, "characters no routine link contains"),
    "markup": ("%3Cscript%3Ealert(1)%3C/script%3E", 400, "characters no routine link contains"),
    "a slash inside": ("cat-cow/twist", 400, "characters no routine link contains"),
    "other separators": ("cat-cow,twist", 400, "characters no routine link contains"),
    "spaces": ("cat-cow%20twist", 400, "characters no routine link contains"),
    "overlong slug": ("a" * 51, 400, "is longer than the address name of any guide"),
    "very long address": ("cat-cow+" * 2000 + "twist", 400, f"no routine of at most {MAX_GUIDES} guides needs more"),
}


@pytest.mark.parametrize("case", TAMPERED)
def test_a_tampered_address_gets_a_clear_message_and_never_a_500(client, guides, case):
    path, status, message = TAMPERED[case]
    url = f"/routines/custom/{path() if callable(path) else path}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    html = html_of(response)
    assert message in html
    assert "Build a routine with the builder" in html
    assert "<script>alert" not in html
    assert "public" not in response.get("Cache-Control", "")  # an error is never cached
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_the_longest_valid_address_is_within_the_length_limit():
    slug = "a" * 50
    longest = "+".join(f"{slug[:-1]}{n}~120x30" for n in range(MAX_GUIDES))
    assert len(longest) == MAX_LENGTH
    assert len(parse_routine_path(longest)) == MAX_GUIDES


# Seed content --------------------------------------------------------------------------------


def test_the_seeded_routines_are_published_and_valid(client, seeded):
    routines = {routine.slug: routine for routine in Routine.objects.published()}
    assert set(routines) == {"desk-break", "morning-mobility"}
    assert routines["desk-break"].title == "5-minute desk break"
    for routine in routines.values():
        items = list(routine.items.select_related("technique"))
        entries = []
        for item in items:
            item.full_clean()
            assert item.technique.is_published, (routine.slug, item.technique.slug)
            entries.append(item.entry())
        assert not routine_problems(entries), routine.slug
        for entry in entries:
            for step in entry.steps:
                # No step is asked for more than the guide itself asks for, or a hold longer
                # than a few seconds beyond the guide's own.
                assert (step.reps or 1) <= (step.step.reps or 1), (routine.slug, step.title)
                assert (step.hold_seconds or 0) <= (step.step.hold_seconds or 0) + 2, (routine.slug, step.title)
        assert client.get(routine.get_absolute_url()).status_code == 200


def test_loading_again_keeps_an_editors_deletion_of_a_routine(seeded):
    Routine.objects.get(slug="desk-break").delete()
    call_command("load_content", verbosity=0)
    assert not Routine.objects.filter(slug="desk-break").exists()
    assert Routine.objects.filter(slug="morning-mobility").count() == 1


def test_a_seeded_routine_leaves_out_a_guide_an_editor_deleted(seeded):
    # A site that loaded the guides before there were routines, whose editors deleted one.
    Routine.objects.all().delete()
    LoadedSeed.objects.filter(key__startswith="routine:").delete()
    Technique.objects.get(slug="warm-up").delete()
    call_command("load_content", verbosity=0)
    routine = Routine.objects.get(slug="morning-mobility")
    assert list(routine.items.values_list("order", "technique__slug")) == [
        (1, "cat-cow"),
        (2, "lying-rotation"),
        (3, "standing-thoracic-rotation"),
    ]
