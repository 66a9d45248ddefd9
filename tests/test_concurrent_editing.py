"""Two editors with the same guide or page open: a save from a form opened before the other's
save is refused, stores nothing and comes back with a merge; after it, saving works."""

import pytest
from django.test import Client
from django.urls import reverse

from routines.models import Routine, RoutineItem
from techniques.models import Page, PageSlug, SafetyTip, Step, Technique, TipKind
from tests.admin_forms import change_form_data
from tests.factories import StaffFactory, TechniqueFactory


def editor(name):
    client = Client()
    client.force_login(StaffFactory(username=name.lower(), first_name=name))
    return client


@pytest.fixture
def alice(db):
    return editor("Alice")


@pytest.fixture
def bob(db):
    return editor("Bob")


@pytest.fixture
def guide(db):
    return TechniqueFactory(steps=2)


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return change_form_data(response)


def step_field(data, guide, order, name):
    """The posted name of a step's field, found by the step's primary key."""
    pk = str(guide.steps.get(order=order).pk)
    index = next(key.split("-")[1] for key, value in data.items() if key.endswith("-id") and str(value) == pk)
    return f"steps-{index}-{name}"


def test_stale_guide_save_is_refused_stores_nothing_and_can_be_merged(alice, bob, guide):
    alices, bobs = open_form(alice, guide), open_form(bob, guide)
    alices["summary"] = "Alice's new summary."
    assert alice.post(change_url(guide), alices).status_code == 302

    bobs["title"] = "Bob's new title"
    refused = bob.post(change_url(guide), bobs)

    assert refused.status_code == 409
    guide.refresh_from_db()
    assert guide.title != "Bob's new title"  # nothing of Bob's was stored
    assert guide.summary == "Alice's new summary."  # Alice's edit is intact
    assert Technique.history.filter(id=guide.pk).count() == 2  # created, Alice's save: no more
    page = refused.content.decode()
    assert "Alice saved this guide at" in page and "Nothing was saved" in page
    returned = change_form_data(refused)
    assert returned["title"] == "Bob's new title"  # his input is intact
    assert returned["summary"] == "Alice's new summary."  # her change is merged in
    comparison = refused.context["conflict"]
    assert {field.label for field in comparison.fields} == {"Title", "Summary"}

    assert bob.post(change_url(guide), returned).status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.summary) == ("Bob's new title", "Alice's new summary.")


def test_after_reloading_the_second_editor_can_save(alice, bob, guide):
    alices, bobs = open_form(alice, guide), open_form(bob, guide)
    alices["summary"] = "Alice's new summary."
    alice.post(change_url(guide), alices)
    bobs["title"] = "Bob's new title"
    assert bob.post(change_url(guide), bobs).status_code == 409

    reloaded = open_form(bob, guide)
    reloaded["title"] = "Bob's new title"
    assert bob.post(change_url(guide), reloaded).status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.summary) == ("Bob's new title", "Alice's new summary.")


def test_a_step_changed_in_both_forms(alice, bob, guide):
    alices, bobs = open_form(alice, guide), open_form(bob, guide)
    alices[step_field(alices, guide, 1, "instruction")] = "Alice's instruction."
    assert alice.post(change_url(guide), alices).status_code == 302

    bobs[step_field(bobs, guide, 1, "instruction")] = "Bob's instruction."
    bobs[step_field(bobs, guide, 2, "title")] = "Bob's second step"
    refused = bob.post(change_url(guide), bobs)

    assert refused.status_code == 409
    steps = {step.order: step for step in guide.steps.all()}
    assert steps[1].instruction == "Alice's instruction."
    assert steps[2].title != "Bob's second step"
    both = refused.context["conflict"].both_changed
    assert [field.label.endswith("Instruction") for field in both] == [True]
    assert both[0].theirs == "Alice's instruction."
    returned = change_form_data(refused)
    assert returned[step_field(returned, guide, 1, "instruction")] == "Bob's instruction."  # yours stays in the form

    # Bob takes Alice's instruction for step 1, keeps his step 2 title, and saves the merge.
    returned[step_field(returned, guide, 1, "instruction")] = both[0].theirs_posted
    assert bob.post(change_url(guide), returned).status_code == 302
    steps = {step.order: step for step in guide.steps.all()}
    assert (steps[1].instruction, steps[2].title) == ("Alice's instruction.", "Bob's second step")


