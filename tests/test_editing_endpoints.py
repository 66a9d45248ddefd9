"""The presence endpoints, the history diff and the recent-changes page: staff only, CSRF
checked, bad input refused with a 4xx and nothing stored."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from editing.models import EditingPresence
from techniques.models import Step
from tests.admin_forms import change_form_data
from tests.factories import StaffFactory, TechniqueFactory, UserFactory


@pytest.fixture
def guide(db):
    return TechniqueFactory(steps=2)


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def beat(client, guide, tab="tab-aaaaaaaa", version=""):
    return client.post(
        reverse("editing:heartbeat"),
        {"content": f"techniques.technique:{guide.pk}", "tab": tab, "version": version},
    )


@pytest.mark.parametrize("endpoint", ["editing:heartbeat", "editing:leave"])
def test_presence_endpoints_refuse_anonymous_and_non_staff(client, guide, endpoint):
    data = {"content": f"techniques.technique:{guide.pk}", "tab": "tab-aaaaaaaa"}
    assert client.post(reverse(endpoint), data).status_code == 403
    member = signed_in(UserFactory(is_staff=False))
    assert member.post(reverse(endpoint), data).status_code == 403
    inactive = signed_in(StaffFactory(is_active=False))
    assert inactive.post(reverse(endpoint), data).status_code == 403
    assert not EditingPresence.objects.exists()


def test_heartbeat_needs_post_and_a_csrf_token(guide):
    strict = signed_in(StaffFactory(), enforce_csrf_checks=True)
    assert strict.get(reverse("editing:heartbeat")).status_code == 405
    assert beat(strict, guide).status_code == 403  # no CSRF token
    assert not EditingPresence.objects.exists()


@pytest.mark.parametrize(
    ("content", "tab"),
    [
        ("techniques.technique:abc", "tab-aaaaaaaa"),
        ("auth.user:1", "tab-aaaaaaaa"),  # not content
        ("techniques.technique:1", "short"),
        ("techniques.technique:1", "<script>alert(1)</script>"),
        ("", ""),
    ],
)
def test_heartbeat_refuses_bad_input_and_stores_nothing(staff_client, guide, content, tab):
    response = staff_client.post(reverse("editing:heartbeat"), {"content": content, "tab": tab})
    assert response.status_code == 400
    assert not EditingPresence.objects.exists()


def test_heartbeat_of_a_missing_object_is_404(staff_client, guide):
    response = staff_client.post(
        reverse("editing:heartbeat"), {"content": "techniques.technique:999999", "tab": "tab-aaaaaaaa"}
    )
    assert response.status_code == 404
    assert not EditingPresence.objects.exists()


def test_heartbeat_tells_staff_without_permission_nothing_about_the_object(guide):
    """Not even who deleted it: the permission is checked before the object is looked up."""
    outsider = signed_in(UserFactory(is_staff=True))  # staff, but no permission on guides
    for content in (f"techniques.technique:{guide.pk}", "techniques.technique:999999"):
        response = outsider.post(reverse("editing:heartbeat"), {"content": content, "tab": "tab-aaaaaaaa"})
        assert response.status_code == 403
        assert response.json() == {"error": "You can't edit this guide."}
    content = f"techniques.technique:{guide.pk}"
    guide.delete()
    response = outsider.post(reverse("editing:heartbeat"), {"content": content, "tab": "tab-aaaaaaaa"})
    assert response.status_code == 403 and "deleted" not in response.content.decode()
    assert not EditingPresence.objects.exists()


def test_two_editors_see_each_other_until_one_leaves_and_hear_of_a_save(guide):
    sam = signed_in(StaffFactory(first_name="Sam"))
    kim = signed_in(StaffFactory(first_name="Kim"))
    version = change_form_data(kim.get(reverse("admin:techniques_technique_change", args=[guide.pk])))[
        "editing_version"
    ]
    assert beat(sam, guide, "tab-sam00000").json()["others"] == []
    seen_by_kim = beat(kim, guide, "tab-kim00000", version).json()
    assert [other["name"] for other in seen_by_kim["others"]] == ["Sam"]
    assert seen_by_kim["saved"] is None

    sam.post(reverse("editing:leave"), {"content": f"techniques.technique:{guide.pk}", "tab": "tab-sam00000"})
    assert beat(kim, guide, "tab-kim00000", version).json()["others"] == []

    form = sam.get(reverse("admin:techniques_technique_change", args=[guide.pk]))
    data = change_form_data(form)
    data["summary"] = "Sam's summary."
    sam.post(reverse("admin:techniques_technique_change", args=[guide.pk]), data)
    assert beat(kim, guide, "tab-kim00000", version).json()["saved"].startswith("Sam saved this guide at")


def test_history_diff_shows_a_markdown_word_diff_and_an_added_step(staff_client, guide):
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    data["intro"] = "Move **slowly** and stay relaxed."
    total = int(data["steps-TOTAL_FORMS"])
    data.update(
        {
            f"steps-{total}-order": "3",
            f"steps-{total}-title": "Roll down",
            f"steps-{total}-instruction": "Roll down one vertebra at a time.",
            f"steps-{total}-reps": "5",
            f"steps-{total}-sides": "once",
            "steps-TOTAL_FORMS": str(total + 1),
        }
    )
    assert staff_client.post(url, data).status_code == 302
    assert Step.objects.filter(technique=guide, title="Roll down").exists()

    compare = reverse("admin:techniques_technique_history_compare", args=[guide.pk])
    response = staff_client.get(compare)  # the newest save against the one before
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>comfortable</del><ins>relaxed</ins>" in page
    assert "Move **slowly** and stay" in page  # the unchanged words around it
    rows = response.context["children"][0].rows
    assert [(row.kind, row.label) for row in rows] == [("added", "Step 3 “Roll down”")]
    assert "Roll down one vertebra at a time." in page

    history = staff_client.get(reverse("admin:techniques_technique_history", args=[guide.pk])).content.decode()
    assert compare in history


def test_history_diff_refuses_bad_versions_and_outsiders(client, staff_client, guide):
    compare = reverse("admin:techniques_technique_history_compare", args=[guide.pk])
    assert staff_client.get(compare, {"from": "x"}).status_code == 400
    assert staff_client.get(compare, {"to": "999999"}).status_code == 400
    not_an_id = reverse("admin:techniques_technique_history_compare", args=["not-an-id"])
    assert staff_client.get(not_an_id).status_code == 404
    assert client.get(compare).status_code == 302  # to the login page
    assert signed_in(UserFactory(is_staff=False)).get(compare).status_code == 302


def test_recent_changes_lists_saves_filtered_by_editor_and_kind(client, guide):
    sam = StaffFactory(first_name="Sam")
    sam_client = signed_in(sam)
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(sam_client.get(url))
    data["title"] = "Renamed by Sam"
    sam_client.post(url, data)

    recent = reverse("editing_recent_changes")
    page = sam_client.get(recent)
    assert page.status_code == 200
    first = page.context["changes"][0]
    assert (first.editor, first.what, first.action, first.kind) == ("Sam", "Renamed by Sam", "changed", "Guide")
    assert reverse("admin:techniques_technique_history_compare", args=[guide.pk]) in first.diff_url

    by_sam = sam_client.get(recent, {"editor": sam.pk}).context["changes"]
    assert [change.editor for change in by_sam] == ["Sam"]
    assert sam_client.get(recent, {"kind": "techniques.page"}).context["changes"] == []
    assert sam_client.get(recent, {"kind": "auth.user"}).status_code == 400
    assert sam_client.get(recent, {"editor": "nobody"}).status_code == 400
    assert client.get(recent).status_code == 302
    assert signed_in(UserFactory(is_staff=False)).get(recent).status_code == 302


def test_new_admin_screens_keep_the_csp_and_have_no_inline_script(staff_client, guide):
    screens = [
        reverse("admin:techniques_technique_change", args=[guide.pk]),
        reverse("admin:techniques_technique_history", args=[guide.pk]),
        reverse("admin:techniques_technique_history_compare", args=[guide.pk]),
        reverse("editing_recent_changes"),
    ]
    script_src = list(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"])
    for url in screens:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        # Directives come in no fixed order: compare script-src itself.
        directives = dict(
            (directive.split()[0], directive.split()[1:])
            for directive in response["Content-Security-Policy"].split(";")
            if directive.strip()
        )
        assert directives["script-src"] == script_src, url
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert scripts and all(" src=" in tag for tag in scripts), (url, scripts)