def test_a_step_deleted_by_one_and_changed_by_the_other(alice, bob, guide):
    alices, bobs = open_form(alice, guide), open_form(bob, guide)
    bobs_second_step = step_field(bobs, guide, 2, "instruction")
    alices[step_field(alices, guide, 2, "DELETE")] = "on"
    assert alice.post(change_url(guide), alices).status_code == 302
    assert guide.steps.count() == 1

    bobs[bobs_second_step] = "Bob's rewrite of the deleted step."
    refused = bob.post(change_url(guide), bobs)

    assert refused.status_code == 409
    assert guide.steps.count() == 1
    assert "they deleted it, but you had changed it" in refused.content.decode()
    returned = change_form_data(refused)
    assert bob.post(change_url(guide), returned).status_code == 302
    assert list(guide.steps.values_list("instruction", flat=True).order_by("order"))[-1] == (
        "Bob's rewrite of the deleted step."
    )


def test_a_guide_deleted_in_between(alice, bob, guide):
    bobs = open_form(bob, guide)
    delete_url = reverse("admin:techniques_technique_delete", args=[guide.pk])
    assert alice.post(delete_url, {"post": "yes"}).status_code == 302

    bobs["title"] = "Bob's new title"
    refused = bob.post(change_url(guide), bobs)

    assert refused.status_code == 409
    assert not Technique.objects.filter(pk=guide.pk).exists()  # Alice's deletion stands
    assert not Technique.objects.filter(title="Bob's new title").exists()
    assert not Step.objects.filter(technique_id=guide.pk).exists()
    page = refused.content.decode()
    assert "Alice deleted this guide" in page and "Bob&#x27;s new title" in page

    # Brought back from its history, it opens again and Bob can save.
    version = (
        Technique.history.filter(id=guide.pk, history_type="~").first()
        or Technique.history.filter(id=guide.pk, history_type="+").first()
    )
    revert = reverse("admin:techniques_technique_simple_history", args=[guide.pk, version.history_id])
    revert_form = alice.get(revert)
    assert 'type="hidden" name="editing_version"' in revert_form.content.decode()  # a browser sends it back
    assert alice.post(revert, change_form_data(revert_form)).status_code == 302
    reloaded = open_form(bob, Technique.objects.get(pk=guide.pk))
    reloaded["title"] = "Bob's new title"
    assert bob.post(change_url(guide), reloaded).status_code == 302
    assert Technique.objects.get(pk=guide.pk).title == "Bob's new title"


@pytest.fixture
def page(db):
    return Page.objects.create(slug=PageSlug.ABOUT, title="About", summary="Who we are.", body="We write guides.")


def test_stale_page_save_is_refused_then_merged(alice, bob, page):
    alices, bobs = open_form(alice, page), open_form(bob, page)
    alices["body"] = "We write careful guides."
    assert alice.post(change_url(page), alices).status_code == 302

    bobs["title"] = "About Back Relief"
    refused = bob.post(change_url(page), bobs)
    assert refused.status_code == 409
    page.refresh_from_db()
    assert (page.title, page.body) == ("About", "We write careful guides.")

    reloaded = open_form(bob, page)
    reloaded["title"] = "About Back Relief"
    assert bob.post(change_url(page), reloaded).status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body) == ("About Back Relief", "We write careful guides.")


def test_a_save_without_a_version_is_refused(bob, page):
    data = open_form(bob, page)
    del data["editing_version"]
    data["title"] = "Changed"
    assert bob.post(change_url(page), data).status_code == 400
    data["editing_version"] = "not-a-version"
    assert bob.post(change_url(page), data).status_code == 400
    page.refresh_from_db()
    assert page.title == "About"


def routine_of(guide):
    routine = Routine.objects.create(title="Morning", slug="morning", summary="A short start to the day.")
    RoutineItem.objects.create(routine=routine, technique=guide, order=1)
    return routine


@pytest.mark.parametrize(
    ("make", "field", "theirs", "yours"),
    [
        (lambda guide: guide.citations.first().source, "title", "Alice's source title", "Bob's source title"),
        (
            lambda guide: SafetyTip.objects.create(kind=TipKind.DO, text="Move slowly.", order=1),
            "text",
            "Move slowly, Alice says.",
            "Move slowly, Bob says.",
        ),
        (routine_of, "summary", "Alice's routine summary.", "Bob's routine summary."),
    ],
    ids=["source", "site-wide-safety-tip", "routine"],
)
def test_every_content_form_refuses_a_stale_save(alice, bob, guide, make, field, theirs, yours):
    obj = make(guide)
    alices, bobs = open_form(alice, obj), open_form(bob, obj)
    alices[field] = theirs
    assert alice.post(change_url(obj), alices).status_code == 302
    bobs[field] = yours
    refused = bob.post(change_url(obj), bobs)
    assert refused.status_code == 409
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs
    both = refused.context["conflict"].both_changed
    assert [(c.yours, c.theirs) for c in both] == [(yours, theirs)]
